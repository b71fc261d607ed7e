import { Injectable } from '@nestjs/common';
import { LedgerAccountsRepository } from './ledger-accounts.repository.js';
import { LedgerEntriesRepository } from './ledger-entries.repository.js';

/** An account whose cached balance is not the sum of its postings (piastres). */
export interface BalanceMismatch {
  account: string;
  cached: number;
  expected: number;
}

/** `GET /admin/ledger/check` (API.md "Money"). */
export interface LedgerCheck {
  /** Σ of every posted posting is 0 and every posted entry sums to 0. */
  balanced: boolean;
  /** How many entries exist (any state). */
  entries: number;
  /** How many accounts exist. */
  accounts: number;
  /** Accounts whose cached balance differs from their postings. */
  mismatches: BalanceMismatch[];
  /** Posted entries whose own postings don't sum to 0 (ids). */
  unbalancedEntries: string[];
}

/**
 * The ledger's two invariants, recomputed from the entries: Σ of all postings = 0, and each
 * account's cached balance = Σ of its postings. An entry still being applied counts on the
 * accounts it was applied to (they name it in `pendingEntries`), so the check holds at every
 * step of applying one; read while entries are written, a balance may be read a moment apart from
 * its postings and show as a mismatch that a second check no longer finds.
 */
@Injectable()
export class LedgerInvariants {
  constructor(
    private readonly entries: LedgerEntriesRepository,
    private readonly accounts: LedgerAccountsRepository,
  ) {}

  async check(): Promise<LedgerCheck> {
    const [totals, unsettled, accounts, entries] = await Promise.all([
      this.entries.postedTotals(),
      this.entries.unsettled(),
      this.accounts.all(),
      this.entries.count(),
    ]);
    const expected = new Map(totals.perAccount);
    const applied = new Map(
      accounts.map((account) => [account.id, new Set(account.pendingEntries)]),
    );
    for (const entry of unsettled) {
      for (const { account, amount } of entry.postings) {
        if (applied.get(account)?.has(entry.id)) {
          expected.set(account, (expected.get(account) ?? 0) + amount);
        }
      }
    }
    const cached = new Map(accounts.map((account) => [account.id, account.balance]));
    const mismatches: BalanceMismatch[] = [];
    for (const account of new Set([...cached.keys(), ...expected.keys()])) {
      const balance = cached.get(account) ?? 0;
      const sum = expected.get(account) ?? 0;
      if (balance !== sum) {
        mismatches.push({ account, cached: balance, expected: sum });
      }
    }
    const sum = [...totals.perAccount.values()].reduce((total, value) => total + value, 0);
    return {
      balanced: sum === 0 && totals.unbalanced.length === 0,
      entries,
      accounts: accounts.length,
      mismatches,
      unbalancedEntries: totals.unbalanced,
    };
  }
}
