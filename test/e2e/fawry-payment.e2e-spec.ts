import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  type ChargeRequest,
  InvalidWebhookSignatureError,
  PaymentGatewayError,
  type RefundRequest,
} from '../../src/modules/money/payments/payment-provider.js';
import { FawryPaymentProvider } from '../../src/modules/money/payments/providers/fawry-payment.provider.js';
import { FakeFawry, type FawryOrderStatus } from '../support/fake-fawry.js';
import { describePaymentProviderConformance } from '../support/payment-provider-conformance.js';

/** A merchant code like Fawry's (base64, with `+` and `=` that a query string must escape). */
const MERCHANT_CODE = 'is0N+YQzlE4=';
const SECURE_KEY = 'fawry-secure-key-5Tq9Lm2x';
/** Fawry's fees on top of each charge in the fake: `paymentAmount` = `orderAmount` + these. */
const FEES = 250;
const TIMEOUT_MS = 500;

const PHONE = '+201001234567';
const LOCAL_PHONE = '01001234567';
const EMAIL = 'mona.adel@example.com';
const NAME = 'Mona Adel';

let sequence = 0;

function chargeRequest(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  sequence += 1;
  return {
    paymentId: `65f0c0ffee00000000000${String(sequence).padStart(3, '0')}`,
    amount: 12340,
    currency: 'EGP',
    method: 'pay_at_fawry',
    description: 'Kitchen tap replacement',
    payer: { id: 'user-42', name: NAME, email: EMAIL, phone: PHONE },
    expiresAt: new Date('2030-01-02T03:04:05.000Z'),
    ...overrides,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What a person, a log or an error tracker could read of an error. */
function readable(error: unknown): string {
  const { message, cause } = error as Error;
  return `${message} ${String(cause)}`;
}

function expectNoSecret(text: string): void {
  for (const secret of [SECURE_KEY, PHONE, LOCAL_PHONE, '201001234567', EMAIL, NAME]) {
    expect(text).not.toContain(secret);
  }
}

async function rejection(promise: Promise<unknown>): Promise<PaymentGatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PaymentGatewayError);
    return error as PaymentGatewayError;
  }
  throw new Error('expected a rejection');
}

function raw(notification: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(notification));
}

