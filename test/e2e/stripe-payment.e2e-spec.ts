import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import {
  type ChargeRequest,
  InvalidWebhookSignatureError,
  PaymentGatewayError,
  type RefundRequest,
} from '../../src/modules/money/payments/payment-provider.js';
import { StripePaymentProvider } from '../../src/modules/money/payments/providers/stripe-payment.provider.js';
import { FakeStripe } from '../support/fake-stripe.js';
import { describePaymentProviderConformance } from '../support/payment-provider-conformance.js';

describePaymentProviderConformance('stripe', async () => {
  const fake = new FakeStripe();
  const { apiUrl } = await fake.start();
  return {
    provider: new StripePaymentProvider({
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      apiUrl,
      timeoutMs: 2_000,
    }),
    payAtGateway: (reference) => Promise.resolve(void fake.succeed(reference)),
    // a Stripe PaymentIntent only ends unpaid when canceled (a declined card leaves it payable)
    failAtGateway: (reference) => Promise.resolve(fake.cancel(reference)),
    signedWebhook: (reference) =>
      Promise.resolve(fake.signedEvent(reference, 'payment_intent.succeeded')),
    close: () => fake.close(),
  };
});

const PAYMENT_ID = '6650f1c2a9b3e4d5f6a7b8c9';

function chargeRequest(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    paymentId: PAYMENT_ID,
    amount: 12_845,
    currency: 'EGP',
    method: 'card',
    description: 'Kitchen tap replacement',
    payer: {
      id: '6650f1c2a9b3e4d5f6a7b800',
      name: 'Mona Adel',
      email: 'mona.adel@example.com',
      phone: '+201001234567',
    },
    expiresAt: new Date('2026-11-20T10:00:00.000Z'),
    ...overrides,
  };
}

function refundRequest(gatewayReference: string, overrides: Partial<RefundRequest> = {}) {
  return {
    paymentId: PAYMENT_ID,
    gatewayReference,
    amount: 12_845,
    reason: 'job cancelled before work started',
    idempotencyKey: 'refund-1',
    ...overrides,
  } satisfies RefundRequest;
}

