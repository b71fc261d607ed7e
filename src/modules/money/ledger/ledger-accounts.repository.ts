import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../../common/database/base.repository.js';
import { isDuplicateKeyError } from '../../../common/database/duplicate-key.js';
import { type AccountLimits, isGuarded, limitsOf } from './ledger-accounts.js';
import { type LedgerAccountEntity, LedgerAccountRecord } from './schemas/ledger-account.schema.js';

/** What applying one posting did: moved the balance, found it moved before, or was refused. */
export type PostingOutcome = 'applied' | 'already_applied' | 'refused';

/** The balance condition under which posting `amount` keeps the account within its limits. */
function guardOf(amount: number, limits: AccountLimits): Record<string, unknown> {
  if (amount < 0 && limits.min !== undefined) {
    return { balance: { $gte: limits.min - amount } };
  }
  if (amount > 0 && limits.max !== undefined) {
    return { balance: { $lte: limits.max - amount } };
  }
  return {};
}

@Injectable()
export class LedgerAccountsRepository extends BaseRepository<
  LedgerAccountRecord,
  LedgerAccountEntity
> {
  constructor(@InjectModel(LedgerAccountRecord.name) model: Model<LedgerAccountRecord>) {
    super(model);
  }

  /**
   * Applies one posting of an entry: one guarded single-document update
   * (`{_id, pendingEntries: {$ne: entry}, balance guard}` + `$inc` + `$push`, MongoDB's
   * two-phase-commit pattern). Applying it twice is a no-op. A posting that can't break the
   * account's limits creates the account on first use (upsert); one that could is refused when
   * the account is missing or its balance would leave the limits.
   */
  async applyPosting(account: string, amount: number, entryId: string): Promise<PostingOutcome> {
    const guarded = isGuarded(account, amount);
    const filter = {
      _id: account,
      pendingEntries: { $ne: entryId },
      ...guardOf(amount, limitsOf(account)),
    } as QueryFilter<LedgerAccountRecord>;
    const update = { $inc: { balance: amount }, $push: { pendingEntries: entryId } };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const result = await this.model.updateOne(filter, update, { upsert: !guarded }).exec();
        if (result.matchedCount === 1 || result.upsertedCount === 1) {
          return 'applied';
        }
      } catch (error) {
        // an upsert that lost the race to create the account, or found the entry applied
        if (!isDuplicateKeyError(error)) {
          throw error;
        }
      }
      // a filter, not an `$elemMatch` projection: the embedded engine ignores that projection,
      // which made an applied posting look refused (and its entry voided on recovery)
      const applied = await this.model
        .exists({ _id: account, pendingEntries: entryId } as QueryFilter<LedgerAccountRecord>)
        .exec();
      if (applied) {
        return 'already_applied';
      }
      if (guarded) {
        return 'refused';
      }
      // the account exists now (a concurrent first use created it): update it again
    }
    throw new Error(`Could not apply an entry to ${account}`);
  }

  /** Takes a posting back (voiding its entry); a no-op when it is not applied. */
  async revertPosting(account: string, amount: number, entryId: string): Promise<void> {
    await this.model
      .updateOne({ _id: account, pendingEntries: entryId } as QueryFilter<LedgerAccountRecord>, {
        $inc: { balance: -amount },
        $pull: { pendingEntries: entryId },
      })
      .exec();
  }

  /** Forgets settled entries' ids on these accounts (they will never be applied again). */
  async forgetEntries(accounts: string[], entryIds: string[]): Promise<void> {
    await this.model
      .updateMany({ _id: { $in: accounts } } as QueryFilter<LedgerAccountRecord>, {
        $pull: { pendingEntries: { $in: entryIds } },
      })
      .exec();
  }

  /** Balances of these accounts (0 for those never used), in one read. */
  async balancesOf(accounts: string[]): Promise<Map<string, number>> {
    const found = await this.model
      .find({ _id: { $in: accounts } } as QueryFilter<LedgerAccountRecord>, { balance: 1 })
      .lean()
      .exec();
    const balances = new Map(accounts.map((account) => [account, 0]));
    for (const account of found) {
      balances.set(account._id, account.balance);
    }
    return balances;
  }

  /** Every account, for the invariant check. */
  async all(): Promise<LedgerAccountEntity[]> {
    const found = await this.model.find({}, { balance: 1, pendingEntries: 1 }).lean().exec();
    return found.map((account) => this.toEntity(account));
  }
}
