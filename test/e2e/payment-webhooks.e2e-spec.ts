import { Types } from 'mongoose';
import { limitsOf } from '../../src/modules/money/ledger/ledger-accounts.js';
import { balanceOf, ledgerCheck } from '../support/money.js';
import {
  expectBalancedLedger,
  FakeGateways,
  hiredJob,
  initiate,
  move,
  notificationsOfType,
  type Payment,
  paymentOf,
  postFawry,
  postStripe,
} from '../support/payments.js';
import { loginAsAdmin, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PRICE = 50_000;
/** PRICE minus the platform's 10 % fee. */
const NET = 45_000;
const MOBILE_WALLET = {
  type: 'mobile_wallet',
  accountName: 'Karim Adel',
  msisdn: '+201001234567',
};

interface Paid {
  client: Session;
  craftsman: Session;
  job: { id: string };
  payment: Payment;
}

/** A delivery of Stripe's, as `FakeStripe.signedDelivery` builds it. */
type StripeDelivery = { rawBody: Buffer; headers: Record<string, string> };

describe('Payment webhooks (Fawry and Stripe, through the app)', () => {
  const gateways = new FakeGateways();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({ env: await gateways.start() });
  });

  afterAll(async () => {
    await t.close();
    await gateways.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
  });

  afterEach(async () => {
    await expectBalancedLedger(t, admin);
  });

  /** A hired escrow job and its pending payment through `provider`. */
  async function pendingPayment(provider: 'fawry' | 'stripe', method?: string): Promise<Paid> {
    const { client, craftsman, job } = await hiredJob(t, { price: PRICE });
    const answer = await initiate(t, client, {
      jobId: job.id,
      provider,
      ...(method ? { method } : {}),
    }).expect(201);
    return { client, craftsman, job, payment: answer.body as Payment };
  }

  /** The refunds (fake) Stripe made of the PaymentIntent (the fake outlives each test). */
  function refundsAtStripe(intentId: string): unknown[] {
    return [...gateways.stripe.refunds.values()].filter(
      (refund) => refund.payment_intent === intentId,
    );
  }

  async function entries(): Promise<number> {
    return (await ledgerCheck(t, admin)).entries;
  }

  async function parked(): Promise<Payment[]> {
    const list = await t.http
      .get('/api/admin/payments')
      .query({ parked: true })
      .set('Authorization', admin.bearer)
      .expect(200);
    return list.body.data as Payment[];
  }

  function confirm(client: Session, payment: Payment) {
    return t.http.post(`/api/payments/${payment.id}/confirm`).set('Authorization', client.bearer);
  }

  /** Accounts past their bounds (a person's money or an escrow below zero, a debt above it). */
  async function accountsOutOfBounds(): Promise<Array<{ _id: string; balance: number }>> {
    const accounts = await t.connection
      .collection<{ _id: string; balance: number }>('ledger_accounts')
      .find({})
      .toArray();
    return accounts.filter(({ _id, balance }) => {
      const { min, max } = limitsOf(_id);
      return (min !== undefined && balance < min) || (max !== undefined && balance > max);
    });
  }

  /** Both parties were told once that the money is held. */
  async function expectToldHeldOnce({ client, craftsman }: Paid): Promise<void> {
    expect(await notificationsOfType(t, craftsman, 'payment.held')).toBe(1);
    expect(await notificationsOfType(t, client, 'payment.held')).toBe(1);
  }

  function statuses(answers: Array<{ status: number }>): number[] {
    return answers.map((answer) => answer.status);
  }

  describe('the same event delivered many times at once', () => {
    it('should hold once for a Fawry notification delivered 10 times concurrently', async () => {
      const paid = await pendingPayment('fawry');
      gateways.fawry.pay(paid.payment.id);
      const notification = gateways.fawry.notificationFor(paid.payment.id);

      const answers = await Promise.all(
        Array.from({ length: 10 }, () => postFawry(t, notification)),
      );

      expect(statuses(answers)).toEqual(Array(10).fill(200));
      expect(await paymentOf(t, paid.client, paid.payment.id)).toMatchObject({
        status: 'held',
        amount: PRICE,
      });
      expect(await entries()).toBe(1);
      await expectToldHeldOnce(paid);
    });

    it('should hold once for a Stripe delivery sent 10 times concurrently', async () => {
      const paid = await pendingPayment('stripe');
      const intentId = gateways.stripe.intentFor(paid.payment.id);
      gateways.stripe.succeed(intentId);
      const delivery = gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');

      const answers = await Promise.all(Array.from({ length: 10 }, () => postStripe(t, delivery)));

      expect(statuses(answers)).toEqual(Array(10).fill(200));
      expect(await paymentOf(t, paid.client, paid.payment.id)).toMatchObject({ status: 'held' });
      expect(await entries()).toBe(1);
      await expectToldHeldOnce(paid);
      // delivered again later: known, nothing changes
      const later = await postStripe(t, delivery).expect(200);
      expect(later.body).toEqual({ received: true, duplicate: true });
      expect(await entries()).toBe(1);
    });
  });

  describe('several events about one success', () => {
    it('should credit once for events of other ids about the same PaymentIntent', async () => {
      const paid = await pendingPayment('stripe');
      const intentId = gateways.stripe.intentFor(paid.payment.id);
      gateways.stripe.succeed(intentId);
      const deliveries = [
        gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded'),
        gateways.stripe.signedEvent(intentId, 'charge.succeeded'),
        gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded'),
      ];

      const answers = await Promise.all(
        deliveries.map((delivery, i) =>
          // Stripe's own route and the shared one (told by Stripe-Signature) alike
          postStripe(t, delivery, i === 1 ? '/api/payments/webhook/stripe' : undefined),
        ),
      );

      expect(statuses(answers)).toEqual([200, 200, 200]);
      expect(await paymentOf(t, paid.client, paid.payment.id)).toMatchObject({ status: 'held' });
      expect(await entries()).toBe(1);
      await expectToldHeldOnce(paid);
      expect((await balanceOf(t, paid.craftsman)).balance).toBe(0);
    });
  });

  describe('events out of order', () => {
    it('should stay held when payment_intent.processing comes after payment_intent.succeeded', async () => {
      const paid = await pendingPayment('stripe');
      const intentId = gateways.stripe.intentFor(paid.payment.id);
      gateways.stripe.process(intentId);
      const processing = gateways.stripe.signedEvent(intentId, 'payment_intent.processing');
      gateways.stripe.succeed(intentId);
      const succeeded = gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');

      await postStripe(t, succeeded).expect(200);
      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('held');
      await postStripe(t, processing).expect(200);

      expect(await paymentOf(t, paid.client, paid.payment.id)).toMatchObject({
        status: 'held',
        refundedAmount: 0,
      });
      expect(await entries()).toBe(1);
      await expectToldHeldOnce(paid);
    });

    it('should end refunded when charge.refunded comes before payment_intent.succeeded', async () => {
      const paid = await pendingPayment('stripe');
      const intentId = gateways.stripe.intentFor(paid.payment.id);
      gateways.stripe.succeed(intentId);
      const succeeded = gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');
      gateways.stripe.refundAtStripe(intentId);
      const refunded = gateways.stripe.signedEvent(intentId, 'charge.refunded');

      await postStripe(t, refunded).expect(200);
      await postStripe(t, succeeded).expect(200);

      const payment = await paymentOf(t, paid.client, paid.payment.id);
      expect(payment).toMatchObject({
        status: 'refunded',
        refundedAmount: PRICE,
        refund: expect.objectContaining({ state: 'done', amount: PRICE }) as unknown,
      });
      // the refund was Stripe's own: nothing asked of Stripe again
      expect(refundsAtStripe(intentId)).toHaveLength(1);
      expect(await notificationsOfType(t, paid.client, 'payment.refunded')).toBe(1);
      // money already given back when we first heard of it is never announced as held
      expect(await notificationsOfType(t, paid.client, 'payment.held')).toBe(0);
      expect(await notificationsOfType(t, paid.craftsman, 'payment.held')).toBe(0);
      expect(await accountsOutOfBounds()).toEqual([]);
      expect(await balanceOf(t, paid.craftsman)).toMatchObject({
        balance: 0,
        withdrawableBalance: 0,
        feesOwed: 0,
      });
      const entriesAfter = await entries();
      // delivered again: nothing moves
      await Promise.all([postStripe(t, succeeded), postStripe(t, refunded)]);
      expect(await entries()).toBe(entriesAfter);
      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('refunded');
    });

    it('should move no money for a Fawry PAID notification replayed after the refund', async () => {
      const paid = await pendingPayment('fawry');
      gateways.fawry.pay(paid.payment.id);
      const paidNotification = gateways.fawry.notificationFor(paid.payment.id);
      await postFawry(t, paidNotification).expect(200);
      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('held');
      // the client cancels the hired job: a full refund through Fawry
      await t.http
        .delete(`/api/jobs/${paid.job.id}`)
        .set('Authorization', paid.client.bearer)
        .expect(200);
      expect(await paymentOf(t, paid.client, paid.payment.id)).toMatchObject({
        status: 'refunded',
        refundedAmount: PRICE,
        refund: expect.objectContaining({ state: 'done' }) as unknown,
      });
      expect(gateways.fawry.charges.get(paid.payment.id)?.orderStatus).toBe('REFUNDED');
      const entriesAfterRefund = await entries();

      const replayed = await postFawry(t, paidNotification).expect(200);
      expect(replayed.body).toEqual({ received: true, duplicate: true });
      // the same PAID news again under another request id, signed by Fawry
      const again = gateways.fawry.notificationFor(paid.payment.id, { orderStatus: 'PAID' });
      await postFawry(t, again).expect(200);

      expect(await entries()).toBe(entriesAfterRefund);
      expect(await paymentOf(t, paid.client, paid.payment.id)).toMatchObject({
        status: 'refunded',
        refundedAmount: PRICE,
      });
      expect(gateways.fawry.charges.get(paid.payment.id)?.refunds).toHaveLength(1);
      await expectToldHeldOnce(paid);
      expect(await accountsOutOfBounds()).toEqual([]);
    });
  });

  describe('a webhook for a payment the database does not know yet', () => {
    /** As if the charge's reference were not stored yet (the webhook outran our write). */
    async function forgetReference(payment: Payment): Promise<string> {
      const payments = t.connection.collection('payments');
      const _id = new Types.ObjectId(payment.id);
      const stored = await payments.findOne({ _id });
      await payments.updateOne({ _id }, { $unset: { gatewayReference: 1 } });
      return stored?.gatewayReference as string;
    }

    async function restoreReference(payment: Payment, reference: string): Promise<void> {
      await t.connection
        .collection('payments')
        .updateOne(
          { _id: new Types.ObjectId(payment.id) },
          { $set: { gatewayReference: reference } },
        );
    }

    it('should answer Stripe 404 and hold the payment when Stripe sends the same bytes again', async () => {
      const paid = await pendingPayment('stripe');
      const intentId = gateways.stripe.intentFor(paid.payment.id);
      gateways.stripe.succeed(intentId);
      const delivery = gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');
      const reference = await forgetReference(paid.payment);
      expect(reference).toBe(intentId);

      const first = await postStripe(t, delivery).expect(404);
      expect(first.body.code).toBe('NOT_FOUND');
      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('pending');
      expect(await entries()).toBe(0);

      await restoreReference(paid.payment, reference);
      const retry = await postStripe(t, delivery).expect(200);

      expect(retry.body).toEqual({ received: true, duplicate: false });
      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('held');
      expect(await entries()).toBe(1);
      await expectToldHeldOnce(paid);
    });

    it('should answer Fawry 404 and hold the payment when Fawry notifies again', async () => {
      const paid = await pendingPayment('fawry');
      gateways.fawry.pay(paid.payment.id);
      const notification = gateways.fawry.notificationFor(paid.payment.id);
      const reference = await forgetReference(paid.payment);

      const first = await postFawry(t, notification).expect(404);
      expect(first.body.code).toBe('NOT_FOUND');
      expect(await entries()).toBe(0);

      await restoreReference(paid.payment, reference);
      await postFawry(t, notification).expect(200);

      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('held');
      expect(await entries()).toBe(1);
      await expectToldHeldOnce(paid);
    });
  });

  describe("Stripe's signature", () => {
    /** A paid PaymentIntent's payment, and Stripe's delivery of its success. */
    async function paidAtStripe(): Promise<Paid & { intentId: string; delivery: StripeDelivery }> {
      const paid = await pendingPayment('stripe');
      const intentId = gateways.stripe.intentFor(paid.payment.id);
      gateways.stripe.succeed(intentId);
      return {
        ...paid,
        intentId,
        delivery: gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded'),
      };
    }

    async function expectRefused(paid: Paid, delivery: StripeDelivery): Promise<void> {
      const answer = await postStripe(t, delivery).expect(400);
      expect(answer.body).toMatchObject({ statusCode: 400, code: 'INVALID_SIGNATURE' });
      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('pending');
      expect(await entries()).toBe(0);
    }

    function withBody(delivery: StripeDelivery, text: string): StripeDelivery {
      return { ...delivery, rawBody: Buffer.from(text, 'utf8') };
    }

    it('should refuse the body re-serialised (other spacing or key order) under the same signature', async () => {
      const paid = await paidAtStripe();
      const event = JSON.parse(paid.delivery.rawBody.toString('utf8')) as Record<string, unknown>;
      const reordered = Object.fromEntries(Object.entries(event).reverse());

      await expectRefused(paid, withBody(paid.delivery, JSON.stringify(event)));
      await expectRefused(paid, withBody(paid.delivery, JSON.stringify(event, null, 4)));
      await expectRefused(paid, withBody(paid.delivery, JSON.stringify(reordered, null, 2)));
      // the bytes Stripe signed still verify
      await postStripe(t, paid.delivery).expect(200);
      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('held');
    });

    it('should refuse the body with one byte changed', async () => {
      const paid = await paidAtStripe();
      const text = paid.delivery.rawBody.toString('utf8');
      const at = text.indexOf(`"amount": ${PRICE}`);
      expect(at).toBeGreaterThan(0);
      const digit = at + '"amount": '.length;
      const changed = `${text.slice(0, digit)}9${text.slice(digit + 1)}`;
      expect(changed).toHaveLength(text.length);

      await expectRefused(paid, withBody(paid.delivery, changed));
    });

    it('should refuse a signature older than 300 s and accept one of 299 s', async () => {
      const paid = await paidAtStripe();
      const now = Math.floor(Date.now() / 1000);

      await expectRefused(
        paid,
        gateways.stripe.signedEvent(paid.intentId, 'payment_intent.succeeded', {
          timestamp: now - 301,
        }),
      );
      await postStripe(
        t,
        gateways.stripe.signedEvent(paid.intentId, 'payment_intent.succeeded', {
          timestamp: now - 299,
        }),
      ).expect(200);

      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('held');
      expect(await entries()).toBe(1);
    });

    it('should refuse a webhook signed with another secret', async () => {
      const paid = await paidAtStripe();

      await expectRefused(
        paid,
        gateways.stripe.signedEvent(paid.intentId, 'payment_intent.succeeded', {
          secret: 'whsec_someone_else_entirely',
        }),
      );
      // nor does it become Fawry's when posted to the Fawry route
      const asFawry = await postStripe(t, paid.delivery, '/api/payments/webhook/fawry').expect(400);
      expect(asFawry.body.code).toBe('INVALID_SIGNATURE');
    });
  });

  describe("Fawry's notifications", () => {
    it('should park a payment whose notification reports another amount, moving no money', async () => {
      const short = await pendingPayment('fawry');
      // the payer paid EGP 400 of the EGP 500 due
      gateways.fawry.pay(short.payment.id, { amount: 40_000 });
      await postFawry(t, gateways.fawry.notificationFor(short.payment.id)).expect(200);
      // a notification, correctly signed, that reports more than Fawry's status API
      const claimed = await pendingPayment('fawry');
      gateways.fawry.pay(claimed.payment.id);
      await postFawry(
        t,
        gateways.fawry.notificationFor(claimed.payment.id, { orderAmount: 600 }),
      ).expect(200);

      const list = await parked();
      expect(list.map((payment) => payment.id).sort()).toEqual(
        [short.payment.id, claimed.payment.id].sort(),
      );
      expect(list.find((payment) => payment.id === short.payment.id)).toMatchObject({
        status: 'pending',
        parked: { reportedAmount: 40_000, reason: expect.any(String) as unknown },
      });
      expect(list.find((payment) => payment.id === claimed.payment.id)).toMatchObject({
        status: 'pending',
        parked: { reportedAmount: 60_000 },
      });
      expect(await entries()).toBe(0);
      // the client's confirm does not take it past the admin either
      await confirm(short.client, short.payment).expect(200);
      expect((await paymentOf(t, short.client, short.payment.id)).status).toBe('pending');
      expect(await entries()).toBe(0);
      expect(await notificationsOfType(t, short.craftsman, 'payment.held')).toBe(0);
    });

    it('should refuse a forged messageSignature with 400 INVALID_SIGNATURE', async () => {
      const paid = await pendingPayment('fawry');
      gateways.fawry.pay(paid.payment.id, { amount: 40_000 });
      const forgeries = [
        gateways.fawry.notificationFor(paid.payment.id, {
          forgeSignature: true,
          messageSignature: 'a'.repeat(64),
        }),
        // signed for EGP 400, then the amounts raised to the price
        gateways.fawry.notificationFor(paid.payment.id, {
          forgeSignature: true,
          orderAmount: 500,
          paymentAmount: 500,
        }),
      ];

      for (const forged of forgeries) {
        const answer = await postFawry(t, forged).expect(400);
        expect(answer.body).toMatchObject({ statusCode: 400, code: 'INVALID_SIGNATURE' });
      }

      expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('pending');
      expect(await parked()).toEqual([]);
      expect(await entries()).toBe(0);
    });

    it('should verify notifications with and without paymentRefrenceNumber', async () => {
      const withReference = await pendingPayment('fawry', 'pay_at_fawry');
      gateways.fawry.pay(withReference.payment.id);
      const notification = gateways.fawry.notificationFor(withReference.payment.id);
      expect(notification.paymentRefrenceNumber).toEqual(expect.any(String));
      await postFawry(t, notification).expect(200);

      const withoutReference = await pendingPayment('fawry', 'pay_at_fawry');
      gateways.fawry.pay(withoutReference.payment.id);
      const bare = gateways.fawry.notificationFor(withoutReference.payment.id, {
        omitPaymentReference: true,
      });
      expect(bare).not.toHaveProperty('paymentRefrenceNumber');
      // through the route that tells the gateway by its header
      await postFawry(t, bare, '/api/payments/webhook').expect(200);

      for (const paid of [withReference, withoutReference]) {
        expect((await paymentOf(t, paid.client, paid.payment.id)).status).toBe('held');
        await expectToldHeldOnce(paid);
      }
      expect(await entries()).toBe(2);
    });
  });

  describe("the client's confirm racing the webhook", () => {
    it('should hold a Stripe payment once when confirms and deliveries come together', async () => {
      const paid = await pendingPayment('stripe');
      const intentId = gateways.stripe.intentFor(paid.payment.id);
      gateways.stripe.succeed(intentId);
      const delivery = gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');

      const [confirms, deliveries] = await Promise.all([
        Promise.all(Array.from({ length: 5 }, () => confirm(paid.client, paid.payment))),
        Promise.all(Array.from({ length: 5 }, () => postStripe(t, delivery))),
      ]);

      expect(statuses(confirms)).toEqual(Array(5).fill(200));
      expect(confirms.map((answer) => (answer.body as Payment).status)).toEqual(
        Array(5).fill('held'),
      );
      expect(statuses(deliveries)).toEqual(Array(5).fill(200));
      expect(await entries()).toBe(1);
      await expectToldHeldOnce(paid);
    });

    it('should hold a Fawry payment once when confirms and notifications come together', async () => {
      const paid = await pendingPayment('fawry');
      gateways.fawry.pay(paid.payment.id);
      const notifications = Array.from({ length: 3 }, () =>
        gateways.fawry.notificationFor(paid.payment.id),
      );

      const [confirms, deliveries] = await Promise.all([
        Promise.all(Array.from({ length: 5 }, () => confirm(paid.client, paid.payment))),
        Promise.all(
          [...notifications, ...notifications].map((notification) => postFawry(t, notification)),
        ),
      ]);

      expect(statuses(confirms)).toEqual(Array(5).fill(200));
      expect(confirms.map((answer) => (answer.body as Payment).status)).toEqual(
        Array(5).fill('held'),
      );
      expect(statuses(deliveries)).toEqual(Array(6).fill(200));
      expect(await entries()).toBe(1);
      await expectToldHeldOnce(paid);
    });
  });

  describe('a refund at the gateway after the craftsman withdrew', () => {
    /** A Stripe payment held, its job completed (released) and the craftsman's withdrawal of it. */
    async function releasedAndWithdrawn() {
      const paid = await pendingPayment('stripe');
      const { client, craftsman, job } = paid;
      const intentId = gateways.stripe.intentFor(paid.payment.id);
      gateways.stripe.succeed(intentId);
      await postStripe(t, gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded')).expect(
        200,
      );
      await move(t, craftsman, job.id, 'on_the_way');
      await move(t, craftsman, job.id, 'in_progress');
      await move(t, client, job.id, 'completed');
      expect((await paymentOf(t, client, paid.payment.id)).status).toBe('released');
      expect(await balanceOf(t, craftsman)).toMatchObject({
        balance: NET,
        withdrawableBalance: NET,
      });
      const withdrawal = await t.http
        .post('/api/wallet/withdraw')
        .set('Authorization', craftsman.bearer)
        .send({ amount: NET, destination: MOBILE_WALLET })
        .expect(201);
      expect(await balanceOf(t, craftsman)).toMatchObject({
        withdrawableBalance: 0,
        pending: NET,
        feesOwed: 0,
      });
      return { ...paid, intentId, withdrawalId: withdrawal.body.id as string };
    }

    it('should show what the craftsman owes when Stripe refunds a payment he was paid out', async () => {
      const { client, craftsman, job, payment, intentId, withdrawalId } =
        await releasedAndWithdrawn();
      await t.http
        .post(`/api/admin/withdrawals/${withdrawalId}/mark-paid`)
        .set('Authorization', admin.bearer)
        .send({ reference: 'BANK-REF-1' })
        .expect(200);

      gateways.stripe.refundAtStripe(intentId);
      await postStripe(t, gateways.stripe.signedEvent(intentId, 'charge.refunded')).expect(200);

      expect(await paymentOf(t, client, payment.id)).toMatchObject({
        status: 'refunded',
        refundedAmount: PRICE,
      });
      expect(await balanceOf(t, craftsman)).toMatchObject({
        feesOwed: NET,
        withdrawableBalance: 0,
        pending: 0,
        balance: -NET,
      });
      const transactions = await t.http
        .get('/api/wallet/transactions')
        .set('Authorization', craftsman.bearer)
        .expect(200);
      expect(transactions.body.data).toContainEqual(
        expect.objectContaining({ type: 'refund', amount: -NET, job: job.id }),
      );
      const told = await t.http
        .get('/api/notifications')
        .query({ limit: 100 })
        .set('Authorization', craftsman.bearer)
        .expect(200);
      expect(told.body.data).toContainEqual(
        expect.objectContaining({
          type: 'wallet.updated',
          message: expect.stringContaining('you owe') as unknown,
        }),
      );
      expect(await notificationsOfType(t, client, 'payment.refunded')).toBe(1);
      expect(await accountsOutOfBounds()).toEqual([]);
      // Stripe refunded it itself: nothing asked of Stripe
      expect(refundsAtStripe(intentId)).toHaveLength(1);
    });

    it('should take the debt back from a withdrawal nobody paid out yet', async () => {
      const { client, craftsman, payment, intentId, withdrawalId } = await releasedAndWithdrawn();

      gateways.stripe.refundAtStripe(intentId);
      await postStripe(t, gateways.stripe.signedEvent(intentId, 'charge.refunded')).expect(200);

      expect((await paymentOf(t, client, payment.id)).status).toBe('refunded');
      // the money the platform would have paid out pays back the refund instead
      expect(await balanceOf(t, craftsman)).toMatchObject({
        feesOwed: 0,
        withdrawableBalance: 0,
        pending: 0,
        balance: 0,
      });
      const withdrawals = await t.http
        .get('/api/wallet/withdrawals')
        .set('Authorization', craftsman.bearer)
        .expect(200);
      expect(withdrawals.body.data).toEqual([
        expect.objectContaining({
          id: withdrawalId,
          status: 'failed',
          failureReason: expect.stringContaining('refunded') as unknown,
        }),
      ]);
      const paidOut = await t.http
        .post(`/api/admin/withdrawals/${withdrawalId}/mark-paid`)
        .set('Authorization', admin.bearer)
        .send({ reference: 'BANK-REF-2' });
      expect(paidOut.status).toBe(409);
      expect(await accountsOutOfBounds()).toEqual([]);
    });
  });
});
