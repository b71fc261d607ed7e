import { balanceOf } from '../support/money.js';
import {
  expectBalancedLedger,
  FakeGateways,
  hiredJob,
  move,
  paidJob,
  paymentOf,
  postFawry,
} from '../support/payments.js';
import { loginAsAdmin, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The money of a dispute's resolution (API.md "Disputes and cancellations"): what each outcome
 * does to a payment held in escrow, to one released before the dispute (a dispute about a
 * completed job) and to a cash job, as the client, the craftsman, the gateway and the ledger see
 * it. PLATFORM_FEE_BPS is the default 1000 (10 %).
 */
describe('Dispute resolutions and the money', () => {
  const gateways = new FakeGateways();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({ env: await gateways.start() });
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

  /** A hired escrow job of `price` paid at Fawry and held, the work under way. */
  function paidJobInProgress(price: number) {
    return paidJob(t, gateways, { price });
  }

  async function openDispute(who: Session, jobId: string): Promise<string> {
    const opened = await t.http
      .post('/api/disputes')
      .set('Authorization', who.bearer)
      .send({ jobId, reason: 'poor_quality', description: 'The heater still leaks.' })
      .expect(201);
    return opened.body.id as string;
  }

  function resolve(disputeId: string, body: Record<string, unknown>) {
    return t.http
      .post(`/api/admin/disputes/${disputeId}/resolve`)
      .set('Authorization', admin.bearer)
      .send({ note: 'Decided on the evidence of both parties.', ...body });
  }

  async function jobStatus(viewer: Session, jobId: string): Promise<string> {
    return (await t.http.get(`/api/jobs/${jobId}`).set('Authorization', viewer.bearer).expect(200))
      .body.status as string;
  }

  it('should split a held payment: the client’s share back through Fawry, the rest minus its fee to the craftsman', async () => {
    const { client, craftsman, job, payment } = await paidJobInProgress(100_000);
    const disputeId = await openDispute(client, job.id);

    await resolve(disputeId, {
      outcome: 'split',
      clientAmount: 40_000,
      craftsmanAmount: 60_000,
    }).expect(200);

    expect(await jobStatus(client, job.id)).toBe('completed');
    expect((await balanceOf(t, craftsman)).balance).toBe(54_000);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({
      status: 'partially_refunded',
      refundedAmount: 40_000,
      refund: expect.objectContaining({ amount: 40_000, state: 'done' }),
    });
    expect(gateways.fawry.charges.get(payment.id)?.refunds).toEqual([
      expect.objectContaining({ amount: 40_000 }),
    ]);

    // Fawry's notification of the refund we asked for is ours: nothing more moves, nothing parks
    await postFawry(t, gateways.fawry.notificationFor(payment.id)).expect(200);
    const after = await paymentOf(t, admin, payment.id);
    expect(after).toMatchObject({ status: 'partially_refunded', refundedAmount: 40_000 });
    expect(after.parked ?? null).toBeNull();
    expect((await balanceOf(t, craftsman)).balance).toBe(54_000);
    expect(gateways.fawry.charges.get(payment.id)?.refunds).toHaveLength(1);
  });

  it('should split a payment released before the dispute as if only the craftsman’s share had been released', async () => {
    const { client, craftsman, job, payment } = await paidJobInProgress(100_000);
    await move(t, client, job.id, 'completed');
    expect((await balanceOf(t, craftsman)).balance).toBe(90_000);
    const disputeId = await openDispute(client, job.id);

    await resolve(disputeId, {
      outcome: 'split',
      clientAmount: 30_000,
      craftsmanAmount: 70_000,
    }).expect(200);

    // 70,000 minus its 10 % fee
    expect((await balanceOf(t, craftsman)).balance).toBe(63_000);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({
      status: 'partially_refunded',
      refundedAmount: 30_000,
    });
    expect(gateways.fawry.charges.get(payment.id)?.refunds).toEqual([
      expect.objectContaining({ amount: 30_000 }),
    ]);
    expect(await jobStatus(client, job.id)).toBe('completed');
  });

  it('should take a released payment back from the craftsman when the client is refunded, as owed where his wallet falls short', async () => {
    const { client, craftsman, job, payment } = await paidJobInProgress(100_000);
    await move(t, client, job.id, 'completed');
    await t.http
      .post('/api/wallet/withdraw')
      .set('Authorization', craftsman.bearer)
      .set('Idempotency-Key', 'withdraw-before-dispute')
      .send({
        amount: 50_000,
        destination: { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '+201001234567' },
      })
      .expect(201);
    const disputeId = await openDispute(client, job.id);

    await resolve(disputeId, { outcome: 'refund_client' }).expect(200);

    expect(await jobStatus(client, job.id)).toBe('cancelled');
    expect(await paymentOf(t, client, payment.id)).toMatchObject({
      status: 'refunded',
      refundedAmount: 100_000,
    });
    // his withdrawal not paid out yet came back to cover what he owes: he owes nothing more
    const wallet = await balanceOf(t, craftsman);
    expect(wallet.balance).toBe(0);
    expect(wallet.feesOwed).toBe(0);
  });

  it('should refund a held payment in full and cancel the job', async () => {
    const { client, craftsman, job, payment } = await paidJobInProgress(80_000);
    const disputeId = await openDispute(craftsman, job.id);

    await resolve(disputeId, { outcome: 'refund_client' }).expect(200);

    expect(await jobStatus(client, job.id)).toBe('cancelled');
    expect(await paymentOf(t, client, payment.id)).toMatchObject({
      status: 'refunded',
      refundedAmount: 80_000,
    });
    expect(gateways.fawry.charges.get(payment.id)?.refunds).toEqual([
      expect.objectContaining({ amount: 80_000 }),
    ]);
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
  });

  it('should release a held payment minus the fee when the craftsman wins', async () => {
    const { client, craftsman, job, payment } = await paidJobInProgress(80_000);
    const disputeId = await openDispute(client, job.id);

    await resolve(disputeId, { outcome: 'release_to_craftsman' }).expect(200);

    expect(await jobStatus(client, job.id)).toBe('completed');
    expect((await balanceOf(t, craftsman)).balance).toBe(72_000);
    expect((await paymentOf(t, client, payment.id)).status).toBe('released');
  });

  it('should refuse no_payment while money is held, and a split whose shares miss the held amount, moving nothing', async () => {
    const { client, craftsman, job, payment } = await paidJobInProgress(80_000);
    const disputeId = await openDispute(client, job.id);

    const noPayment = await resolve(disputeId, { outcome: 'no_payment' }).expect(400);
    expect(noPayment.body.code).toBe('VALIDATION_FAILED');
    const short = await resolve(disputeId, {
      outcome: 'split',
      clientAmount: 40_000,
      craftsmanAmount: 39_999,
    }).expect(400);
    expect(short.body.code).toBe('SPLIT_MISMATCH');
    const amountsWithRelease = await resolve(disputeId, {
      outcome: 'release_to_craftsman',
      clientAmount: 0,
    }).expect(400);
    expect(amountsWithRelease.body.code).toBe('VALIDATION_FAILED');

    expect(await jobStatus(client, job.id)).toBe('disputed');
    expect((await paymentOf(t, client, payment.id)).status).toBe('held');
    expect((await balanceOf(t, craftsman)).balance).toBe(0);
  });

  it('should charge a cash job’s fee when the craftsman is paid, and none when nobody is', async () => {
    const paid = await hiredJob(t, { paymentType: 'cash', price: 60_000 });
    await move(t, paid.craftsman, paid.job.id, 'on_the_way');
    const paidDispute = await openDispute(paid.client, paid.job.id);
    const split = await resolve(paidDispute, {
      outcome: 'split',
      clientAmount: 30_000,
      craftsmanAmount: 30_000,
    }).expect(400);
    expect(split.body.code).toBe('SPLIT_MISMATCH');
    await resolve(paidDispute, { outcome: 'release_to_craftsman' }).expect(200);
    expect(await jobStatus(paid.client, paid.job.id)).toBe('completed');
    expect((await balanceOf(t, paid.craftsman)).feesOwed).toBe(6_000);

    const unpaid = await hiredJob(t, { paymentType: 'cash', price: 60_000 });
    await move(t, unpaid.craftsman, unpaid.job.id, 'on_the_way');
    const unpaidDispute = await openDispute(unpaid.client, unpaid.job.id);
    await resolve(unpaidDispute, { outcome: 'no_payment' }).expect(200);
    expect(await jobStatus(unpaid.client, unpaid.job.id)).toBe('completed');
    expect((await balanceOf(t, unpaid.craftsman)).feesOwed).toBe(0);
  });

  it('should move the money of a resolution once when two admins resolve at the same time', async () => {
    const { client, craftsman, job, payment } = await paidJobInProgress(100_000);
    const disputeId = await openDispute(client, job.id);
    const split = { outcome: 'split', clientAmount: 50_000, craftsmanAmount: 50_000 };

    // the same decision twice (a retry, a double click): both see it made, the money moves once
    const same = await Promise.all([resolve(disputeId, split), resolve(disputeId, split)]);
    expect(same.map((answer) => answer.status)).toEqual([200, 200]);
    // another decision after it: refused, nothing moves again
    const other = await resolve(disputeId, { outcome: 'refund_client' }).expect(409);
    expect(other.body.code).toBe('DISPUTE_CLOSED');

    expect((await balanceOf(t, craftsman)).balance).toBe(45_000);
    expect(await paymentOf(t, client, payment.id)).toMatchObject({
      status: 'partially_refunded',
      refundedAmount: 50_000,
    });
    expect(gateways.fawry.charges.get(payment.id)?.refunds).toHaveLength(1);
    expect(await jobStatus(client, job.id)).toBe('completed');
  });

  it('should let one of two different decisions made at the same time win, and move only its money', async () => {
    const { client, craftsman, job, payment } = await paidJobInProgress(100_000);
    const disputeId = await openDispute(client, job.id);

    const answers = await Promise.all([
      resolve(disputeId, { outcome: 'release_to_craftsman' }),
      resolve(disputeId, { outcome: 'refund_client' }),
    ]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const released = answers[0].status === 200;
    expect((await balanceOf(t, craftsman)).balance).toBe(released ? 90_000 : 0);
    expect((await paymentOf(t, client, payment.id)).status).toBe(
      released ? 'released' : 'refunded',
    );
    expect(await jobStatus(client, job.id)).toBe(released ? 'completed' : 'cancelled');
  });
});
