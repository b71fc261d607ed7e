import { CronService } from '../../src/modules/cron/cron.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakePaymob } from '../support/fake-paymob.js';
import { adjust, balanceOf, ledgerCheck } from '../support/money.js';
import { loginAsAdmin, newCraftsman, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const WALLET = { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '+20 100 123 4567' };

interface Withdrawal {
  id: string;
  status: string;
  reference: string | null;
  failureReason: string | null;
}

describe('Withdrawals paid out through Paymob', () => {
  const clock = new FakeClock();
  const paymob = new FakePaymob();
  let t: TestApp;
  let admin: Session;
  let craftsman: Session;

  beforeAll(async () => {
    const url = await paymob.start();
    t = await createTestApp({
      clock,
      env: {
        PAYOUT_PROVIDER: 'paymob',
        PAYMOB_PAYOUT_URL: url,
        PAYMOB_PAYOUT_CLIENT_ID: 'fake-client-id',
        PAYMOB_PAYOUT_CLIENT_SECRET: 'fake-client-secret',
        PAYMOB_PAYOUT_USERNAME: 'fake-username',
        PAYMOB_PAYOUT_PASSWORD: 'fake-password',
        PAYOUT_TIMEOUT: 'PT2S',
      },
    });
  });

  afterAll(async () => {
    await t.close();
    await paymob.stop();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
    craftsman = await newCraftsman(t);
    await adjust(t, admin, craftsman, 50_000);
  });

  async function withdrawal(id: string): Promise<Withdrawal> {
    const list = await t.http
      .get('/api/wallet/withdrawals')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    return (list.body.data as Withdrawal[]).find((item) => item.id === id)!;
  }

  /** The withdrawal once it leaves `status` (the payout is sent after the request answered). */
  async function settledFrom(id: string, status: string): Promise<Withdrawal> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const current = await withdrawal(id);
      if (current.status !== status) {
        return current;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`withdrawal ${id} stayed ${status}`);
  }

  it('should refuse destinations Paymob cannot pay before holding any money', async () => {
    const we = await t.http
      .post('/api/wallet/withdraw')
      .set('Authorization', craftsman.bearer)
      .send({ amount: 10_000, destination: { ...WALLET, msisdn: '01512345678' } })
      .expect(400);
    expect(we.body.details).toEqual([expect.objectContaining({ field: 'destination.msisdn' })]);
    const noBank = await t.http
      .post('/api/wallet/withdraw')
      .set('Authorization', craftsman.bearer)
      .send({
        amount: 10_000,
        destination: {
          type: 'bank_account',
          accountName: 'Karim Adel',
          iban: 'EG380019000500000000263180002',
        },
      })
      .expect(400);
    expect(noBank.body.details).toEqual([
      expect.objectContaining({ field: 'destination.bankCode' }),
    ]);
    expect(await balanceOf(t, craftsman)).toMatchObject({
      withdrawableBalance: 50_000,
      pending: 0,
    });
  });

  async function withdraw(amount: number): Promise<Withdrawal> {
    return (
      await t.http
        .post('/api/wallet/withdraw')
        .set('Authorization', craftsman.bearer)
        .send({ amount, destination: WALLET })
        .expect(201)
    ).body;
  }

  it('should send the payout after answering, and record it paid with Paymob’s transaction id', async () => {
    const requested = await withdraw(12_345);
    expect(requested.status).toBe('requested');
    const paid = await settledFrom(requested.id, 'requested');
    const sent = paymob.transactions.at(-1)!;
    expect(sent).toMatchObject({ amount: '123.45', msisdn: '01001234567', issuer: 'vodafone' });
    expect(paid).toMatchObject({ status: 'paid', reference: sent.transaction_id });
    expect(await balanceOf(t, craftsman)).toMatchObject({ balance: 37_655, pending: 0 });
    expect(await ledgerCheck(t, admin)).toMatchObject({ balanced: true, mismatches: [] });
  });

  it('should give the money back when Paymob fails the payout', async () => {
    paymob.answerNext('failed');
    const requested = await withdraw(10_000);
    const failed = await settledFrom(requested.id, 'requested');
    expect(failed).toMatchObject({
      status: 'failed',
      failureReason: expect.stringContaining('not eligible'),
    });
    expect(await balanceOf(t, craftsman)).toMatchObject({
      withdrawableBalance: 50_000,
      pending: 0,
    });
  });

  it('should ask Paymob again about a pending payout until it is done', async () => {
    paymob.answerNext('pending');
    const requested = await withdraw(10_000);
    const processing = await settledFrom(requested.id, 'requested');
    expect(processing.status).toBe('processing');
    await t.app.get(CronService).sweepMoney();
    expect((await withdrawal(requested.id)).status).toBe('processing');
    // an admin can't decide a payout Paymob is making (it could be paid twice)
    const byHand = await t.http
      .post(`/api/admin/withdrawals/${requested.id}/mark-failed`)
      .set('Authorization', admin.bearer)
      .send({ reason: 'taking too long' })
      .expect(409);
    expect(byHand.body.code).toBe('WITHDRAWAL_NOT_MANUAL');
    paymob.settle(paymob.transactions.at(-1)!.transaction_id, 'successful');
    clock.advance(6 * 60_000);
    await t.app.get(CronService).sweepMoney();
    expect(await withdrawal(requested.id)).toMatchObject({ status: 'paid' });
    expect(await balanceOf(t, craftsman)).toMatchObject({ balance: 40_000, pending: 0 });
  });

  it('should keep the money held while Paymob is down, and send it once on a later sweep', async () => {
    paymob.answerNext('http500');
    const requested = await withdraw(10_000);
    // the first attempt failed: still requested, money still held
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await withdrawal(requested.id)).toMatchObject({ status: 'requested' });
    expect(await balanceOf(t, craftsman)).toMatchObject({ pending: 10_000 });
    clock.advance(6 * 60_000);
    await t.app.get(CronService).sweepMoney();
    await t.app.get(CronService).sweepMoney();
    expect(await withdrawal(requested.id)).toMatchObject({ status: 'paid' });
    const made = paymob.transactions.filter((tx) => tx.client_reference === requested.id);
    expect(made).toHaveLength(1);
    expect(await balanceOf(t, craftsman)).toMatchObject({ balance: 40_000, pending: 0 });
  });
});
