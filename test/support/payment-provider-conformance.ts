import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type ChargeRequest,
  type GatewayPaymentState,
  InvalidWebhookSignatureError,
  type PaymentMethod,
  PaymentGatewayError,
  type PaymentProvider,
  type RefundRequest,
} from '../../src/modules/money/payments/payment-provider.js';

/**
 * What the conformance suite needs of one adapter and its gateway (a fake speaking the gateway's
 * real protocol): the adapter under test, and the gateway-side actions only the payer or the
 * gateway can take.
 */
export interface ConformanceHarness {
  provider: PaymentProvider;
  /** Make the charge paid at the gateway, as the payer would (the charged amount). */
  payAtGateway(gatewayReference: string): Promise<void>;
  /** Make the charge fail at the gateway. */
  failAtGateway(gatewayReference: string): Promise<void>;
  /** A webhook the gateway would send now for that charge, signed: raw body + headers. */
  signedWebhook(
    gatewayReference: string,
  ): Promise<{ rawBody: Buffer; headers: Record<string, string> }>;
  close(): Promise<void>;
}

/**
 * Piastres whose EGP form does not survive `Math.floor(Number('128.45') * 100)` (12844.99…):
 * an adapter converting through floating point reports 12844 instead of 12845.
 */
const AWKWARD_AMOUNT = 12_845;
const PLAIN_AMOUNT = 20_000;

/** Our payment ids are Mongo ObjectIds: 24 hex digits, fresh for every charge here. */
function newPaymentId(): string {
  return randomBytes(12).toString('hex');
}

function chargeRequest(
  method: PaymentMethod,
  overrides: Partial<ChargeRequest> = {},
): ChargeRequest {
  return {
    paymentId: newPaymentId(),
    amount: PLAIN_AMOUNT,
    currency: 'EGP',
    method,
    description: 'Kitchen tap replacement',
    payer: {
      id: randomBytes(12).toString('hex'),
      name: 'Mona Adel',
      email: 'mona.adel@example.com',
      phone: '+201001234567',
    },
    expiresAt: new Date(Date.now() + 60 * 60 * 1000),
    ...overrides,
  };
}

function expectWellFormed(state: GatewayPaymentState): void {
  expect(Number.isSafeInteger(state.refundedAmount)).toBe(true);
  expect(state.refundedAmount).toBeGreaterThanOrEqual(0);
  if (state.amount !== undefined) {
    expect(Number.isSafeInteger(state.amount)).toBe(true);
  }
}

/**
 * The body with one byte of the charge's reference changed to another of its kind (digit for
 * digit, letter for letter), so the JSON stays valid and the webhook now names another payment:
 * what an attacker would change, and a byte every gateway's signature covers.
 */
function tamperReference(rawBody: Buffer, gatewayReference: string): Buffer {
  const at = rawBody.indexOf(gatewayReference);
  if (at < 0) {
    throw new Error(`the webhook's body does not name ${gatewayReference}`);
  }
  const tampered = Buffer.from(rawBody);
  const last = at + gatewayReference.length - 1;
  const byte = tampered[last];
  const isDigit = byte >= 0x30 && byte <= 0x39;
  tampered[last] = isDigit ? 0x30 + ((byte - 0x30 + 1) % 10) : byte === 0x61 ? 0x62 : 0x61;
  return tampered;
}

/**
 * The behaviour every `PaymentProvider` adapter shares, run against its gateway (a fake over real
 * HTTP) through `open`, called once for the whole suite; each test charges a fresh payment id.
 * Charges use the first method the provider lists, except the test charging with every one.
 *
 * Asserted (amounts are integer piastres throughout):
 * - `charge` returns a `gatewayReference`, the same one for the same `paymentId` (a retry);
 * - a new charge is `pending`; once paid at the gateway, `paid` with the charged amount and a
 *   `transactionId`; once failed at the gateway, `failed`;
 * - a whole refund is `refunded` or `pending`, and `status` then says `refunded` with
 *   `refundedAmount` = the amount; a refund retried with the same `idempotencyKey` gives the
 *   money back once (`partially_refunded`), and a second refund for the rest makes it `refunded`;
 * - `status` of a reference the gateway never issued throws `PaymentGatewayError` (rather than
 *   reporting `pending`: a typo'd or foreign reference must not look like an unpaid charge);
 * - the gateway's signed webhook verifies and names the charge (and its amount, when it reports
 *   one); that webhook with one byte of the reference changed, an empty body, or a body without
 *   a signature throws `InvalidWebhookSignatureError`.
 */
