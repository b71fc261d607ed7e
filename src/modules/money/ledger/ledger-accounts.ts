/**
 * The ledger's accounts, by name (DESIGN.md "Money"). An account's balance is the sum of the
 * amounts posted to it (integer piastres). One sign convention for every account, so that each
 * entry's postings sum to zero: a positive balance is value the account holds.
 * - `craftsman:<id>:available`: what the platform owes the craftsman and he may withdraw (≥ 0);
 * - `craftsman:<id>:pending_payout`: withdrawals requested and not yet paid out (≥ 0);
 * - `craftsman:<id>:fees_owed`: fees of cash jobs he has not paid yet, as a negative balance
 *   (≤ 0; `feesOwed` in the API is its opposite);
 * - `escrow:job:<id>`: a client's payment held for a job (≥ 0);
 * - `platform:revenue`: fees earned; `platform:adjustments`: goodwill credits and corrections
 *   given or taken by admins (its balance is minus what was given);
 * - `gateway:<name>`: money outside the ledger, at a gateway (Fawry, Stripe, Paymob, a manual
 *   transfer): its balance is minus what came in through it, plus what went out.
 */
export const LedgerAccount = {
  available: (craftsmanId: string) => `craftsman:${craftsmanId}:available`,
  pendingPayout: (craftsmanId: string) => `craftsman:${craftsmanId}:pending_payout`,
  feesOwed: (craftsmanId: string) => `craftsman:${craftsmanId}:fees_owed`,
  escrow: (jobId: string) => `escrow:job:${jobId}`,
  platformRevenue: 'platform:revenue',
  platformAdjustments: 'platform:adjustments',
  gateway: (name: string) => `gateway:${name}`,
} as const;

/** The bounds an account's balance must stay within (piastres); none when unbounded. */
export interface AccountLimits {
  min?: number;
  max?: number;
}

const ACCOUNT_NAME = /^[a-z_]+(:[a-z0-9_]+)*$/;

export function isAccountName(name: string): boolean {
  return name.length <= 100 && ACCOUNT_NAME.test(name);
}

/** An account's bounds, from its name: money a person holds never goes below zero. */
export function limitsOf(account: string): AccountLimits {
  if (/^craftsman:[a-f0-9]{24}:(available|pending_payout)$/.test(account)) {
    return { min: 0 };
  }
  if (/^craftsman:[a-f0-9]{24}:fees_owed$/.test(account)) {
    return { max: 0 };
  }
  if (account.startsWith('escrow:')) {
    return { min: 0 };
  }
  return {};
}

/**
 * Whether posting `amount` to the account could take it past one of its bounds: a debit of an
 * account with a floor, a credit of an account with a ceiling. Only such postings are guarded
 * (and applied first, so that an entry a guard refuses has moved nothing else).
 */
export function isGuarded(account: string, amount: number): boolean {
  const limits = limitsOf(account);
  return (amount < 0 && limits.min !== undefined) || (amount > 0 && limits.max !== undefined);
}
