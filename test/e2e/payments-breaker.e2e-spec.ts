import { Types } from 'mongoose';
import { CronService } from '../../src/modules/cron/cron.service.js';
import { EscrowService } from '../../src/modules/money/payments/escrow.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { balanceOf } from '../support/money.js';
import {
  expectBalancedLedger,
  FAWRY_SECURE_KEY,
  FakeGateways,
  hiredJob,
  initiate,
  move,
  type Payment,
  paymentOf,
  postFawry,
  postStripe,
  STRIPE_SECRET_KEY,
  STRIPE_WEBHOOK_SECRET,
} from '../support/payments.js';
import { loginAsAdmin, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;

/**
 * Regression tests of faults found by attacking client payments (races between webhooks,
 * confirms and cancellations, gateway refunds, top-ups, content types, logs).
 */
describe('Client payments under attack', () => {
  const clock = new FakeClock();
  const gateways = new FakeGateways();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: await gateways.start() });
  });

  afterAll(async () => {
    await t?.close();
    await gateways.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
  });

  afterEach(async () => {
    await expectBalancedLedger(t, admin);
  });

  async function escrowBalance(jobId: string): Promise<number> {
    const account = await t.connection
      .collection<{ _id: string; balance: number }>('ledger_accounts')
      .findOne({ _id: `escrow:job:${jobId}` });
    return account?.balance ?? 0;
  }

  it('should let a craftsman confirm his own top-up', async () => {
    const { craftsman } = await hiredJob(t, { paymentType: 'cash' });
    const topUp = (
      await t.http
        .post('/api/wallet/top-up')
        .set('Authorization', craftsman.bearer)
        .send({ amount: 10_000, provider: 'stripe' })
        .expect(201)
    ).body as Payment;
    gateways.stripe.succeed(gateways.stripe.intentFor(topUp.id));
    const confirmed = await t.http
      .post(`/api/payments/${topUp.id}/confirm`)
      .set('Authorization', craftsman.bearer);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'released' });
    expect((await balanceOf(t, craftsman)).balance).toBe(10_000);
  });

  it('should not let the craftsman set out after the gateway gave the held money back, and let the client pay again', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 30_000 });
    const first = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    const intentId = gateways.stripe.intentFor(first.id);
    gateways.stripe.succeed(intentId);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded')).expect(
      200,
    );
    expect(await paymentOf(t, client, first.id)).toMatchObject({ status: 'held' });

    // refunded from Stripe's dashboard (or a chargeback) while the job is still hired
    gateways.stripe.refundAtStripe(intentId);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'charge.refunded')).expect(200);
    expect(await paymentOf(t, client, first.id)).toMatchObject({ status: 'refunded' });
    expect(await escrowBalance(job.id)).toBe(0);

    // nothing is held: the craftsman can't set out
    const early = await move(t, craftsman, job.id, 'on_the_way', 409);
    expect(early.body.code).toBe('PAYMENT_REQUIRED');

    // the client pays again, and that payment is the job's
    const second = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    expect(second.id).not.toBe(first.id);
    const secondIntent = gateways.stripe.intentFor(second.id);
    gateways.stripe.succeed(secondIntent);
    await postStripe(
      t,
      gateways.stripe.signedEvent(secondIntent, 'payment_intent.succeeded'),
    ).expect(200);
    expect(await paymentOf(t, client, second.id)).toMatchObject({ status: 'held' });
    expect(await escrowBalance(job.id)).toBe(30_000);
    await move(t, craftsman, job.id, 'on_the_way');
    await move(t, craftsman, job.id, 'in_progress');
    await move(t, client, job.id, 'completed');
    expect((await balanceOf(t, craftsman)).balance).toBe(27_000);
    expect(await paymentOf(t, client, second.id)).toMatchObject({ status: 'released' });
  });

  it('should refund in full a payment made after its hired job was cancelled', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 20_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    await t.http.delete(`/api/jobs/${job.id}`).set('Authorization', client.bearer).expect(200);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'failed' });

    // the app had the client secret: the card is charged anyway
    const intentId = gateways.stripe.intentFor(payment.id);
    gateways.stripe.succeed(intentId);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded')).expect(
      200,
    );
    expect(await paymentOf(t, admin, payment.id)).toMatchObject({
      status: 'refunded',
      refundedAmount: 20_000,
      refund: expect.objectContaining({ state: 'done', reason: 'job_cancelled' }),
    });
    expect(await escrowBalance(job.id)).toBe(0);
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
    const again = await initiate(t, client, { jobId: job.id, provider: 'stripe' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('JOB_NOT_PAYABLE');
  });

  it('should hold one of two payments paid for one job and refund the other', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 10_000 });
    const stale = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    clock.advance(49 * HOUR);
    await t.app.get(CronService).sweepMoney();
    expect(await paymentOf(t, client, stale.id)).toMatchObject({ status: 'expired' });
    const fresh = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    gateways.fawry.pay(fresh.id);
    await postFawry(t, gateways.fawry.notificationFor(fresh.id)).expect(200);

    // the old PaymentIntent is still confirmable with its client secret
    const staleIntent = gateways.stripe.intentFor(stale.id);
    gateways.stripe.succeed(staleIntent);
    await postStripe(
      t,
      gateways.stripe.signedEvent(staleIntent, 'payment_intent.succeeded'),
    ).expect(200);
    expect(await paymentOf(t, admin, stale.id)).toMatchObject({
      status: 'refunded',
      refund: expect.objectContaining({ state: 'done', reason: 'duplicate_payment' }),
    });
    expect(await paymentOf(t, client, fresh.id)).toMatchObject({ status: 'held' });
    expect(await escrowBalance(job.id)).toBe(10_000);
    await move(t, craftsman, job.id, 'on_the_way');
    await move(t, craftsman, job.id, 'in_progress');
    await move(t, client, job.id, 'completed');
    expect((await balanceOf(t, craftsman)).balance).toBe(9_000);
    expect(await escrowBalance(job.id)).toBe(0);
  });

  it('should move the money once when the client cancels while the webhook holds the payment', async () => {
    for (let round = 0; round < 4; round += 1) {
      const { client, craftsman, job } = await hiredJob(t, { price: 15_000 });
      const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
        .body as Payment;
      gateways.fawry.pay(payment.id);
      const notification = gateways.fawry.notificationFor(payment.id);
      const [cancelled, notified] = await Promise.all([
        t.http.delete(`/api/jobs/${job.id}`).set('Authorization', client.bearer),
        postFawry(t, notification),
        postFawry(t, notification),
      ]);
      expect(cancelled.status).toBe(200);
      expect(notified.status).toBe(200);
      await t.app.get(CronService).sweepMoney();
      expect(await paymentOf(t, admin, payment.id)).toMatchObject({
        status: 'refunded',
        refundedAmount: 15_000,
        refund: expect.objectContaining({ state: 'done' }),
      });
      expect(gateways.fawry.charges.get(payment.id)?.refunds).toHaveLength(1);
      expect(await escrowBalance(job.id)).toBe(0);
      expect((await balanceOf(t, craftsman)).balance).toBe(0);
    }
  });

  it('should refund a payment held for a cancelled job when the gateway re-sends the event after a failure half-way', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 18_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    await t.http.delete(`/api/jobs/${job.id}`).set('Authorization', client.bearer).expect(200);
    gateways.fawry.pay(payment.id);
    const notification = gateways.fawry.notificationFor(payment.id);

    // the payment is held, then the process fails before the refund (a crash, the database away)
    const escrow = t.app.get(EscrowService);
    const refund = escrow.refund.bind(escrow);
    escrow.refund = () => {
      escrow.refund = refund;
      return Promise.reject(new Error('the database went away'));
    };
    const failed = await postFawry(t, notification);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    escrow.refund = refund;
    expect(await paymentOf(t, admin, payment.id)).toMatchObject({ status: 'held' });

    // Fawry notifies again (the first was not acknowledged); the sweeps run
    await postFawry(t, notification).expect(200);
    await t.app.get(CronService).sweepMoney();
    expect(await paymentOf(t, admin, payment.id)).toMatchObject({
      status: 'refunded',
      refund: expect.objectContaining({ state: 'done', reason: 'job_cancelled' }),
    });
    expect(await escrowBalance(job.id)).toBe(0);
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
  });

  it('should refund a duplicate payment when the gateway re-sends the event after a failure half-way', async () => {
    const { client, job } = await hiredJob(t, { price: 11_000 });
    const stale = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    clock.advance(49 * HOUR);
    await t.app.get(CronService).sweepMoney();
    const fresh = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    gateways.fawry.pay(fresh.id);
    await postFawry(t, gateways.fawry.notificationFor(fresh.id)).expect(200);

    const staleIntent = gateways.stripe.intentFor(stale.id);
    gateways.stripe.succeed(staleIntent);
    const delivery = gateways.stripe.signedEvent(staleIntent, 'payment_intent.succeeded');
    const escrow = t.app.get(EscrowService);
    const refund = escrow.refund.bind(escrow);
    escrow.refund = () => {
      escrow.refund = refund;
      return Promise.reject(new Error('the database went away'));
    };
    expect((await postStripe(t, delivery)).status).toBeGreaterThanOrEqual(500);
    escrow.refund = refund;

    await postStripe(t, delivery).expect(200);
    expect(await paymentOf(t, admin, stale.id)).toMatchObject({
      status: 'refunded',
      refund: expect.objectContaining({ state: 'done', reason: 'duplicate_payment' }),
    });
    expect(await escrowBalance(job.id)).toBe(11_000);
  });

  it('should finish the refund of a cancelled job’s payment that Stripe refunded before we first heard of it', async () => {
    const { client, job } = await hiredJob(t, { price: 16_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    await t.http.delete(`/api/jobs/${job.id}`).set('Authorization', client.bearer).expect(200);
    const intentId = gateways.stripe.intentFor(payment.id);
    gateways.stripe.succeed(intentId);
    // support refunded it from Stripe's dashboard; its charge.refunded is the first event we get
    gateways.stripe.refundAtStripe(intentId);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'charge.refunded')).expect(200);
    const refunded = await paymentOf(t, admin, payment.id);
    expect(refunded).toMatchObject({ status: 'refunded', refundedAmount: 16_000 });
    expect(refunded.refund).toMatchObject({ state: 'done' });
    expect(await escrowBalance(job.id)).toBe(0);
    const failed = await t.http
      .get('/api/admin/payments')
      .query({ refundState: 'failed' })
      .set('Authorization', admin.bearer)
      .expect(200);
    expect(failed.body.data).toEqual([]);
  });

  it('should not answer one job’s payment to an initiate for another job under the same Idempotency-Key', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { client, job } = await hiredJob(t, { price: 10_000 });
      const second = await hiredJob(t, { price: 20_000 });
      // the same client's second hired job
      await t.connection
        .collection('jobs')
        .updateOne(
          { _id: new Types.ObjectId(second.job.id) },
          { $set: { client: new Types.ObjectId(client.user.id) } },
        );
      const key = `same-key-${round}`;
      const answers = await Promise.all([
        initiate(t, client, { jobId: job.id, provider: 'stripe' }, key),
        initiate(t, client, { jobId: second.job.id, provider: 'stripe' }, key),
      ]);
      for (const [answer, jobId] of [
        [answers[0], job.id],
        [answers[1], second.job.id],
      ] as const) {
        if (answer.status === 201) {
          expect(answer.body.job).toBe(jobId);
        } else {
          expect(answer.status).toBe(409);
          expect(answer.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        }
      }
    }
  });

  it('should take Stripe deliveries whatever the JSON content type spelling or query string', async () => {
    for (const [contentType, path] of [
      ['application/json; charset=utf-8', '/api/payments/webhook'],
      ['application/json;charset=UTF-8', '/api/payments/webhook/stripe'],
      ['application/json', '/api/payments/webhook?source=stripe'],
      ['application/json', '/api/payments/webhook/stripe?x=1'],
    ]) {
      const { client, job } = await hiredJob(t, { price: 12_000 });
      const payment = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
        .body as Payment;
      const intentId = gateways.stripe.intentFor(payment.id);
      gateways.stripe.succeed(intentId);
      const delivery = gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');
      const answer = await t.http
        .post(path)
        .set('stripe-signature', delivery.headers['stripe-signature'])
        .set('Content-Type', contentType)
        .send(delivery.rawBody.toString('utf8'));
      expect({ contentType, path, status: answer.status }).toEqual({
        contentType,
        path,
        status: 200,
      });
      expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'held' });
    }
  });

  it('should answer bad webhook bodies with a 4xx and a code, never a 500, moving nothing', async () => {
    const { client, job } = await hiredJob(t, { price: 12_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    const intentId = gateways.stripe.intentFor(payment.id);
    gateways.stripe.succeed(intentId);
    const delivery = gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');
    const other = await hiredJob(t, { price: 12_000 });
    const atFawry = (
      await initiate(t, other.client, { jobId: other.job.id, provider: 'fawry' }).expect(201)
    ).body as Payment;
    gateways.fawry.pay(atFawry.id);
    const attempts = [
      // no content type
      t.http
        .post('/api/payments/webhook/stripe')
        .set('stripe-signature', delivery.headers['stripe-signature'])
        .send(Buffer.from(delivery.rawBody)),
      // text/plain
      t.http
        .post('/api/payments/webhook/stripe')
        .set('stripe-signature', delivery.headers['stripe-signature'])
        .set('Content-Type', 'text/plain')
        .send(delivery.rawBody.toString('utf8')),
      // a huge body
      t.http
        .post('/api/payments/webhook/fawry')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ merchantRefNumber: atFawry.id, pad: 'x'.repeat(2_000_000) })),
      // JSON that is not an object
      t.http
        .post('/api/payments/webhook/fawry')
        .set('Content-Type', 'application/json')
        .send('[1]'),
      t.http
        .post('/api/payments/webhook/fawry')
        .set('Content-Type', 'application/json')
        .send('"hello"'),
      t.http.post('/api/payments/webhook/fawry').set('Content-Type', 'application/json').send('{'),
      // a Fawry notification whose signed fields are of the wrong types
      postFawry(t, {
        ...gateways.fawry.notificationFor(atFawry.id),
        merchantRefNumber: { $ne: null },
      }),
      postFawry(t, { ...gateways.fawry.notificationFor(atFawry.id), orderAmount: 'NaN' }),
    ];
    const answers = await Promise.all(attempts);
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.code).toEqual(expect.any(String));
    }
    expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'pending' });
    expect(await paymentOf(t, other.client, atFawry.id)).toMatchObject({ status: 'pending' });
  });

  it('should park a held payment the gateway refunded in part, and release nothing on a guess', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 30_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    const intentId = gateways.stripe.intentFor(payment.id);
    gateways.stripe.succeed(intentId);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded')).expect(
      200,
    );
    gateways.stripe.refundAtStripe(intentId, 10_000);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'charge.refunded')).expect(200);

    const parked = await t.http
      .get('/api/admin/payments')
      .query({ parked: true })
      .set('Authorization', admin.bearer)
      .expect(200);
    expect(parked.body.data).toEqual([
      expect.objectContaining({
        id: payment.id,
        status: 'held',
        parked: expect.objectContaining({ reportedAmount: 10_000 }),
      }),
    ]);
    await move(t, craftsman, job.id, 'on_the_way');
    await move(t, craftsman, job.id, 'in_progress');
    await move(t, client, job.id, 'completed');
    await t.app.get(CronService).sweepMoney();
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
    expect(await escrowBalance(job.id)).toBe(30_000);
  });

  it('should let the client pay anew when his payment is parked for another amount', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 30_000 });
    const first = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    gateways.fawry.pay(first.id, { amount: 20_000 });
    await postFawry(t, gateways.fawry.notificationFor(first.id)).expect(200);
    const parked = await paymentOf(t, client, first.id);
    expect(parked.status).toBe('pending');
    // not to be paid again: what pays it is no longer shown
    expect(parked.referenceNumber).toBeUndefined();

    const second = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    expect(second.id).not.toBe(first.id);
    expect(second.referenceNumber).toEqual(expect.any(String));
    clock.advance(49 * HOUR);
    await t.app.get(CronService).sweepMoney();
    // the parked one waits for an admin; it neither expires nor is held
    expect((await paymentOf(t, admin, first.id)).status).toBe('pending');
    gateways.fawry.pay(second.id);
    await postFawry(t, gateways.fawry.notificationFor(second.id)).expect(200);
    await move(t, craftsman, job.id, 'on_the_way');
  });

  it('should refuse to initiate a payment for a job past hired', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 30_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    gateways.fawry.pay(payment.id);
    await postFawry(t, gateways.fawry.notificationFor(payment.id)).expect(200);
    // hired and paid: answered the payment it has
    const again = await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201);
    expect(again.body).toMatchObject({ id: payment.id, status: 'held' });
    await move(t, craftsman, job.id, 'on_the_way');
    const onTheWay = await initiate(t, client, { jobId: job.id, provider: 'fawry' });
    expect(onTheWay.status).toBe(409);
    expect(onTheWay.body.code).toBe('JOB_NOT_PAYABLE');
    await move(t, craftsman, job.id, 'in_progress');
    await move(t, client, job.id, 'completed');
    const completed = await initiate(t, client, { jobId: job.id, provider: 'stripe' });
    expect(completed.status).toBe(409);
    expect(completed.body.code).toBe('JOB_NOT_PAYABLE');
  });

  it('should refuse top-up amounts that are not whole piastres within bounds with 400', async () => {
    const { craftsman } = await hiredJob(t, { paymentType: 'cash' });
    for (const amount of [0, -100, 99, 100.5, 1e12, '10000', null, Number.MAX_SAFE_INTEGER + 2]) {
      const answer = await t.http
        .post('/api/wallet/top-up')
        .set('Authorization', craftsman.bearer)
        .send({ amount, provider: 'stripe' });
      expect({ amount, status: answer.status, code: answer.body.code }).toEqual({
        amount,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('should keep gateway secrets and the payer’s personal data out of the logs', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 25_000 });
    await t.http
      .put('/api/users/me')
      .set('Authorization', client.bearer)
      .send({ phone: '+201001234567' });
    const stripe = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    const clientSecret = stripe.clientSecret!;
    const intentId = gateways.stripe.intentFor(stripe.id);
    // a gateway that refuses, one that is down, and a forged webhook
    gateways.stripe.answerNext('http500', 'http500');
    await t.http
      .post(`/api/payments/${stripe.id}/confirm`)
      .set('Authorization', client.bearer)
      .expect(503);
    gateways.stripe.succeed(intentId);
    await t.http
      .post('/api/payments/webhook')
      .set('stripe-signature', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`)
      .set('Content-Type', 'application/json')
      .send(
        gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded').rawBody.toString('utf8'),
      )
      .expect(400);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded')).expect(
      200,
    );
    await move(t, craftsman, job.id, 'on_the_way');
    await t.http.get(`/api/payments/${stripe.id}`).set('Authorization', craftsman.bearer);

    const other = await hiredJob(t, { price: 25_000 });
    gateways.fawry.answerNext('refuse', {
      endpoint: 'charge',
      statusDescription: `Customer ${other.client.user.email} mobile 01001234567 refused`,
    });
    await initiate(t, other.client, { jobId: other.job.id, provider: 'fawry' }).expect(502);

    const lines = [...(await t.readLog('combined.log')), ...(await t.readLog('error.log'))];
    const text = JSON.stringify(lines);
    for (const secret of [
      FAWRY_SECURE_KEY,
      STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET,
      clientSecret,
      client.user.email,
      other.client.user.email,
      '1001234567',
    ]) {
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});