export function describePaymentProviderConformance(
  name: string,
  open: () => Promise<ConformanceHarness>,
): void {
  describe(`PaymentProvider conformance: ${name}`, () => {
    let harness: ConformanceHarness;
    let provider: PaymentProvider;
    let method: PaymentMethod;

    beforeAll(async () => {
      harness = await open();
      provider = harness.provider;
      method = provider.methods[0];
    });

    afterAll(async () => {
      await harness?.close();
    });

    /** A charge made paid at the gateway, with its state. */
    async function paidCharge(amount: number): Promise<{
      request: ChargeRequest;
      gatewayReference: string;
      state: GatewayPaymentState;
    }> {
      const request = chargeRequest(method, { amount });
      const { gatewayReference } = await provider.charge(request);
      await harness.payAtGateway(gatewayReference);
      return { request, gatewayReference, state: await provider.status(gatewayReference) };
    }

    function refundOf(
      paid: { request: ChargeRequest; gatewayReference: string; state: GatewayPaymentState },
      amount: number,
      idempotencyKey = `refund:${newPaymentId()}`,
    ): RefundRequest {
      return {
        paymentId: paid.request.paymentId,
        gatewayReference: paid.gatewayReference,
        referenceNumber: paid.state.transactionId,
        amount,
        reason: 'job cancelled before work started',
        idempotencyKey,
      };
    }

    it('should be named and list at least one method', () => {
      expect(provider.name).toBe(name);
      expect(provider.methods.length).toBeGreaterThan(0);
    });

    it('should charge with every method it lists', async () => {
      for (const listed of provider.methods) {
        const charged = await provider.charge(chargeRequest(listed));
        expect(charged.gatewayReference).toEqual(expect.any(String));
        expect(charged.gatewayReference).not.toBe('');
        if (charged.expiresAt !== undefined) {
          expect(charged.expiresAt).toBeInstanceOf(Date);
        }
      }
    });

    it('should answer a repeated charge for the same payment with the same reference', async () => {
      const request = chargeRequest(method);
      const first = await provider.charge(request);
      const retried = await provider.charge({ ...request });
      const other = await provider.charge(chargeRequest(method));

      expect(retried.gatewayReference).toBe(first.gatewayReference);
      expect(other.gatewayReference).not.toBe(first.gatewayReference);
    });

    it('should report a new charge as pending', async () => {
      const { gatewayReference } = await provider.charge(chargeRequest(method));

      const state = await provider.status(gatewayReference);

      expect(state.status).toBe('pending');
      expect(state.refundedAmount).toBe(0);
      expectWellFormed(state);
    });

    it('should report a charge paid at the gateway as paid, with the amount in piastres', async () => {
      const { state } = await paidCharge(AWKWARD_AMOUNT);

      expect(state).toMatchObject({ status: 'paid', amount: AWKWARD_AMOUNT, refundedAmount: 0 });
      expect(state.transactionId).toEqual(expect.any(String));
      expect(state.transactionId).not.toBe('');
      expectWellFormed(state);
    });

    it('should refund a whole payment, after which the status says refunded', async () => {
      const paid = await paidCharge(AWKWARD_AMOUNT);

      const refund = await provider.refund(refundOf(paid, AWKWARD_AMOUNT));
      const state = await provider.status(paid.gatewayReference);

      expect(['refunded', 'pending']).toContain(refund.status);
      expect(state).toMatchObject({ status: 'refunded', refundedAmount: AWKWARD_AMOUNT });
      expectWellFormed(state);
    });

    it('should give money back once for a refund retried with the same idempotency key', async () => {
      const paid = await paidCharge(PLAIN_AMOUNT);
      const part = refundOf(paid, 7_501);

      const first = await provider.refund(part);
      const retried = await provider.refund({ ...part });
      const afterPart = await provider.status(paid.gatewayReference);
      const rest = await provider.refund(refundOf(paid, PLAIN_AMOUNT - 7_501));
      const afterRest = await provider.status(paid.gatewayReference);

      expect(['refunded', 'pending']).toContain(first.status);
      expect(retried.status).toBe(first.status);
      expect(afterPart).toMatchObject({ status: 'partially_refunded', refundedAmount: 7_501 });
      expect(['refunded', 'pending']).toContain(rest.status);
      expect(afterRest).toMatchObject({ status: 'refunded', refundedAmount: PLAIN_AMOUNT });
    });

    it('should report a charge failed at the gateway as failed', async () => {
      const { gatewayReference } = await provider.charge(chargeRequest(method));
      await harness.failAtGateway(gatewayReference);

      const state = await provider.status(gatewayReference);

      expect(state.status).toBe('failed');
      expect(state.refundedAmount).toBe(0);
    });

    it('should throw PaymentGatewayError for a reference the gateway never issued', async () => {
      await expect(provider.status(newPaymentId())).rejects.toBeInstanceOf(PaymentGatewayError);
    });

    it("should verify the gateway's signed webhook, naming the charge and its amount", async () => {
      const { gatewayReference } = await paidCharge(AWKWARD_AMOUNT);
      const { rawBody, headers } = await harness.signedWebhook(gatewayReference);

      const verified = provider.verifyWebhook(rawBody, headers);

      expect(verified).toMatchObject({ provider: name, gatewayReference });
      expect(verified?.eventId).toEqual(expect.any(String));
      expect(verified?.eventId).not.toBe('');
      expect(verified?.type).toEqual(expect.any(String));
      if (verified?.amount !== undefined) {
        expect(verified.amount).toBe(AWKWARD_AMOUNT);
      }
    });

    it('should refuse the webhook with one byte of the body changed', async () => {
      const { gatewayReference } = await paidCharge(PLAIN_AMOUNT);
      const { rawBody, headers } = await harness.signedWebhook(gatewayReference);
      const tampered = tamperReference(rawBody, gatewayReference);

      expect(tampered.equals(rawBody)).toBe(false);
      expect(() => provider.verifyWebhook(tampered, headers)).toThrow(InvalidWebhookSignatureError);
    });

    it('should refuse an empty body, with or without the headers', async () => {
      const { gatewayReference } = await paidCharge(PLAIN_AMOUNT);
      const { headers } = await harness.signedWebhook(gatewayReference);

      expect(() => provider.verifyWebhook(Buffer.alloc(0), headers)).toThrow(
        InvalidWebhookSignatureError,
      );
      expect(() => provider.verifyWebhook(Buffer.alloc(0), {})).toThrow(
        InvalidWebhookSignatureError,
      );
    });

    it('should refuse a body that carries no signature', () => {
      const unsigned = Buffer.from(JSON.stringify({ id: newPaymentId(), type: 'paid' }));

      expect(() =>
        provider.verifyWebhook(unsigned, { 'content-type': 'application/json' }),
      ).toThrow(InvalidWebhookSignatureError);
      expect(() => provider.verifyWebhook(Buffer.from('not json'), {})).toThrow(
        InvalidWebhookSignatureError,
      );
    });
  });
}
