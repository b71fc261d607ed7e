import type { Paginated } from '../../src/common/pagination/paginated.js';
import { FakeClock } from '../support/fake-clock.js';
import { adjust, balanceOf, ledgerCheck } from '../support/money.js';
import { loginAsAdmin, newCraftsman, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Withdrawal {
  id: string;
  amount: number;
  status: string;
  expectedBy: string;
  provider: string;
  destination: { type: string; accountName: string; masked: string };
  reference: string | null;
  failureReason: string | null;
  craftsman?: string;
  late?: boolean;
}

const WALLET = { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '010 0123 4567' };
const BANK = {
  type: 'bank_account',
  accountName: 'Karim Adel',
  iban: 'EG38 0019 0005 0000 0000 2631 8000 2',
  bankCode: 'NBE',
};

describe('Withdrawals', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let admin: Session;
  let craftsman: Session;

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
    craftsman = await newCraftsman(t);
  });

  function withdraw(body: Record<string, unknown>, key?: string, who = craftsman) {
    const request = t.http.post('/api/wallet/withdraw').set('Authorization', who.bearer);
    return (key ? request.set('Idempotency-Key', key) : request).send(body);
  }

  async function transactions(): Promise<
    Array<{
      id: string;
      type: string;
      amount: number;
      status: string;
      withdrawal: string | null;
      gatewayTransactionId: string | null;
    }>
  > {
    return (
      await t.http
        .get('/api/wallet/transactions')
        .set('Authorization', craftsman.bearer)
        .expect(200)
    ).body.data;
  }

  it('should hold the money at once, expect it within 2 Egyptian business days, and mask the destination', async () => {
    await adjust(t, admin, craftsman, 30_000);
    const response = await withdraw({ amount: 10_000, destination: WALLET }).expect(201);
    const withdrawal = response.body as Withdrawal;
    expect(withdrawal).toMatchObject({
      amount: 10_000,
      status: 'requested',
      provider: 'manual',
      destination: { type: 'mobile_wallet', accountName: 'Karim Adel', masked: '••••4567' },
    });
    expect(JSON.stringify(response.body)).not.toContain('1001234567');
    // 2 business days (Sun–Thu) after today in Cairo, at the end of that day
    const expectedBy = new Date(withdrawal.expectedBy);
    const days = (expectedBy.getTime() - clock.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(1);
    expect(days).toBeLessThan(6);
    expect(expectedBy.getUTCDay()).not.toBe(5);
    expect(expectedBy.getUTCDay()).not.toBe(6);
    expect(await balanceOf(t, craftsman)).toMatchObject({
      balance: 30_000,
      withdrawableBalance: 20_000,
      pending: 10_000,
    });
    expect(await transactions()).toEqual([
      expect.objectContaining({
        type: 'withdrawal',
        amount: -10_000,
        status: 'pending',
        withdrawal: withdrawal.id,
      }),
      expect.objectContaining({ type: 'adjustment', amount: 30_000, status: 'completed' }),
    ]);
    const mine = await t.http
      .get('/api/wallet/withdrawals')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect((mine.body as Paginated<Withdrawal>).data.map((item) => item.id)).toEqual([
      withdrawal.id,
    ]);
  });

  it('should refuse an amount below WITHDRAW_MIN, more than the withdrawable balance, and a destination without its number', async () => {
    await adjust(t, admin, craftsman, 8_000);
    const small = await withdraw({ amount: 4_999, destination: WALLET }).expect(400);
    expect(small.body).toMatchObject({ code: 'AMOUNT_BELOW_MINIMUM' });
    const tooMuch = await withdraw({ amount: 8_001, destination: WALLET }).expect(409);
    expect(tooMuch.body).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: [expect.objectContaining({ field: 'amount', withdrawableBalance: 8_000 })],
    });
    const noIban = await withdraw({
      amount: 5_000,
      destination: { type: 'bank_account', accountName: 'Karim Adel' },
    }).expect(400);
    expect(noIban.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'destination.iban' }],
    });
    const badIban = await withdraw({
      amount: 5_000,
      destination: { ...BANK, iban: 'EG00 1234' },
    }).expect(400);
    expect(badIban.body.details).toEqual([expect.objectContaining({ field: 'destination.iban' })]);
    const landline = await withdraw({
      amount: 5_000,
      destination: { ...WALLET, msisdn: '02 2345 6789' },
    }).expect(400);
    expect(landline.body.details).toEqual([
      expect.objectContaining({ field: 'destination.msisdn' }),
    ]);
    const foreignIban = await withdraw({
      amount: 5_000,
      destination: { ...BANK, iban: 'DE89 3704 0044 0532 0130 00' },
    }).expect(400);
    expect(foreignIban.body.details).toEqual([
      expect.objectContaining({ field: 'destination.iban' }),
    ]);
    const mixed = await withdraw({
      amount: 5_000,
      destination: { ...WALLET, iban: BANK.iban },
    }).expect(400);
    expect(mixed.body.details).toEqual([expect.objectContaining({ field: 'destination.iban' })]);
    const unknownField = await withdraw({ amount: 5_000, destination: WALLET, fee: 0 }).expect(400);
    expect(unknownField.body.code).toBe('VALIDATION_FAILED');
    // nothing was held, nothing is listed
    expect(await balanceOf(t, craftsman)).toMatchObject({ withdrawableBalance: 8_000, pending: 0 });
    const mine = await t.http
      .get('/api/wallet/withdrawals')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect(mine.body.data).toEqual([]);
  });

  it('should answer a retry with the same Idempotency-Key with the same withdrawal, and refuse the key with another body', async () => {
    await adjust(t, admin, craftsman, 30_000);
    const first = await withdraw({ amount: 10_000, destination: BANK }, 'w-1').expect(201);
    const again = await withdraw({ amount: 10_000, destination: BANK }, 'w-1').expect(201);
    expect(again.body.id).toBe(first.body.id);
    const reused = await withdraw({ amount: 12_000, destination: BANK }, 'w-1').expect(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await balanceOf(t, craftsman)).toMatchObject({
      withdrawableBalance: 20_000,
      pending: 10_000,
    });
  });

  it('should let 50 concurrent withdrawals take no more than the wallet holds', async () => {
    await adjust(t, admin, craftsman, 37_000);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        withdraw({ amount: 5_000, destination: WALLET }, `c-${index}`),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(7);
    expect(statuses.filter((status) => status === 409)).toHaveLength(43);
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(refused.body.code).toBe('INSUFFICIENT_FUNDS');
    }
    expect(await balanceOf(t, craftsman)).toMatchObject({
      withdrawableBalance: 2_000,
      pending: 35_000,
    });
    const mine = await t.http
      .get('/api/wallet/withdrawals?limit=100')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect(mine.body.pagination.totalItems).toBe(7);
    expect(await ledgerCheck(t, admin)).toMatchObject({ balanced: true, mismatches: [] });
  });

  it('should pay out once when an admin marks it paid, and refuse a second decision', async () => {
    await adjust(t, admin, craftsman, 20_000);
    const { body: withdrawal } = await withdraw({
      amount: 15_000,
      destination: { ...BANK, iban: 'eg38-0019-0005-0000-0000-2631-8000-2' },
    }).expect(201);
    expect(withdrawal.destination.masked).toBe('••••0002');
    const listed = await t.http
      .get('/api/admin/withdrawals?status=requested')
      .set('Authorization', admin.bearer)
      .expect(200);
    // the admin pays by hand: he sees where, whole
    expect(listed.body.data[0].payoutDestination).toEqual({
      type: 'bank_account',
      accountName: 'Karim Adel',
      iban: 'EG380019000500000000263180002',
      bankCode: 'NBE',
    });
    const paid = await t.http
      .post(`/api/admin/withdrawals/${withdrawal.id}/mark-paid`)
      .set('Authorization', admin.bearer)
      .send({ reference: 'NBE-TRX-778812' })
      .expect(200);
    expect(paid.body).toMatchObject({
      id: withdrawal.id,
      status: 'paid',
      reference: 'NBE-TRX-778812',
      late: false,
    });
    expect(await balanceOf(t, craftsman)).toMatchObject({
      balance: 5_000,
      withdrawableBalance: 5_000,
      pending: 0,
    });
    expect((await transactions())[0]).toMatchObject({
      type: 'withdrawal',
      status: 'completed',
      gatewayTransactionId: 'NBE-TRX-778812',
    });
    // the same mark again (a retry) answers it as it is; another decision is refused
    const again = await t.http
      .post(`/api/admin/withdrawals/${withdrawal.id}/mark-paid`)
      .set('Authorization', admin.bearer)
      .send({ reference: 'NBE-TRX-778812' })
      .expect(200);
    expect(again.body).toMatchObject({ status: 'paid', reference: 'NBE-TRX-778812' });
    const otherReference = await t.http
      .post(`/api/admin/withdrawals/${withdrawal.id}/mark-paid`)
      .set('Authorization', admin.bearer)
      .send({ reference: 'NBE-TRX-000001' })
      .expect(409);
    expect(otherReference.body.code).toBe('WITHDRAWAL_NOT_OPEN');
    const twice = await t.http
      .post(`/api/admin/withdrawals/${withdrawal.id}/mark-failed`)
      .set('Authorization', admin.bearer)
      .send({ reason: 'bank refused' })
      .expect(409);
    expect(twice.body.code).toBe('WITHDRAWAL_NOT_OPEN');
    expect(await balanceOf(t, craftsman)).toMatchObject({ balance: 5_000, pending: 0 });
    expect(await ledgerCheck(t, admin)).toMatchObject({ balanced: true, mismatches: [] });
  });

  it('should return the money to the wallet when the payout fails, and tell the craftsman why', async () => {
    await adjust(t, admin, craftsman, 20_000);
    const { body: withdrawal } = await withdraw({ amount: 15_000, destination: WALLET }).expect(
      201,
    );
    const failed = await t.http
      .post(`/api/admin/withdrawals/${withdrawal.id}/mark-failed`)
      .set('Authorization', admin.bearer)
      .send({ reason: 'the wallet number is closed' })
      .expect(200);
    expect(failed.body).toMatchObject({
      status: 'failed',
      failureReason: 'the wallet number is closed',
    });
    expect(await balanceOf(t, craftsman)).toMatchObject({
      balance: 20_000,
      withdrawableBalance: 20_000,
      pending: 0,
    });
    expect((await transactions())[0]).toMatchObject({ type: 'withdrawal', status: 'failed' });
    const notifications = await t.http
      .get('/api/notifications')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    expect(notifications.body.data[0]).toMatchObject({
      type: 'wallet.updated',
      message: expect.stringContaining('the wallet number is closed'),
    });
  });

  it('should list withdrawals for admins by status, late once past expectedBy', async () => {
    await adjust(t, admin, craftsman, 20_000);
    const { body: open } = await withdraw({ amount: 5_000, destination: WALLET }).expect(201);
    const { body: done } = await withdraw({ amount: 5_000, destination: WALLET }).expect(201);
    await t.http
      .post(`/api/admin/withdrawals/${done.id}/mark-paid`)
      .set('Authorization', admin.bearer)
      .send({ reference: 'R-1' })
      .expect(200);
    clock.advanceDays(6);
    const requested = await t.http
      .get('/api/admin/withdrawals?status=requested')
      .set('Authorization', admin.bearer)
      .expect(200);
    expect(requested.body.data).toEqual([
      expect.objectContaining({ id: open.id, craftsman: craftsman.user.id, late: true }),
    ]);
    const all = await t.http
      .get('/api/admin/withdrawals')
      .set('Authorization', admin.bearer)
      .expect(200);
    expect(all.body.pagination.totalItems).toBe(2);
    expect(all.body.data.find((item: Withdrawal) => item.id === done.id)).toMatchObject({
      status: 'paid',
      late: false,
    });
    await t.http.get('/api/admin/withdrawals').set('Authorization', craftsman.bearer).expect(403);
    await t.http
      .get('/api/admin/withdrawals?status=requesting')
      .set('Authorization', admin.bearer)
      .expect(400);
    await t.http
      .post(`/api/admin/withdrawals/${open.id}/mark-paid`)
      .set('Authorization', admin.bearer)
      .send({})
      .expect(400);
    await t.http
      .post('/api/admin/withdrawals/0123456789abcdef01234567/mark-paid')
      .set('Authorization', admin.bearer)
      .send({ reference: 'x' })
      .expect(404);
  });
});
