/**
 * `GET /wallet/balance` and the socket event `wallet.updated` (API.md "Money"). Projections of
 * the ledger, in integer piastres.
 */
export class WalletBalanceResponseDto {
  currency!: 'EGP';
  /** What the craftsman is worth on the platform: withdrawable + pending − fees owed (may be < 0). */
  balance!: number;
  /** What he may withdraw now: his available money less the fees he owes. */
  withdrawableBalance!: number;
  /** Withdrawals requested and not yet paid out. */
  pending!: number;
  /** Platform fees of cash jobs he has not paid yet (≥ 0). */
  feesOwed!: number;
  /** At or above this much owed he can't take cash jobs (FEE_DEBT_LIMIT). */
  feeDebtLimit!: number;
  /** He owes `feeDebtLimit` or more: cash jobs refuse his quotes and he is not recommended. */
  cashJobsBlocked!: boolean;
}
