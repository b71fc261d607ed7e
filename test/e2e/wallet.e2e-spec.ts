import type { Paginated } from '../../src/common/pagination/paginated.js';
import { adjust, balanceOf, ledgerCheck } from '../support/money.js';
import { loginAsAdmin, newClient, newCraftsman, type Session } from '../support/session.js';
import { collect, connectSocket } from '../support/socket.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Transaction {
  id: string;
  type: string;
  amount: number;
  status: string;
  gateway: string;
  job: string | null;
  withdrawal: string | null;
}

describe('Wallet', () => {
  let t: TestApp;
  let admin: Session;
  let craftsman: Session;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
    craftsman = await newCraftsman(t);
  });

  async function transactions(query = ''): Promise<Paginated<Transaction>> {
    return (
      await t.http
        .get(`/api/wallet/transactions${query}`)
        .set('Authorization', craftsman.bearer)
        .expect(200)
    ).body as Paginated<Transaction>;
  }

  it('should show a new craftsman an empty wallet, and refuse clients and strangers', async () => {
    expect(await balanceOf(t, craftsman)).toEqual({
      currency: 'EGP',
      balance: 0,
      withdrawableBalance: 0,
      pending: 0,
      feesOwed: 0,
      feeDebtLimit: 50_000,
      cashJobsBlocked: false,
    });
    const client = await newClient(t);
    await t.http.get('/api/wallet/balance').set('Authorization', client.bearer).expect(403);
    await t.http.get('/api/wallet/balance').expect(401);
    expect((await transactions()).data).toEqual([]);
  });

  describe('adjustments', () => {
    it('should credit the wallet as one posted entry, tell the craftsman live, and keep the ledger balanced', async () => {
      const socket = await connectSocket(t, craftsman.accessToken);
      const updates = collect<{ withdrawableBalance: number }>(socket, 'wallet.updated');
      try {
        const entry = await adjust(t, admin, craftsman, 12_345, 'refund of a wrong charge');
        expect(entry).toMatchObject({
          kind: 'adjustment',
          state: 'posted',
          currency: 'EGP',
          reason: 'refund of a wrong charge',
          actor: admin.user.id,
          postings: expect.arrayContaining([
            { account: `craftsman:${craftsman.user.id}:available`, amount: 12_345 },
            { account: 'platform:adjustments', amount: -12_345 },
          ]),
        });
        expect(await balanceOf(t, craftsman)).toMatchObject({
          balance: 12_345,
          withdrawableBalance: 12_345,
        });
        const list = await transactions();
        expect(list.data).toEqual([
          expect.objectContaining({
            id: entry.id,
            type: 'adjustment',
            amount: 12_345,
            status: 'completed',
            gateway: 'system',
          }),
        ]);
        for (let i = 0; i < 50 && updates.length === 0; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(updates).toEqual([expect.objectContaining({ withdrawableBalance: 12_345 })]);
      } finally {
        socket.disconnect();
      }
      const notifications = await t.http
        .get('/api/notifications')
        .set('Authorization', craftsman.bearer)
        .expect(200);
      expect(
        (notifications.body.data as Array<{ type: string }>).filter(
          (notification) => notification.type !== 'user.registered',
        ),
      ).toEqual([
        expect.objectContaining({
          type: 'wallet.updated',
          message: expect.stringContaining('EGP 123.45 was added to your wallet'),
        }),
      ]);
      expect(await ledgerCheck(t, admin)).toEqual({
        balanced: true,
        entries: 1,
        accounts: 2,
        mismatches: [],
        unbalancedEntries: [],
      });
    });

    it('should answer a retry with the same Idempotency-Key with the same entry, and refuse the key with another body', async () => {
      const send = (amount: number) =>
        t.http
          .post(`/api/admin/wallets/${craftsman.user.id}/adjustments`)
          .set('Authorization', admin.bearer)
          .set('Idempotency-Key', 'adj-1')
          .send({ amount, reason: 'goodwill' });
      const first = await send(5_000).expect(201);
      const again = await send(5_000).expect(201);
      expect(again.body.id).toBe(first.body.id);
      const reused = await send(6_000).expect(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await balanceOf(t, craftsman)).balance).toBe(5_000);
      expect((await ledgerCheck(t, admin)).entries).toBe(1);
    });

    it('should refuse a correction larger than the available money and change nothing', async () => {
      await adjust(t, admin, craftsman, 1_000);
      const refused = await t.http
        .post(`/api/admin/wallets/${craftsman.user.id}/adjustments`)
        .set('Authorization', admin.bearer)
        .send({ amount: -1_001, reason: 'correction' })
        .expect(409);
      expect(refused.body).toMatchObject({
        code: 'INSUFFICIENT_FUNDS',
        details: [expect.objectContaining({ withdrawableBalance: 1_000 })],
      });
      expect((await balanceOf(t, craftsman)).balance).toBe(1_000);
      await adjust(t, admin, craftsman, -1_000, 'correction');
      expect((await balanceOf(t, craftsman)).balance).toBe(0);
      const check = await ledgerCheck(t, admin);
      expect(check).toMatchObject({ balanced: true, mismatches: [] });
    });

    it('should refuse an adjustment for a client, a zero amount, and anyone but an admin', async () => {
      const client = await newClient(t);
      const notCraftsman = await t.http
        .post(`/api/admin/wallets/${client.user.id}/adjustments`)
        .set('Authorization', admin.bearer)
        .send({ amount: 100, reason: 'goodwill' })
        .expect(422);
      expect(notCraftsman.body.code).toBe('NOT_A_CRAFTSMAN');
      const zero = await t.http
        .post(`/api/admin/wallets/${craftsman.user.id}/adjustments`)
        .set('Authorization', admin.bearer)
        .send({ amount: 0, reason: 'goodwill' })
        .expect(400);
      expect(zero.body.details).toEqual([expect.objectContaining({ field: 'amount' })]);
      await t.http
        .post(`/api/admin/wallets/${craftsman.user.id}/adjustments`)
        .set('Authorization', craftsman.bearer)
        .send({ amount: 100, reason: 'goodwill' })
        .expect(403);
    });
  });

  it('should refuse a cursor that names no item of the list, and filters that are not ones', async () => {
    await adjust(t, admin, craftsman, 100);
    const forged = Buffer.from(JSON.stringify({ v: ['z', 'z'], n: 0 })).toString('base64url');
    const cursor = await t.http
      .get(`/api/wallet/transactions?after=${forged}`)
      .set('Authorization', craftsman.bearer)
      .expect(400);
    expect(cursor.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'after' }] });
    await t.http
      .get('/api/wallet/transactions?type=bonus')
      .set('Authorization', craftsman.bearer)
      .expect(400);
    const page = await transactions('?limit=1&type=adjustment&status=completed');
    expect(page.data).toHaveLength(1);
  });
});