/** What a person, a log or an error tracker could read of an error. */
function readable(error: unknown): string {
  const { message, cause } = error as Error;
  return `${message} ${String(cause)} ${JSON.stringify(cause)}`;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe(StripePaymentProvider.name, () => {
  let fake: FakeStripe;
  let apiUrl: string;
  let provider: StripePaymentProvider;

  function providerWith(
    options: Partial<ConstructorParameters<typeof StripePaymentProvider>[0]> = {},
  ) {
    return new StripePaymentProvider({
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      apiUrl,
      timeoutMs: 2_000,
      ...options,
    });
  }

  beforeEach(async () => {
    fake = new FakeStripe();
    ({ apiUrl } = await fake.start());
    provider = providerWith();
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('charge', () => {
    it('should create a card PaymentIntent in piastres, keyed by the payment id, without personal data', async () => {
      const charged = await provider.charge(chargeRequest());

      expect(fake.requests).toHaveLength(1);
      const [request] = fake.requests;
      expect(request).toMatchObject({
        method: 'POST',
        path: '/v1/payment_intents',
        idempotencyKey: `payment:${PAYMENT_ID}`,
        stripeVersion: Stripe.API_VERSION,
        answer: 200,
      });
      expect(request.params).toEqual({
        amount: '12845',
        currency: 'egp',
        allowed_payment_method_types: ['card'],
        description: 'Kitchen tap replacement',
        metadata: { paymentId: PAYMENT_ID, payerId: '6650f1c2a9b3e4d5f6a7b800' },
      });
      expect(JSON.stringify(request.params)).not.toMatch(/Mona|example\.com|1001234567/);
      const intent = fake.intents.get(charged.gatewayReference);
      expect(intent).toMatchObject({
        amount: 12_845,
        currency: 'egp',
        status: 'requires_payment_method',
      });
      expect(charged).toEqual({
        gatewayReference: intent?.id,
        clientSecret: intent?.client_secret,
        expiresAt: new Date('2026-11-20T10:00:00.000Z'),
      });
      expect(charged.gatewayReference).toMatch(/^pi_/);
      expect(charged.clientSecret).toMatch(/^pi_\w+_secret_\w+$/);
    });

    it('should get the same PaymentIntent when the same payment is charged again', async () => {
      const first = await provider.charge(chargeRequest());
      const retried = await provider.charge(chargeRequest());

      expect(retried).toEqual(first);
      expect(fake.intents.size).toBe(1);
      expect(fake.requests.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
        [`payment:${PAYMENT_ID}`, false],
        [`payment:${PAYMENT_ID}`, true],
      ]);
    });

    it('should refuse, not retryable, the same payment charged again with another amount', async () => {
      await provider.charge(chargeRequest());

      const error = await rejectionOf(provider.charge(chargeRequest({ amount: 99_00 })));

      expect(error).toBeInstanceOf(PaymentGatewayError);
      expect(error).toMatchObject({ retryable: false });
      expect((error as Error).message).toMatch(/idempotency/i);
      expect(fake.intents.size).toBe(1);
    });

    it('should refuse a method other than card without calling Stripe', async () => {
      const error = await rejectionOf(provider.charge(chargeRequest({ method: 'pay_at_fawry' })));

      expect(error).toBeInstanceOf(PaymentGatewayError);
      expect(error).toMatchObject({ retryable: false });
      expect(fake.requests).toHaveLength(0);
    });

    it('should throw RangeError for an amount that is not whole piastres', async () => {
      await expect(provider.charge(chargeRequest({ amount: 128.45 }))).rejects.toThrow(RangeError);
      await expect(provider.charge(chargeRequest({ amount: 0 }))).rejects.toThrow(RangeError);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('status', () => {
    async function newIntent(): Promise<string> {
      return (await provider.charge(chargeRequest())).gatewayReference;
    }

    it('should retrieve the PaymentIntent with its latest charge expanded', async () => {
      const reference = await newIntent();

      await provider.status(reference);

      expect(fake.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/v1/payment_intents/${reference}`,
        query: { expand: ['latest_charge'] },
        answer: 200,
      });
    });

    it('should report processing and a declined card as pending', async () => {
      const declined = await newIntent();
      const declinedCharge = fake.fail(declined);
      const processing = await provider.charge(chargeRequest({ paymentId: 'other-payment' }));
      fake.process(processing.gatewayReference);

      expect(await provider.status(declined)).toEqual({
        status: 'pending',
        refundedAmount: 0,
        transactionId: declinedCharge.id,
      });
      expect(await provider.status(processing.gatewayReference)).toMatchObject({
        status: 'pending',
        refundedAmount: 0,
      });
    });

    it('should report the amount Stripe received, which is what was paid', async () => {
      const reference = await newIntent();
      const charge = fake.succeed(reference, { amount: 12_000 });

      expect(await provider.status(reference)).toEqual({
        status: 'paid',
        amount: 12_000,
        refundedAmount: 0,
        transactionId: charge.id,
      });
    });

    it('should report refunds made at Stripe: partial, then whole', async () => {
      const reference = await newIntent();
      fake.succeed(reference);

      fake.refundAtStripe(reference, 2_845);
      const partly = await provider.status(reference);
      fake.refundAtStripe(reference);
      const wholly = await provider.status(reference);

      expect(partly).toMatchObject({
        status: 'partially_refunded',
        amount: 12_845,
        refundedAmount: 2_845,
      });
      expect(wholly).toMatchObject({ status: 'refunded', amount: 12_845, refundedAmount: 12_845 });
    });

    it('should report a canceled PaymentIntent as failed', async () => {
      const reference = await newIntent();
      fake.cancel(reference, 'requested_by_customer');

      expect(await provider.status(reference)).toEqual({
        status: 'failed',
        refundedAmount: 0,
        transactionId: undefined,
      });
    });

    it('should throw a non-retryable error for a PaymentIntent Stripe does not know', async () => {
      const error = await rejectionOf(provider.status('pi_3NotAtStripe0000000000'));

      expect(error).toBeInstanceOf(PaymentGatewayError);
      expect(error).toMatchObject({ retryable: false });
      expect((error as Error).message).toContain('resource_missing');
    });
  });

  describe('refund', () => {
    async function paidIntent(): Promise<string> {
      const { gatewayReference } = await provider.charge(chargeRequest());
      fake.succeed(gatewayReference);
      return gatewayReference;
    }

    it('should refund through Stripe with our idempotency key, once however often it is retried', async () => {
      const reference = await paidIntent();

      const first = await provider.refund(refundRequest(reference, { amount: 5_000 }));
      const retried = await provider.refund(refundRequest(reference, { amount: 5_000 }));

      const refunds = [...fake.refunds.values()];
      expect(refunds).toHaveLength(1);
      expect(first).toEqual({ status: 'refunded', refundId: refunds[0].id });
      expect(retried).toEqual(first);
      const posted = fake.requests.filter((r) => r.path === '/v1/refunds');
      expect(posted.map((r) => r.idempotencyKey)).toEqual(['refund:refund-1', 'refund:refund-1']);
      expect(posted[0].params).toEqual({
        payment_intent: reference,
        amount: '5000',
        reason: 'requested_by_customer',
        metadata: { paymentId: PAYMENT_ID, reason: 'job cancelled before work started' },
      });
      expect(await provider.status(reference)).toMatchObject({
        status: 'partially_refunded',
        refundedAmount: 5_000,
      });
    });

    it('should report a refund Stripe finishes later as pending', async () => {
      const reference = await paidIntent();
      fake.answerNextRefunds({ status: 'pending' }, { status: 'requires_action' });

      const pending = await provider.refund(refundRequest(reference, { amount: 45 }));
      const needsAction = await provider.refund(
        refundRequest(reference, { amount: 800, idempotencyKey: 'refund-2' }),
      );

      expect(pending).toEqual({ status: 'pending', refundId: expect.stringMatching(/^re_/) });
      expect(needsAction).toMatchObject({ status: 'pending' });
    });

    it("should report a failed refund with Stripe's failure reason", async () => {
      const reference = await paidIntent();
      fake.answerNextRefunds({ status: 'failed', failureReason: 'expired_or_canceled_card' });

      expect(await provider.refund(refundRequest(reference))).toEqual({
        status: 'failed',
        reason: 'expired_or_canceled_card',
      });
    });

    it('should report a refund Stripe refuses (more than is left, nothing paid) as failed', async () => {
      const reference = await paidIntent();
      await provider.refund(refundRequest(reference, { amount: 12_000 }));
      const { gatewayReference: unpaid } = await provider.charge(
        chargeRequest({ paymentId: 'unpaid-payment' }),
      );

      const tooMuch = await provider.refund(
        refundRequest(reference, { amount: 1_000, idempotencyKey: 'refund-2' }),
      );
      const nothingPaid = await provider.refund(
        refundRequest(unpaid, { idempotencyKey: 'refund-3' }),
      );

      expect(tooMuch).toEqual({
        status: 'failed',
        reason: expect.stringContaining('greater than unrefunded amount'),
      });
      expect(nothingPaid).toEqual({
        status: 'failed',
        reason: expect.stringContaining('does not have a successful charge'),
      });
      expect(await provider.status(reference)).toMatchObject({ refundedAmount: 12_000 });
    });
  });

  describe('when Stripe is not well', () => {
    it('should retry a 500 with the same idempotency key, making one PaymentIntent', async () => {
      fake.answerNext('http500');

      const charged = await provider.charge(chargeRequest());

      expect(fake.requests.map((r) => [r.answer, r.idempotencyKey])).toEqual([
        [500, `payment:${PAYMENT_ID}`],
        [200, `payment:${PAYMENT_ID}`],
      ]);
      expect([...fake.intents.keys()]).toEqual([charged.gatewayReference]);
    });

    it('should throw a retryable error when Stripe answers 500 to every attempt', async () => {
      fake.answerNext('http500', 'http500');
      const charge = await rejectionOf(provider.charge(chargeRequest()));
      fake.answerNext('http500', 'http500');
      const status = await rejectionOf(provider.status('pi_any'));

      for (const error of [charge, status]) {
        expect(error).toBeInstanceOf(PaymentGatewayError);
        expect(error).toMatchObject({ retryable: true });
        expect((error as Error).message).toContain('HTTP 500');
      }
      expect(fake.requests.map((r) => r.answer)).toEqual([500, 500, 500, 500]);
      expect(fake.intents.size).toBe(0);
    });

    it('should throw a retryable error when Stripe does not answer in time, and find the charge made meanwhile', async () => {
      const impatient = providerWith({ timeoutMs: 300 });
      fake.answerNext('hang', 'hang');
      const started = Date.now();

      const error = await rejectionOf(impatient.charge(chargeRequest()));
      const elapsed = Date.now() - started;
      const retried = await impatient.charge(chargeRequest());

      expect(error).toBeInstanceOf(PaymentGatewayError);
      expect(error).toMatchObject({ retryable: true });
      expect((error as Error).message).toMatch(/timeout/i);
      // two attempts of 300 ms and the SDK's 0.5 s back-off between them
      expect(elapsed).toBeGreaterThanOrEqual(600);
      expect(elapsed).toBeLessThan(5_000);
      expect(fake.intents.size).toBe(1);
      expect(retried.gatewayReference).toBe([...fake.intents.keys()][0]);
      expect(fake.requests.map((r) => r.answer)).toEqual(['hang', 'hang', 200]);
    });

    it('should refund once when the answer to a refund was lost and it is asked again', async () => {
      const impatient = providerWith({ timeoutMs: 300 });
      const { gatewayReference } = await impatient.charge(chargeRequest());
      fake.succeed(gatewayReference);
      fake.answerNext('hang', 'hang');

      const lost = await rejectionOf(impatient.refund(refundRequest(gatewayReference)));
      const retried = await impatient.refund(refundRequest(gatewayReference));

      expect(lost).toBeInstanceOf(PaymentGatewayError);
      expect(lost).toMatchObject({ retryable: true });
      expect(fake.refunds.size).toBe(1);
      expect(retried).toEqual({ status: 'refunded', refundId: [...fake.refunds.keys()][0] });
      expect(await impatient.status(gatewayReference)).toMatchObject({
        status: 'refunded',
        refundedAmount: 12_845,
      });
    });

    it('should throw a retryable error when Stripe cannot be reached', async () => {
      await fake.close();

      const error = await rejectionOf(providerWith({ maxNetworkRetries: 0 }).status('pi_any'));

      expect(error).toBeInstanceOf(PaymentGatewayError);
      expect(error).toMatchObject({ retryable: true });
    });

    it('should throw a non-retryable error without the key when Stripe refuses the secret key', async () => {
      const wrongKey = 'sk_test_51WrongKeyWrongKeyWrongKey0000';
      const misconfigured = providerWith({ secretKey: wrongKey });

      const error = await rejectionOf(misconfigured.charge(chargeRequest()));

      expect(error).toBeInstanceOf(PaymentGatewayError);
      expect(error).toMatchObject({ retryable: false });
      expect((error as Error).message).toContain('HTTP 401');
      expect(readable(error)).not.toContain(wrongKey);
      expect(readable(error)).not.toContain(fake.secretKey);
      expect(fake.requests[0].answer).toBe(401);
      expect(fake.intents.size).toBe(0);
    });
  });

  describe('verifyWebhook', () => {
    async function paidIntent(): Promise<string> {
      const { gatewayReference } = await provider.charge(chargeRequest());
      fake.succeed(gatewayReference);
      return gatewayReference;
    }

    it('should name the PaymentIntent, its amount and the event', async () => {
      const reference = await paidIntent();
      const event = fake.event(reference, 'payment_intent.succeeded', { id: 'evt_1Paid' });
      const { rawBody, headers } = fake.signedDelivery(event);

      expect(provider.verifyWebhook(rawBody, headers)).toEqual({
        provider: 'stripe',
        eventId: 'evt_1Paid',
        type: 'payment_intent.succeeded',
        gatewayReference: reference,
        amount: 12_845,
      });
    });

    it.each([
      'payment_intent.processing',
      'payment_intent.payment_failed',
      'payment_intent.canceled',
      'payment_intent.created',
    ])('should name the PaymentIntent of %s', async (type) => {
      const { gatewayReference } = await provider.charge(chargeRequest());
      const { rawBody, headers } = fake.signedEvent(gatewayReference, type);

      expect(provider.verifyWebhook(rawBody, headers)).toMatchObject({
        type,
        gatewayReference,
        amount: 12_845,
      });
    });

    it("should name a refunded charge's PaymentIntent", async () => {
      const reference = await paidIntent();
      fake.refundAtStripe(reference, 845);
      const { rawBody, headers } = fake.signedEvent(reference, 'charge.refunded');

      expect(provider.verifyWebhook(rawBody, headers)).toMatchObject({
        type: 'charge.refunded',
        gatewayReference: reference,
        amount: 12_845,
      });
    });

    it.each(['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated'])(
      "should name the refund's PaymentIntent, without an amount, for %s",
      async (type) => {
        const reference = await paidIntent();
        fake.refundAtStripe(reference, 845);
        const { rawBody, headers } = fake.signedEvent(reference, type);

        const verified = provider.verifyWebhook(rawBody, headers);

        expect(verified).toMatchObject({ type, gatewayReference: reference });
        expect(verified).not.toHaveProperty('amount');
      },
    );

    it.each([
      ['charge.succeeded', undefined],
      ['customer.created', { id: 'cus_1', object: 'customer' }],
      ['payout.paid', { id: 'po_1', object: 'payout', amount: 12_845 }],
    ])('should verify but ignore %s', async (type, object) => {
      const reference = await paidIntent();
      const event = fake.event(reference, type);
      const delivered = object ? { ...event, data: { object } } : event;
      const { rawBody, headers } = fake.signedDelivery(delivered);

      expect(provider.verifyWebhook(rawBody, headers)).toBeNull();
    });

    it('should refuse the body re-serialised (other spacing, other key order)', async () => {
      const reference = await paidIntent();
      const { rawBody, headers } = fake.signedDelivery(
        fake.event(reference, 'payment_intent.succeeded'),
      );
      const parsed = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
      const compact = Buffer.from(JSON.stringify(parsed));
      const reordered = Buffer.from(
        JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse()), null, 2),
      );

      expect(provider.verifyWebhook(rawBody, headers)).not.toBeNull();
      expect(() => provider.verifyWebhook(compact, headers)).toThrow(InvalidWebhookSignatureError);
      expect(() => provider.verifyWebhook(reordered, headers)).toThrow(
        InvalidWebhookSignatureError,
      );
    });

    it('should refuse the body with one byte changed (the amount)', async () => {
      const reference = await paidIntent();
      const { rawBody, headers } = fake.signedDelivery(
        fake.event(reference, 'payment_intent.succeeded'),
      );
      const at = rawBody.indexOf('"amount": 12845');
      const tampered = Buffer.from(rawBody);
      tampered[at + '"amount": '.length] = '9'.charCodeAt(0);

      expect(at).toBeGreaterThan(0);
      expect(() => provider.verifyWebhook(tampered, headers)).toThrow(InvalidWebhookSignatureError);
    });

    it('should refuse a signature older than 300 s and accept one of 299 s', async () => {
      const reference = await paidIntent();
      const event = fake.event(reference, 'payment_intent.succeeded');
      const now = Math.floor(Date.now() / 1000);
      const stale = fake.signedDelivery(event, { timestamp: now - 301 });
      const recent = fake.signedDelivery(event, { timestamp: now - 299 });

      expect(() => provider.verifyWebhook(stale.rawBody, stale.headers)).toThrow(/tolerance/);
      expect(provider.verifyWebhook(recent.rawBody, recent.headers)).toMatchObject({
        gatewayReference: reference,
      });
    });

    it('should refuse a webhook signed with another secret, without telling ours', async () => {
      const reference = await paidIntent();
      const { rawBody, headers } = fake.signedDelivery(
        fake.event(reference, 'payment_intent.succeeded'),
        { secret: 'whsec_someoneElsesSecret000000000' },
      );

      let error: unknown;
      try {
        provider.verifyWebhook(rawBody, headers);
      } catch (caught) {
        error = caught;
      }

      expect(error).toBeInstanceOf(InvalidWebhookSignatureError);
      expect(readable(error)).not.toContain(fake.webhookSecret);
    });

    it('should find Stripe-Signature in any case, and refuse it missing or repeated', async () => {
      const reference = await paidIntent();
      const { rawBody, headers } = fake.signedDelivery(
        fake.event(reference, 'payment_intent.succeeded'),
      );
      const signature = headers['stripe-signature'];

      expect(provider.verifyWebhook(rawBody, { 'Stripe-Signature': signature })).not.toBeNull();
      expect(() => provider.verifyWebhook(rawBody, { 'content-type': 'application/json' })).toThrow(
        InvalidWebhookSignatureError,
      );
      expect(() =>
        provider.verifyWebhook(rawBody, { 'stripe-signature': [signature, signature] }),
      ).toThrow(InvalidWebhookSignatureError);
      expect(() => provider.verifyWebhook(rawBody, { 'stripe-signature': 't=1,v1=00' })).toThrow(
        InvalidWebhookSignatureError,
      );
    });

    it('should refuse a correctly signed body that is not JSON', () => {
      const payload = 'not an event';
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: fake.webhookSecret,
      });

      expect(() =>
        provider.verifyWebhook(Buffer.from(payload), { 'stripe-signature': signature }),
      ).toThrow(InvalidWebhookSignatureError);
    });
  });

  describe('configuration', () => {
    it('should refuse an API URL that is not an http(s) origin', () => {
      expect(() => providerWith({ apiUrl: 'http://127.0.0.1:4242/v1' })).toThrow(/origin/);
      expect(() => providerWith({ apiUrl: 'ftp://127.0.0.1' })).toThrow(/origin/);
    });
  });
});