describe(FawryPaymentProvider.name, () => {
  let fake: FakeFawry;
  let baseUrl: string;
  let fawry: FawryPaymentProvider;

  beforeEach(async () => {
    fake = new FakeFawry({ merchantCode: MERCHANT_CODE, secureKey: SECURE_KEY, fees: FEES });
    baseUrl = await fake.start();
    fawry = new FawryPaymentProvider({
      baseUrl: `${baseUrl}/`,
      merchantCode: MERCHANT_CODE,
      secureKey: SECURE_KEY,
      timeoutMs: TIMEOUT_MS,
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  /** A charge made and paid at Fawry; its Fawry reference number. */
  async function paid(request = chargeRequest()): Promise<string> {
    const charged = await fawry.charge(request);
    fake.pay(charged.gatewayReference);
    return charged.referenceNumber!;
  }

  function refundRequest(paymentId: string, overrides: Partial<RefundRequest> = {}): RefundRequest {
    return {
      paymentId,
      gatewayReference: paymentId,
      amount: 12340,
      reason: 'job cancelled',
      idempotencyKey: `refund:${paymentId}:${overrides.amount ?? 12340}`,
      ...overrides,
    };
  }

  describe('charge', () => {
    it('should ask Fawry for a PayAtFawry reference number, signed, amounts with two decimals', async () => {
      const request = chargeRequest();

      const result = await fawry.charge(request);

      expect(result).toEqual({
        gatewayReference: request.paymentId,
        referenceNumber: expect.stringMatching(/^\d{9}$/),
        paymentUrl: undefined,
        expiresAt: request.expiresAt,
      });
      const [sent] = fake.requests;
      expect(sent).toMatchObject({ method: 'POST', path: '/ECommerceWeb/Fawry/payments/charge' });
      expect(sent.body).toEqual({
        merchantCode: MERCHANT_CODE,
        merchantRefNum: request.paymentId,
        customerProfileId: 'user-42',
        customerName: NAME,
        customerMobile: LOCAL_PHONE,
        customerEmail: EMAIL,
        paymentMethod: 'PAYATFAWRY',
        amount: 123.4,
        currencyCode: 'EGP',
        description: 'Kitchen tap replacement',
        paymentExpiry: Date.parse('2030-01-02T03:04:05.000Z'),
        chargeItems: [
          {
            itemId: request.paymentId,
            description: 'Kitchen tap replacement',
            price: 123.4,
            quantity: 1,
          },
        ],
        signature: sha256(
          `${MERCHANT_CODE}${request.paymentId}user-42PAYATFAWRY123.40${SECURE_KEY}`,
        ),
      });
      expect(fake.requests[0].answer).toBe(200);
      expect(fake.charges.get(request.paymentId)).toMatchObject({
        amount: 12340,
        orderStatus: 'UNPAID',
        referenceNumber: result.referenceNumber,
      });
    });

    it.each([
      ['card', 'CARD'],
      ['wallet', 'MWALLET'],
    ] as const)(
      'should charge by %s as %s and hand back the page Fawry redirects to',
      async (method, fawryMethod) => {
        const request = chargeRequest({ method, amount: 5 });

        const result = await fawry.charge(request);

        const charge = fake.charges.get(request.paymentId)!;
        expect(charge.paymentMethod).toBe(fawryMethod);
        expect(charge.amount).toBe(5);
        expect(result.paymentUrl).toBe(`${baseUrl}/atfawry/pay/${charge.referenceNumber}`);
        expect(fake.requests[0].body.signature).toBe(
          sha256(`${MERCHANT_CODE}${request.paymentId}user-42${fawryMethod}0.05${SECURE_KEY}`),
        );
      },
    );

    it('should answer a repeated charge with the same reference number (one charge at Fawry)', async () => {
      const request = chargeRequest();

      const first = await fawry.charge(request);
      const again = await fawry.charge({ ...request });

      expect(again).toEqual(first);
      expect(fake.charges.size).toBe(1);
    });

    it.each([undefined, '+447700900123', '01001234567'])(
      'should leave customerMobile out for the phone %p (not an E.164 Egyptian mobile)',
      async (phone) => {
        const request = chargeRequest({ payer: { id: 'user-7', name: NAME, email: EMAIL, phone } });

        await fawry.charge(request);

        expect(fake.requests[0].body).not.toHaveProperty('customerMobile');
        expect(fake.charges.get(request.paymentId)?.customerProfileId).toBe('user-7');
      },
    );

    it('should be refused, not retryable, when signed with another secure key', async () => {
      const misconfigured = new FawryPaymentProvider({
        baseUrl,
        merchantCode: MERCHANT_CODE,
        secureKey: 'not-the-secure-key',
        timeoutMs: TIMEOUT_MS,
      });

      const error = await rejection(misconfigured.charge(chargeRequest()));

      expect(error.retryable).toBe(false);
      expect(error.message).toBe('Fawry refused the charge: Wrong Signature (9946)');
      expect(error.message).not.toContain('not-the-secure-key');
      expect(fake.charges.size).toBe(0);
    });

    it('should be refused for a merchant code Fawry does not know', async () => {
      const misconfigured = new FawryPaymentProvider({
        baseUrl,
        merchantCode: 'unknown-merchant',
        secureKey: SECURE_KEY,
        timeoutMs: TIMEOUT_MS,
      });

      const error = await rejection(misconfigured.charge(chargeRequest()));

      expect(error.retryable).toBe(false);
      expect(error.message).toContain('(9901)');
    });

    it("should keep the payer's data and the secure key out of Fawry's refusal", async () => {
      fake.answerNext('refuse', {
        statusDescription: `Customer ${NAME} (${LOCAL_PHONE}, ${EMAIL}, ${PHONE}) is blocked; key ${SECURE_KEY}`,
      });

      const error = await rejection(fawry.charge(chargeRequest()));

      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/^Fawry refused the charge: Customer \[redacted\]/);
      expectNoSecret(readable(error));
    });

    it('should throw a retryable error when Fawry answers HTTP 500', async () => {
      fake.answerNext('http500');

      const error = await rejection(fawry.charge(chargeRequest()));

      expect(error.retryable).toBe(true);
      expect(error.message).toBe('Fawry answered HTTP 500 to the charge');
      expect(fake.charges.size).toBe(0);
    });

    it('should time out, retryably, and find the same charge when asked again', async () => {
      const request = chargeRequest();
      fake.answerNext('hang');

      const started = Date.now();
      const error = await rejection(fawry.charge(request));
      const retried = await fawry.charge(request);

      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(`Fawry did not answer the charge within ${TIMEOUT_MS} ms`);
      expectNoSecret(readable(error));
      expect(retried.referenceNumber).toBe(fake.charges.get(request.paymentId)?.referenceNumber);
      expect(fake.charges.size).toBe(1);
    });

    it('should throw a retryable error when Fawry cannot be reached', async () => {
      const gone = new FakeFawry({ merchantCode: MERCHANT_CODE, secureKey: SECURE_KEY });
      const goneUrl = await gone.start();
      await gone.close();
      const unreachable = new FawryPaymentProvider({
        baseUrl: goneUrl,
        merchantCode: MERCHANT_CODE,
        secureKey: SECURE_KEY,
        timeoutMs: TIMEOUT_MS,
      });

      const error = await rejection(unreachable.charge(chargeRequest()));

      expect(error.retryable).toBe(true);
      expect(error.message).toBe('Fawry could not be reached for the charge');
    });

    it.each([0, -100, 12.5])('should refuse to charge %p piastres', async (amount) => {
      await expect(fawry.charge(chargeRequest({ amount }))).rejects.toThrow(RangeError);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('status', () => {
    it('should ask Payment Status V2, signed, with the merchant code escaped', async () => {
      const { gatewayReference } = await fawry.charge(chargeRequest());

      await fawry.status(gatewayReference);

      const asked = fake.requests[1];
      expect(asked).toMatchObject({
        method: 'GET',
        path: '/ECommerceWeb/Fawry/payments/status/v2',
        query: {
          merchantCode: MERCHANT_CODE,
          merchantRefNumber: gatewayReference,
          signature: sha256(`${MERCHANT_CODE}${gatewayReference}${SECURE_KEY}`),
        },
        answer: 200,
      });
    });

    it.each<[string, FawryOrderStatus, ChargeRequest['method'], (ref: string) => void]>([
      ['pending', 'UNPAID', 'pay_at_fawry', () => undefined],
      ['pending', 'NEW', 'card', () => undefined],
      ['expired', 'EXPIRED', 'pay_at_fawry', (ref) => fake.expire(ref)],
      ['failed', 'FAILED', 'card', (ref) => fake.fail(ref)],
      ['failed', 'CANCELED', 'wallet', (ref) => (fake.charges.get(ref)!.orderStatus = 'CANCELED')],
    ])('should report %s for Fawry’s %s', async (status, orderStatus, method, move) => {
      const request = chargeRequest({ method });
      const { gatewayReference } = await fawry.charge(request);
      move(gatewayReference);

      const state = await fawry.status(gatewayReference);

      expect(fake.charges.get(gatewayReference)?.orderStatus).toBe(orderStatus);
      expect(state).toEqual({
        status,
        refundedAmount: 0,
        transactionId: fake.charges.get(gatewayReference)?.referenceNumber,
      });
    });

    it("should report PAID as paid, with Fawry's orderAmount (not the fees) in piastres", async () => {
      const request = chargeRequest({ amount: 12845 });
      const referenceNumber = await paid(request);

      const state = await fawry.status(request.paymentId);

      expect(state).toEqual({
        status: 'paid',
        amount: 12845,
        refundedAmount: 0,
        transactionId: referenceNumber,
      });
    });

    it('should report the amount Fawry says was paid when it differs from the charged one', async () => {
      const { gatewayReference } = await fawry.charge(chargeRequest({ amount: 12340 }));
      fake.pay(gatewayReference, { amount: 12000 });

      const state = await fawry.status(gatewayReference);

      expect(state).toMatchObject({ status: 'paid', amount: 12000 });
    });

    it('should report REFUNDED (outside our API) as refunded, the whole amount back', async () => {
      const request = chargeRequest();
      await paid(request);
      fake.refundAtFawry(request.paymentId);

      const state = await fawry.status(request.paymentId);

      expect(fake.charges.get(request.paymentId)?.orderStatus).toBe('REFUNDED');
      expect(state).toMatchObject({ status: 'refunded', amount: 12340, refundedAmount: 12340 });
    });

    it('should report PARTIAL_REFUNDED as partially_refunded, with the refunded amount', async () => {
      const request = chargeRequest();
      await paid(request);
      await fawry.refund(refundRequest(request.paymentId, { amount: 4001 }));

      const state = await fawry.status(request.paymentId);

      expect(fake.charges.get(request.paymentId)?.orderStatus).toBe('PARTIAL_REFUNDED');
      expect(state).toMatchObject({
        status: 'partially_refunded',
        amount: 12340,
        refundedAmount: 4001,
      });
    });

    it('should throw a retryable error for a payment Fawry does not know (yet)', async () => {
      const error = await rejection(fawry.status('65f0c0ffee0000000000ffff'));

      expect(error.retryable).toBe(true);
      expect(error.message).toBe('the payment is not found at Fawry (yet)');
      expect(fake.requests[0].answer).toBe(9938);
    });

    it('should throw a retryable error for an order status it does not know', async () => {
      const { gatewayReference } = await fawry.charge(chargeRequest());
      (fake.charges.get(gatewayReference) as { orderStatus: string }).orderStatus = 'DELIVERED';

      const error = await rejection(fawry.status(gatewayReference));

      expect(error.retryable).toBe(true);
      expect(error.message).toContain('"DELIVERED"');
    });

    it('should be refused, not retryable, when signed with another secure key', async () => {
      const { gatewayReference } = await fawry.charge(chargeRequest());
      const misconfigured = new FawryPaymentProvider({
        baseUrl,
        merchantCode: MERCHANT_CODE,
        secureKey: 'not-the-secure-key',
        timeoutMs: TIMEOUT_MS,
      });

      const error = await rejection(misconfigured.status(gatewayReference));

      expect(error.retryable).toBe(false);
      expect(error.message).toBe('Fawry refused the payment status: Wrong Signature (9946)');
    });

    it.each(['http500', 'hang'] as const)(
      'should throw a retryable error when Fawry answers %s',
      async (outcome) => {
        const { gatewayReference } = await fawry.charge(chargeRequest());
        fake.answerNext(outcome);

        const error = await rejection(fawry.status(gatewayReference));

        expect(error.retryable).toBe(true);
      },
    );
  });

  describe('refund', () => {
    it("should refund a paid charge through Fawry's refund API, signed, two decimals", async () => {
      const request = chargeRequest();
      const referenceNumber = await paid(request);

      const result = await fawry.refund(
        refundRequest(request.paymentId, { referenceNumber, reason: 'job cancelled' }),
      );

      expect(result).toEqual({ status: 'refunded' });
      const sent = fake.requests.find((r) => r.path.endsWith('/refund'));
      expect(sent?.body).toEqual({
        merchantCode: MERCHANT_CODE,
        referenceNumber,
        refundAmount: 123.4,
        reason: 'job cancelled',
        signature: sha256(`${MERCHANT_CODE}${referenceNumber}123.40job cancelled${SECURE_KEY}`),
      });
      expect(sent?.answer).toBe(200);
      expect(fake.charges.get(request.paymentId)).toMatchObject({
        orderStatus: 'REFUNDED',
        refundedAmount: 12340,
      });
      await expect(fawry.status(request.paymentId)).resolves.toMatchObject({
        status: 'refunded',
        refundedAmount: 12340,
      });
    });

    it("should find the charge's reference number itself when not given one", async () => {
      const request = chargeRequest();
      const referenceNumber = await paid(request);

      const result = await fawry.refund(refundRequest(request.paymentId, { amount: 340 }));

      expect(result).toEqual({ status: 'refunded' });
      expect(fake.requests.find((r) => r.path.endsWith('/refund'))?.body.referenceNumber).toBe(
        referenceNumber,
      );
      expect(fake.charges.get(request.paymentId)).toMatchObject({
        orderStatus: 'PARTIAL_REFUNDED',
        refundedAmount: 340,
      });
    });

    it("should answer failed with Fawry's reason for a charge not paid", async () => {
      const { gatewayReference, referenceNumber } = await fawry.charge(chargeRequest());

      const refund = refundRequest(gatewayReference, { referenceNumber });

      const result = await fawry.refund(refund);
      const asked = fake.requests.length;
      const retried = await fawry.refund({ ...refund });

      expect(result).toEqual({
        status: 'failed',
        reason: 'Fawry refused the refund: The order is not paid or already refunded (9954)',
      });
      expect(retried).toEqual(result);
      expect(fake.requests).toHaveLength(asked);
      expect(fake.charges.get(gatewayReference)?.refunds).toEqual([]);
    });

    it('should answer failed for more than was paid', async () => {
      const request = chargeRequest();
      await paid(request);

      const result = await fawry.refund(refundRequest(request.paymentId, { amount: 12341 }));

      expect(result).toMatchObject({ status: 'failed' });
      expect(fake.charges.get(request.paymentId)?.orderStatus).toBe('PAID');
    });

    it('should give money back once when retried with the same idempotency key', async () => {
      const request = chargeRequest();
      await paid(request);
      const part = refundRequest(request.paymentId, { amount: 1000 });

      const first = await fawry.refund(part);
      const asked = fake.requests.length;
      const again = await fawry.refund({ ...part });

      expect(again).toEqual(first);
      expect(fake.requests).toHaveLength(asked); // answered from the first attempt
      expect(fake.charges.get(request.paymentId)?.refunds).toEqual([
        { amount: 1000, reason: 'job cancelled' },
      ]);
    });

    it('should give money back once when the answer was lost and the refund retried', async () => {
      const request = chargeRequest();
      await paid(request);
      const part = refundRequest(request.paymentId, { amount: 1000 });
      fake.answerNext('hang', { endpoint: 'refund' });

      const error = await rejection(fawry.refund(part));
      const madeAtFawry = [...fake.charges.get(request.paymentId)!.refunds];
      const retried = await fawry.refund({ ...part });

      expect(error.retryable).toBe(true);
      expect(madeAtFawry).toEqual([{ amount: 1000, reason: 'job cancelled' }]);
      expect(retried).toEqual({ status: 'refunded' });
      expect(fake.charges.get(request.paymentId)?.refunds).toEqual(madeAtFawry);
      expect(fake.requests.filter((r) => r.path.endsWith('/refund'))).toHaveLength(1);
    });

    it('should refund when retried after an attempt that never reached Fawry', async () => {
      const request = chargeRequest();
      await paid(request);
      const part = refundRequest(request.paymentId, { amount: 1000 });
      fake.answerNext('http500', { endpoint: 'refund' });

      const error = await rejection(fawry.refund(part));
      const retried = await fawry.refund({ ...part });

      expect(error).toMatchObject({
        retryable: true,
        message: 'Fawry answered HTTP 500 to the refund',
      });
      expect(retried).toEqual({ status: 'refunded' });
      expect(fake.charges.get(request.paymentId)?.refunds).toEqual([
        { amount: 1000, reason: 'job cancelled' },
      ]);
    });

    it('should answer refunded for a charge already wholly refunded (a retry after a restart)', async () => {
      const request = chargeRequest();
      await paid(request);
      await fawry.refund(refundRequest(request.paymentId));
      const restarted = new FawryPaymentProvider({
        baseUrl,
        merchantCode: MERCHANT_CODE,
        secureKey: SECURE_KEY,
        timeoutMs: TIMEOUT_MS,
      });

      const result = await restarted.refund(refundRequest(request.paymentId));

      expect(result).toEqual({ status: 'refunded' });
      expect(fake.requests.at(-1)?.answer).toBe(9954);
      expect(fake.charges.get(request.paymentId)?.refunds).toHaveLength(1);
    });
  });

  describe('verifyWebhook', () => {
    const headers = { 'content-type': 'application/json' };

    it('should verify a genuine notification with paymentRefrenceNumber (PayAtFawry)', async () => {
      const request = chargeRequest({ amount: 12845 });
      await paid(request);
      const notification = fake.notificationFor(request.paymentId);

      const verified = fawry.verifyWebhook(raw(notification), headers);

      expect(notification.paymentRefrenceNumber).toEqual(expect.stringMatching(/^\d{8}$/));
      expect(notification).toMatchObject({ paymentAmount: 130.95, orderAmount: 128.45 });
      expect(verified).toEqual({
        provider: 'fawry',
        eventId: notification.requestId,
        type: 'PAID',
        gatewayReference: request.paymentId,
        amount: 12845,
      });
    });

    it('should verify a genuine notification without paymentRefrenceNumber', async () => {
      const request = chargeRequest();
      await paid(request);
      const notification = fake.notificationFor(request.paymentId, { omitPaymentReference: true });

      expect(notification).not.toHaveProperty('paymentRefrenceNumber');
      expect(fawry.verifyWebhook(raw(notification), headers)).toMatchObject({
        type: 'PAID',
        gatewayReference: request.paymentId,
      });
    });

    it('should verify a card notification (Fawry sends no paymentRefrenceNumber for it)', async () => {
      const { gatewayReference } = await fawry.charge(chargeRequest({ method: 'card' }));
      const notification = fake.notificationFor(gatewayReference);

      expect(notification).not.toHaveProperty('paymentRefrenceNumber');
      expect(fawry.verifyWebhook(raw(notification), {})).toMatchObject({
        type: 'NEW',
        amount: 12340,
      });
    });

    it('should verify amounts written as strings and a payment method written as Fawry likes', async () => {
      const request = chargeRequest({ method: 'wallet' });
      await paid(request);
      const notification = fake.notificationFor(request.paymentId, {
        paymentAmount: '125.90',
        orderAmount: '123.40',
        paymentMethod: 'Mobile Wallet',
      });
      const sameAsNumbers = fake.sign({
        ...notification,
        paymentAmount: 125.9,
        orderAmount: 123.4,
      });

      expect(notification.messageSignature).toBe(sameAsNumbers.messageSignature);
      expect(fawry.verifyWebhook(raw(notification), headers)).toMatchObject({ amount: 12340 });
    });

    it("should name the event by the body's SHA-256 when Fawry sends no requestId", async () => {
      const request = chargeRequest();
      await paid(request);
      const { requestId: _requestId, ...notification } = fake.notificationFor(request.paymentId);
      const body = raw(notification);

      expect(fawry.verifyWebhook(body, headers).eventId).toBe(sha256(body.toString('utf8')));
    });

    it.each([
      ['fawryRefNumber', '999999999'],
      ['merchantRefNumber', '65f0c0ffee0000000000ffff'],
      ['paymentAmount', 1.25],
      ['orderAmount', 1],
      ['orderStatus', 'REFUNDED'],
      ['paymentMethod', 'CARD'],
      ['paymentRefrenceNumber', '12345678'],
    ])('should refuse a notification whose signed %s was changed', async (field, value) => {
      const request = chargeRequest();
      await paid(request);
      const forged = fake.notificationFor(request.paymentId, {
        [field]: value,
        forgeSignature: true,
      });

      expect(forged[field]).toBe(value);
      expect(() => fawry.verifyWebhook(raw(forged), headers)).toThrow(InvalidWebhookSignatureError);
    });

    it('should refuse a notification signed with another key, or with a forged signature', async () => {
      const request = chargeRequest();
      await paid(request);
      const notification = fake.notificationFor(request.paymentId);
      const otherKey = new FakeFawry({ merchantCode: MERCHANT_CODE, secureKey: 'another-key' });

      for (const messageSignature of [
        otherKey.sign(notification).messageSignature,
        sha256('forged'),
        '',
        undefined,
      ]) {
        expect(() =>
          fawry.verifyWebhook(raw({ ...notification, messageSignature }), headers),
        ).toThrow(InvalidWebhookSignatureError);
      }
    });

    it('should still verify when only a field Fawry does not sign changed (as Fawry documents)', async () => {
      const request = chargeRequest();
      await paid(request);
      const notification = fake.notificationFor(request.paymentId, {
        customerName: 'Someone Else',
        forgeSignature: true,
      });

      expect(fawry.verifyWebhook(raw(notification), headers).gatewayReference).toBe(
        request.paymentId,
      );
    });

    it.each([
      ['bad JSON', Buffer.from('{"fawryRefNumber": ')],
      ['a JSON array', Buffer.from('[]')],
      ['an empty body', Buffer.alloc(0)],
      ['form-encoded fields', Buffer.from('fawryRefNumber=1&merchantRefNumber=2')],
    ])('should refuse %s', (_what, body) => {
      expect(() => fawry.verifyWebhook(body, headers)).toThrow(InvalidWebhookSignatureError);
    });

    it('should refuse a notification whose amount has a fraction of a piastre', async () => {
      const request = chargeRequest();
      await paid(request);
      const notification = fake.notificationFor(request.paymentId);

      expect(() =>
        fawry.verifyWebhook(raw({ ...notification, orderAmount: '123.405' }), headers),
      ).toThrow(InvalidWebhookSignatureError);
    });
  });
});

describePaymentProviderConformance('fawry', async () => {
  const fake = new FakeFawry({ merchantCode: MERCHANT_CODE, secureKey: SECURE_KEY, fees: FEES });
  const baseUrl = await fake.start();
  return {
    provider: new FawryPaymentProvider({
      baseUrl,
      merchantCode: MERCHANT_CODE,
      secureKey: SECURE_KEY,
      timeoutMs: 2_000,
    }),
    payAtGateway: (gatewayReference) => {
      fake.pay(gatewayReference);
      return Promise.resolve();
    },
    failAtGateway: (gatewayReference) => {
      fake.fail(gatewayReference);
      return Promise.resolve();
    },
    signedWebhook: (gatewayReference) =>
      Promise.resolve({
        rawBody: raw(fake.notificationFor(gatewayReference)),
        headers: { 'content-type': 'application/json' },
      }),
    close: () => fake.close(),
  };
});
