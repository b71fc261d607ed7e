import type { Session } from './session.js';
import * as marketplace from './marketplace.js';
import type { TestApp } from './test-app.js';

/** `GET /wallet/balance`, as the craftsman's app reads it. */
export interface WalletBalance {
  currency: string;
  balance: number;
  withdrawableBalance: number;
  pending: number;
  feesOwed: number;
  feeDebtLimit: number;
  cashJobsBlocked: boolean;
}

/** `GET /admin/ledger/check`. */
export interface LedgerCheck {
  balanced: boolean;
  entries: number;
  accounts: number;
  mismatches: Array<{ account: string; cached: number; expected: number }>;
  unbalancedEntries: string[];
}

export async function balanceOf(t: TestApp, craftsman: Session): Promise<WalletBalance> {
  return (
    await t.http.get('/api/wallet/balance').set('Authorization', craftsman.bearer).expect(200)
  ).body as WalletBalance;
}

/** An admin's goodwill credit (or, negative, a correction) to the craftsman's wallet. */
export async function adjust(
  t: TestApp,
  admin: Session,
  craftsman: Session,
  amount: number,
  reason = 'goodwill credit for the test',
): Promise<{ id: string; state: string; [key: string]: unknown }> {
  return (
    await t.http
      .post(`/api/admin/wallets/${craftsman.user.id}/adjustments`)
      .set('Authorization', admin.bearer)
      .send({ amount, reason })
      .expect(201)
  ).body;
}

export async function ledgerCheck(t: TestApp, admin: Session): Promise<LedgerCheck> {
  return (
    await t.http.get('/api/admin/ledger/check').set('Authorization', admin.bearer).expect(200)
  ).body as LedgerCheck;
}

/** A job of `paymentType` taken from posting to `completed` through the API. */
export async function completeJob(
  t: TestApp,
  client: Session,
  craftsman: Session,
  {
    price = 50_000,
    paymentType = 'cash',
    startedBy = craftsman,
  }: {
    price?: number;
    paymentType?: string;
    /** Who moves it on the way and in progress (staff, for an escrow job not paid). */
    startedBy?: Session;
  } = {},
): Promise<{ id: string }> {
  const job = await marketplace.postJob(t, client, {
    title: 'Fix the kitchen tap',
    description: 'The kitchen tap drips all night long.',
    category: 'Plumbing',
    paymentType,
  });
  await marketplace.hire(t, client, job.id, craftsman, price);
  for (const [who, status] of [
    [startedBy, 'on_the_way'],
    [startedBy, 'in_progress'],
    [client, 'completed'],
  ] as const) {
    await t.http
      .patch(`/api/jobs/${job.id}/status`)
      .set('Authorization', who.bearer)
      .send({ status })
      .expect(200);
  }
  return job;
}
