import { CronService } from '../../src/modules/cron/cron.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { balanceOf, completeJob } from '../support/money.js';
import {
  expectBalancedLedger,
  FakeGateways,
  hiredJob,
  initiate,
  move,
  notificationsOfType,
  payAtFawry as payAtFawryOf,
  type Payment,
  paymentOf,
  postStripe,
} from '../support/payments.js';
import { loginAsAdmin, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;
const MOBILE_WALLET = { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '+201001234567' };

describe('Client payments held in escrow', () => {
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

  /** Fawry says the reference was paid, and notifies us. */
  function payAtFawry(payment: Payment): Promise<void> {
    return payAtFawryOf(t, gateways, payment);
  }

  it('should take a whole escrow job from hiring through Fawry, completion and the wallet to a withdrawal', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 123_450 });

    // the craftsman can't set out before the money is held
    const early = await move(t, craftsman, job.id, 'on_the_way', 409);
    expect(early.body.code).toBe('PAYMENT_REQUIRED');

    const initiated = await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201);
    const payment = initiated.body as Payment;
    expect(payment).toEqual(
      expect.objectContaining({
        job: job.id,
        provider: 'fawry',
        method: 'pay_at_fawry',
        status: 'pending',
        amount: 123_450,
        currency: 'EGP',
        referenceNumber: expect.stringMatching(/^\d+$/),
        expiresAt: expect.any(String),
      }),
    );
    // Fawry got the amount in EGP with two decimals, and one charge however often initiated
    const again = await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201);
    expect(again.body.id).toBe(payment.id);
    expect(gateways.fawry.charges.get(payment.id)).toEqual(
      expect.objectContaining({ amount: 123_450 }),
    );
    // the craftsman sees the payment, without what pays it
    const seenByCraftsman = await paymentOf(t, craftsman, payment.id);
    expect(seenByCraftsman.referenceNumber).toBeUndefined();

    await payAtFawry(payment);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({
      status: 'held',
      heldAt: expect.any(String),
    });
    expect(await notificationsOfType(t, craftsman, 'payment.held')).toBe(1);

    await move(t, craftsman, job.id, 'on_the_way');
    await move(t, craftsman, job.id, 'in_progress');
    const requested = await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect(requested.body.autoCompleteAt).toEqual(expect.any(String));
    expect(await notificationsOfType(t, client, 'job.completion_requested')).toBe(1);
    await move(t, client, job.id, 'completed');

    // 10 % of 123,450 is 12,345: the rest is the craftsman's
    expect(await balanceOf(t, craftsman)).toMatchObject({
      balance: 111_105,
      withdrawableBalance: 111_105,
      feesOwed: 0,
    });
    const transactions = await t.http
      .get('/api/wallet/transactions')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect(transactions.body.data).toEqual([
      expect.objectContaining({
        type: 'escrow_release',
        amount: 111_105,
        status: 'completed',
        gateway: 'fawry',
        job: job.id,
      }),
    ]);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({
      status: 'released',
      releasedAt: expect.any(String),
    });
    // a replayed completion event or sweep releases nothing more
    await t.app.get(CronService).sweepMoney();
    expect((await balanceOf(t, craftsman)).balance).toBe(111_105);

    const withdrawal = await t.http
      .post('/api/wallet/withdraw')
      .set('Authorization', craftsman.bearer)
      .send({ amount: 111_105, destination: MOBILE_WALLET })
      .expect(201);
    expect(withdrawal.body).toMatchObject({ amount: 111_105, status: 'requested' });
    expect(await balanceOf(t, craftsman)).toMatchObject({
      withdrawableBalance: 0,
      pending: 111_105,
    });
  });

  it('should refuse payments that are not the owning client’s to make, with a code for each', async () => {
    const { client, craftsman, job } = await hiredJob(t);
    const other = await hiredJob(t, { paymentType: 'cash' });

    const byCraftsman = await initiate(t, craftsman, { jobId: job.id, provider: 'fawry' });
    expect(byCraftsman.status).toBe(403);
    const notHis = await initiate(t, other.client, { jobId: job.id, provider: 'fawry' });
    expect(notHis.status).toBe(403);
    const cash = await initiate(t, other.client, { jobId: other.job.id, provider: 'fawry' });
    expect(cash.status).toBe(409);
    expect(cash.body.code).toBe('JOB_NOT_PAYABLE');
    const badMethod = await initiate(t, client, {
      jobId: job.id,
      provider: 'stripe',
      method: 'pay_at_fawry',
    });
    expect(badMethod.status).toBe(400);
    expect(badMethod.body.code).toBe('PAYMENT_METHOD_NOT_SUPPORTED');
    const unknownProvider = await initiate(t, client, { jobId: job.id, provider: 'paypal' });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body.code).toBe('VALIDATION_FAILED');

    const keyed = await initiate(t, client, { jobId: job.id, provider: 'stripe' }, 'key-1').expect(
      201,
    );
    expect(keyed.body.clientSecret).toEqual(expect.stringContaining('_secret_'));
    const sameKey = await initiate(
      t,
      client,
      { jobId: job.id, provider: 'stripe' },
      'key-1',
    ).expect(201);
    expect(sameKey.body.id).toBe(keyed.body.id);
    const reused = await initiate(
      t,
      client,
      { jobId: job.id, provider: 'fawry', method: 'card' },
      'key-1',
    );
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(gateways.stripe.intents.size).toBeGreaterThanOrEqual(1);
  });

  it('should take a cash-protected job only as cash at a Fawry outlet', async () => {
    const { client, job } = await hiredJob(t, { paymentType: 'cash_protected', price: 20_000 });
    const card = await initiate(t, client, { jobId: job.id, provider: 'stripe' });
    expect(card.status).toBe(400);
    expect(card.body.code).toBe('PAYMENT_METHOD_NOT_SUPPORTED');
    const fawry = await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201);
    expect(fawry.body).toMatchObject({ method: 'pay_at_fawry', amount: 20_000 });
  });

  it('should let an unpaid reference expire, and the client initiate again', async () => {
    const { client, craftsman, job } = await hiredJob(t);
    const first = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    clock.advance(49 * HOUR);
    gateways.fawry.expire(first.id);
    await t.app.get(CronService).sweepMoney();
    expect(await paymentOf(t, client, first.id)).toMatchObject({ status: 'expired' });

    const second = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    expect(second.id).not.toBe(first.id);
    expect(second.referenceNumber).not.toBe(first.referenceNumber);
    await payAtFawry(second);
    await move(t, craftsman, job.id, 'on_the_way');
  });

  it('should refund a cancelled hired job in full through the gateway, retrying a refund that fails', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 40_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    await payAtFawry(payment);

    gateways.fawry.answerNext('refuse');
    await t.http.delete(`/api/jobs/${job.id}`).set('Authorization', client.bearer).expect(200);
    const refused = await paymentOf(t, admin, payment.id);
    expect(refused).toMatchObject({
      status: 'refunded',
      refundedAmount: 40_000,
      refund: expect.objectContaining({ state: 'failed', amount: 40_000, attempts: 1 }),
    });
    expect(refused.refund?.lastError).toEqual(expect.any(String));
    const failed = await t.http
      .get('/api/admin/payments')
      .query({ refundState: 'failed' })
      .set('Authorization', admin.bearer)
      .expect(200);
    expect(failed.body.data.map((p: Payment) => p.id)).toEqual([payment.id]);
    // the client sees the refund, not the gateway's words
    expect((await paymentOf(t, client, payment.id)).refund?.lastError).toBeUndefined();
    expect(await notificationsOfType(t, client, 'payment.refunded')).toBe(1);

    clock.advance(2 * 60_000);
    await t.app.get(CronService).sweepMoney();
    expect(await paymentOf(t, admin, payment.id)).toMatchObject({
      status: 'refunded',
      refund: expect.objectContaining({ state: 'done', attempts: 2 }),
    });
    expect(gateways.fawry.charges.get(payment.id)).toMatchObject({ orderStatus: 'REFUNDED' });
    // the craftsman got nothing, and the client one refund however often the sweep runs
    await t.app.get(CronService).sweepMoney();
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
    expect(gateways.fawry.charges.get(payment.id)?.refunds).toHaveLength(1);
  });

  it('should complete a job by itself after AUTO_COMPLETE_AFTER, reminding the client, and release', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 10_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    await payAtFawry(payment);
    await move(t, craftsman, job.id, 'on_the_way');
    const early = await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', craftsman.bearer);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('JOB_NOT_IN_PROGRESS');
    await move(t, craftsman, job.id, 'in_progress');
    const byClient = await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', client.bearer);
    expect(byClient.status).toBe(403);
    const requested = await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    const autoCompleteAt = Date.parse(requested.body.autoCompleteAt);
    expect(autoCompleteAt - clock.now().getTime()).toBeGreaterThan(7 * 24 * HOUR - 60_000);

    const cron = t.app.get(CronService);
    clock.advance(5 * 24 * HOUR + HOUR); // 2 days before, less an hour
    await cron.sweepMoney();
    clock.advance(24 * HOUR); // 1 day before, less an hour
    await cron.sweepMoney();
    await cron.sweepMoney();
    clock.advance(22 * HOUR); // an hour before: not yet
    await cron.sweepMoney();
    expect(await notificationsOfType(t, client, 'job.auto_complete_reminder')).toBe(2);
    expect((await balanceOf(t, craftsman)).balance).toBe(0);

    clock.advance(HOUR + 60_000); // past autoCompleteAt
    await cron.sweepMoney();
    const completed = await t.http
      .get(`/api/jobs/${job.id}`)
      .set('Authorization', client.bearer)
      .expect(200);
    expect(completed.body.status).toBe('completed');
    expect(completed.body.statusHistory.at(-1)).toMatchObject({
      from: 'in_progress',
      to: 'completed',
      by: null,
    });
    expect((await balanceOf(t, craftsman)).balance).toBe(9_000);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'released' });
  });

  it('should top up a craftsman’s wallet through Stripe, paying the fees he owes first', async () => {
    const { client, craftsman } = await hiredJob(t, { paymentType: 'cash' });
    await completeJob(t, client, craftsman, { price: 60_000 }); // a 6,000 fee owed
    expect(await balanceOf(t, craftsman)).toMatchObject({ feesOwed: 6_000, balance: -6_000 });

    const byClient = await t.http
      .post('/api/wallet/top-up')
      .set('Authorization', client.bearer)
      .send({ amount: 10_000, provider: 'stripe' });
    expect(byClient.status).toBe(403);
    await t.http
      .post('/api/wallet/top-up')
      .send({ amount: 10_000, provider: 'stripe' })
      .expect(401);
    const tooSmall = await t.http
      .post('/api/wallet/top-up')
      .set('Authorization', craftsman.bearer)
      .send({ amount: 50, provider: 'stripe' });
    expect(tooSmall.status).toBe(400);

    const created = await t.http
      .post('/api/wallet/top-up')
      .set('Authorization', craftsman.bearer)
      .set('Idempotency-Key', 'top-up-1')
      .send({ amount: 10_000, provider: 'stripe' })
      .expect(201);
    const topUp = created.body as Payment & { purpose: string };
    expect(topUp).toMatchObject({
      purpose: 'top_up',
      job: null,
      status: 'pending',
      amount: 10_000,
      clientSecret: expect.stringContaining('_secret_'),
    });
    const replay = await t.http
      .post('/api/wallet/top-up')
      .set('Authorization', craftsman.bearer)
      .set('Idempotency-Key', 'top-up-1')
      .send({ amount: 10_000, provider: 'stripe' })
      .expect(201);
    expect(replay.body.id).toBe(topUp.id);

    const intentId = gateways.stripe.intentFor(topUp.id);
    gateways.stripe.succeed(intentId);
    const delivery = gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded');
    await postStripe(t, delivery).expect(200);
    await postStripe(t, delivery).expect(200);

    expect(await paymentOf(t, craftsman, topUp.id)).toMatchObject({ status: 'released' });
    expect(await balanceOf(t, craftsman)).toMatchObject({
      feesOwed: 0,
      balance: 4_000,
      withdrawableBalance: 4_000,
      cashJobsBlocked: false,
    });
    const transactions = await t.http
      .get('/api/wallet/transactions')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect(transactions.body.data).toEqual([
      expect.objectContaining({ type: 'fee_settlement', amount: -6_000 }),
      expect.objectContaining({ type: 'deposit', amount: 10_000, gateway: 'stripe' }),
      expect.objectContaining({ type: 'fee', amount: -6_000 }),
    ]);
  });

  it('should keep escrow frozen while the job is disputed', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 10_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    await payAtFawry(payment);
    await move(t, craftsman, job.id, 'on_the_way');
    await move(t, craftsman, job.id, 'in_progress');
    await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    await move(t, client, job.id, 'disputed');
    clock.advance(8 * 24 * HOUR);
    await t.app.get(CronService).sweepMoney();
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'held' });
  });
});

describe('Client payments without gateways configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should answer PROVIDER_NOT_CONFIGURED and say at boot that the gateways are off', async () => {
    const { client, job } = await hiredJob(t);
    for (const provider of ['fawry', 'stripe']) {
      const response = await initiate(t, client, { jobId: job.id, provider });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('PROVIDER_NOT_CONFIGURED');
    }
    const log = await t.readLog('combined.log');
    const messages = log.map((line) => String(line.msg));
    expect(messages).toEqual(
      expect.arrayContaining([
        'Payment provider fawry: off (not configured)',
        'Payment provider stripe: off (not configured)',
      ]),
    );
  });
});
