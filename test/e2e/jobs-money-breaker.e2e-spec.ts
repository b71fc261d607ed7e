import { formatDateTimeForPerson } from '../../src/common/time/dates-for-people.js';
import { CronService } from '../../src/modules/cron/cron.service.js';
import { JobCompletionService } from '../../src/modules/jobs/job-completion.service.js';
import { EscrowService } from '../../src/modules/money/payments/escrow.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { adjust, balanceOf, completeJob } from '../support/money.js';
import {
  expectBalancedLedger,
  FakeGateways,
  hiredJob,
  initiate,
  move,
  notificationsOfType,
  paidJob,
  payAtFawry as payAtFawryOf,
  type Payment,
  paymentOf,
  postStripe,
} from '../support/payments.js';
import { loginAsAdmin, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;
const MOBILE_WALLET = { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '+201001234567' };

/**
 * Regression tests of faults found by attacking how job moves move money: completion (by the
 * client, by staff, by the auto-complete sweep), disputes, cancellations, fee netting, top-ups
 * and the return of withdrawals for a debt.
 */
describe('Job moves and the money they move, under attack', () => {
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

  function payAtFawry(payment: Payment): Promise<void> {
    return payAtFawryOf(t, gateways, payment);
  }

  /** A hired escrow job paid through Fawry and moved to in_progress. */
  function jobInProgress(price = 10_000) {
    return paidJob(t, gateways, { price });
  }

  async function jobOf(viewer: Session, jobId: string) {
    return (await t.http.get(`/api/jobs/${jobId}`).set('Authorization', viewer.bearer).expect(200))
      .body as {
      status: string;
      statusHistory: Array<{ from?: string; to: string; by: string | null }>;
      autoCompleteAt: string | null;
    };
  }

  it('should not release the escrow of a completed job disputed before its release was posted', async () => {
    const { client, craftsman, job, payment } = await jobInProgress(10_000);
    // the release right after completion fails (a crash, the ledger busy): the sweep is to do it
    const escrow = t.app.get(EscrowService);
    const release = escrow.release.bind(escrow);
    escrow.release = () => Promise.reject(new Error('crashed before the release'));
    try {
      await move(t, client, job.id, 'completed');
    } finally {
      escrow.release = release;
    }
    expect((await balanceOf(t, craftsman)).balance).toBe(0);

    // the client disputes the completed job: release waits for the dispute (API.md)
    await move(t, client, job.id, 'disputed');
    await t.app.get(CronService).sweepMoney();
    await t.app.get(CronService).sweepMoney();
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'held' });
  });

  it('should hold, not release, money that comes in for a job completed by staff and disputed since', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 10_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    // staff settles it outside the platform: moves it without a payment
    await move(t, admin, job.id, 'on_the_way');
    await move(t, admin, job.id, 'in_progress');
    await move(t, admin, job.id, 'completed');
    await move(t, client, job.id, 'disputed');
    await payAtFawry(payment);
    await t.app.get(CronService).sweepMoney();
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'held' });
  });

  it('should complete and release once when the client completes while two sweeps auto-complete', async () => {
    const { client, craftsman, job, payment } = await jobInProgress(10_000);
    await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    clock.advanceDays(7);
    clock.advance(60_000);
    const jobs = t.app.get(JobCompletionService);
    const [byClient, first, second] = await Promise.all([
      t.http
        .patch(`/api/jobs/${job.id}/status`)
        .set('Authorization', client.bearer)
        .send({ status: 'completed' }),
      jobs.autoCompleteDue(),
      jobs.autoCompleteDue(),
    ]);
    const completions = (byClient.status === 200 ? 1 : 0) + first + second;
    expect(completions).toBe(1);
    if (byClient.status !== 200) {
      expect(byClient.status).toBe(409);
      expect(byClient.body.code).toBe('INVALID_STATUS_TRANSITION');
    }
    const seen = await jobOf(client, job.id);
    expect(seen.status).toBe('completed');
    expect(seen.statusHistory.filter((change) => change.to === 'completed')).toHaveLength(1);
    await t.app.get(CronService).sweepMoney();
    expect((await balanceOf(t, craftsman)).balance).toBe(9_000);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'released' });
    expect(await notificationsOfType(t, client, 'job.auto_complete_reminder')).toBe(0);
  });

  it('should not auto-complete or remind about a job that was disputed after completion was asked', async () => {
    const { client, craftsman, job } = await jobInProgress(10_000);
    await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    await move(t, craftsman, job.id, 'disputed');
    const cron = t.app.get(CronService);
    clock.advance(5 * 24 * HOUR + HOUR);
    await cron.sweepMoney();
    clock.advance(3 * 24 * HOUR);
    await cron.sweepMoney();
    expect((await jobOf(client, job.id)).status).toBe('disputed');
    expect(await notificationsOfType(t, client, 'job.auto_complete_reminder')).toBe(0);
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
  });

  it('should remind only the client, once per step, with dates in his time zone', async () => {
    const { client, craftsman, job } = await jobInProgress(10_000);
    const requested = await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    // asked again: same answer, no second notice
    const again = await t.http
      .post(`/api/jobs/${job.id}/request-completion`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect(again.body.autoCompleteAt).toBe(requested.body.autoCompleteAt);
    const cairo = formatDateTimeForPerson(
      new Date(requested.body.autoCompleteAt as string),
      'Africa/Cairo',
    );
    const list = await t.http
      .get('/api/notifications')
      .set('Authorization', client.bearer)
      .expect(200);
    const notices = (list.body.data as Array<{ type: string; message: string }>).filter(
      (n) => n.type === 'job.completion_requested',
    );
    expect(notices).toHaveLength(1);
    expect(notices[0].message).toContain(cairo);

    const cron = t.app.get(CronService);
    clock.advance(6 * 24 * HOUR + HOUR);
    await Promise.all([cron.sweepMoney(), cron.sweepMoney()]);
    await cron.sweepMoney();
    // a short window left: one reminder (the last), not two at once
    expect(await notificationsOfType(t, client, 'job.auto_complete_reminder')).toBe(1);
    expect(await notificationsOfType(t, craftsman, 'job.auto_complete_reminder')).toBe(0);
  });

  it('should pay the fees owed first from an escrow release', async () => {
    const { client, craftsman } = await hiredJob(t, { paymentType: 'cash' });
    await completeJob(t, client, craftsman, { price: 60_000 }); // 6,000 owed
    const marketplace = await import('../support/marketplace.js');
    const job = await marketplace.postJob(t, client, {
      title: 'Paint the hall',
      description: 'Two coats on the hall walls and ceiling.',
      category: 'Plumbing',
      paymentType: 'escrow',
    });
    await marketplace.hire(t, client, job.id, craftsman, 30_000);
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    await payAtFawry(payment);
    await move(t, craftsman, job.id, 'on_the_way');
    await move(t, craftsman, job.id, 'in_progress');
    await move(t, client, job.id, 'completed');
    // 30,000 - 3,000 fee = 27,000 released; 6,000 of it pays the cash fee
    expect(await balanceOf(t, craftsman)).toMatchObject({
      feesOwed: 0,
      balance: 21_000,
      withdrawableBalance: 21_000,
    });
    await t.app.get(CronService).sweepMoney();
    expect((await balanceOf(t, craftsman)).balance).toBe(21_000);
  });

  it('should refund once when the client and staff cancel a paid hired job at once', async () => {
    const { client, job } = await hiredJob(t, { price: 20_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
      .body as Payment;
    await payAtFawry(payment);
    const answers = await Promise.all([
      t.http
        .patch(`/api/jobs/${job.id}/status`)
        .set('Authorization', client.bearer)
        .send({ status: 'cancelled' }),
      t.http.delete(`/api/jobs/${job.id}`).set('Authorization', admin.bearer),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    await t.app.get(CronService).sweepMoney();
    expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'refunded' });
    expect(gateways.fawry.charges.get(payment.id)?.refunds).toHaveLength(1);
    expect(await notificationsOfType(t, client, 'payment.refunded')).toBe(1);
  });

  it('should not cancel a requested withdrawal for a debt the wallet covers', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 30_000 });
    const payment = (await initiate(t, client, { jobId: job.id, provider: 'stripe' }).expect(201))
      .body as Payment;
    const intentId = gateways.stripe.intentFor(payment.id);
    gateways.stripe.succeed(intentId);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded')).expect(
      200,
    );
    await move(t, craftsman, job.id, 'on_the_way');
    await move(t, craftsman, job.id, 'in_progress');
    await move(t, client, job.id, 'completed');
    await adjust(t, admin, craftsman, 50_000);
    expect((await balanceOf(t, craftsman)).balance).toBe(77_000);
    const withdrawal = await t.http
      .post('/api/wallet/withdraw')
      .set('Authorization', craftsman.bearer)
      .send({ amount: 20_000, destination: MOBILE_WALLET })
      .expect(201);

    // the client's bank charges the payment back after release: 27,000 is taken back
    gateways.stripe.refundAtStripe(intentId);
    await postStripe(t, gateways.stripe.signedEvent(intentId, 'charge.refunded')).expect(200);
    // 57,000 available covers it: the 20,000 asked for is still paid out
    expect(await balanceOf(t, craftsman)).toMatchObject({
      feesOwed: 0,
      withdrawableBalance: 30_000,
      pending: 20_000,
    });
    const withdrawals = await t.http
      .get('/api/wallet/withdrawals')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect(withdrawals.body.data).toEqual([
      expect.objectContaining({ id: withdrawal.body.id, status: 'requested' }),
    ]);
  });

  it('should keep top-ups apart: by craftsman, by Idempotency-Key, never for a client', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 10_000 });
    const other = (await hiredJob(t, { paymentType: 'cash' })).craftsman;
    const topUp = (who: Session, amount: number, key: string) =>
      t.http
        .post('/api/wallet/top-up')
        .set('Authorization', who.bearer)
        .set('Idempotency-Key', key)
        .send({ amount, provider: 'stripe' });
    const mine = (await topUp(craftsman, 10_000, 'k-1').expect(201)).body as Payment;
    const theirs = (await topUp(other, 10_000, 'k-1').expect(201)).body as Payment;
    expect(theirs.id).not.toBe(mine.id);
    const reused = await topUp(craftsman, 20_000, 'k-1');
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // the client's initiate under the same key is his own payment
    const paid = (
      await initiate(t, client, { jobId: job.id, provider: 'stripe' }, 'k-1').expect(201)
    ).body as Payment;
    expect(paid.job).toBe(job.id);
    expect((await topUp(client, 10_000, 'k-2')).status).toBe(403);

    const intentId = gateways.stripe.intentFor(mine.id);
    gateways.stripe.succeed(intentId);
    await Promise.all([
      postStripe(t, gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded')),
      postStripe(t, gateways.stripe.signedEvent(intentId, 'payment_intent.succeeded')),
      t.http.post(`/api/payments/${mine.id}/confirm`).set('Authorization', craftsman.bearer),
    ]);
    expect((await balanceOf(t, craftsman)).balance).toBe(10_000);
    expect((await balanceOf(t, other)).balance).toBe(0);
    expect(await notificationsOfType(t, craftsman, 'wallet.updated')).toBe(1);
  });

  it('should answer 4xx with a code, never 500, on request-completion', async () => {
    const { client, craftsman, job } = await hiredJob(t, { price: 10_000 });
    const stranger = (await hiredJob(t, { paymentType: 'cash' })).craftsman;
    const cases: Array<[Session, string, number]> = [
      [craftsman, '/api/jobs/not-an-id/request-completion', 404],
      [craftsman, '/api/jobs/0123456789abcdef01234567/request-completion', 404],
      [stranger, `/api/jobs/${job.id}/request-completion`, 403],
      [client, `/api/jobs/${job.id}/request-completion`, 403],
      [craftsman, `/api/jobs/${job.id}/request-completion`, 409],
    ];
    for (const [who, path, status] of cases) {
      const answer = await t.http.post(path).set('Authorization', who.bearer);
      expect({ path, status: answer.status }).toEqual({ path, status });
      expect(answer.body.code).toEqual(expect.any(String));
    }
  });

  it('should answer bad top-ups and moves with a 4xx and a code, and ask for completion once when asked twice at once', async () => {
    const { craftsman, job } = await jobInProgress(10_000);
    const bodies: Array<Record<string, unknown>> = [
      { amount: '10000', provider: 'stripe' },
      { amount: 100.5, provider: 'stripe' },
      { amount: 10_000, provider: 'paypal' },
      { amount: 10_000, provider: 'stripe', method: 'pay_at_fawry' },
      { amount: 10_000, provider: 'stripe', jobId: job.id },
      { amount: -10_000, provider: 'fawry' },
    ];
    for (const body of bodies) {
      const answer = await t.http
        .post('/api/wallet/top-up')
        .set('Authorization', craftsman.bearer)
        .send(body);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      expect(answer.body.code).toEqual(expect.any(String));
    }
    const bogus = await t.http
      .patch(`/api/jobs/${job.id}/status`)
      .set('Authorization', craftsman.bearer)
      .send({ status: 'paid' });
    expect(bogus.status).toBe(400);

    const [first, second] = await Promise.all(
      [1, 2].map(() =>
        t.http
          .post(`/api/jobs/${job.id}/request-completion`)
          .set('Authorization', craftsman.bearer),
      ),
    );
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.autoCompleteAt).toBe(second.body.autoCompleteAt);
  });
});
