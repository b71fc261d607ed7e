import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../../common/clock/clock.js';
import { isDuplicateKeyError } from '../../../common/database/duplicate-key.js';
import { DomainEvents } from '../../../common/events/domain-events.js';
import type { AllConfig } from '../../../config/config.js';
import { isAccountName, isGuarded } from './ledger-accounts.js';
import { LedgerAccountsRepository } from './ledger-accounts.repository.js';
import { LedgerEntriesRepository, type NewLedgerEntryRecord } from './ledger-entries.repository.js';
import { LedgerEntryPostedEvent } from './events/ledger-entry-posted.event.js';
import {
  type LedgerEntryEntity,
  LedgerEntryState,
  type Posting,
} from './schemas/ledger-entry.schema.js';

/** An entry to post: `NewLedgerEntryRecord` without its lease, which the ledger sets. */
export type NewLedgerEntry = Omit<NewLedgerEntryRecord, 'leaseUntil'>;

/**
 * What became of a post: the entry as it ended (`posted`, `voided` when an account's guard
 * refused it, or, rarely, still `pending`/`voiding` when it could not be finished within a lease:
 * the caller answers "try again" and a retry or the sweeper finishes it), and whether the
 * idempotency key had been used before (`replayed`).
 */
export interface PostResult {
  entry: LedgerEntryEntity;
  replayed: boolean;
}

/** The entry's postings are not a balanced transfer: a bug in the caller, never user input. */
export class UnbalancedEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnbalancedEntryError';
  }
}

/**
 * Throws UnbalancedEntryError unless the postings are a balanced transfer: at least two, each a
 * non-zero safe integer (piastres) on a distinct, well-formed account, summing to zero.
 */
export function checkPostings(postings: Posting[]): void {
  if (postings.length < 2) {
    throw new UnbalancedEntryError('An entry has at least two postings');
  }
  const accounts = new Set<string>();
  let sum = 0;
  for (const { account, amount } of postings) {
    if (!Number.isSafeInteger(amount) || amount === 0) {
      throw new UnbalancedEntryError(`Posting to ${account}: ${amount} is not a non-zero integer`);
    }
    if (!isAccountName(account) || accounts.has(account)) {
      throw new UnbalancedEntryError(`Posting to ${account}: bad or repeated account`);
    }
    accounts.add(account);
    sum += amount;
  }
  if (sum !== 0) {
    throw new UnbalancedEntryError(`The postings sum to ${sum}, not 0`);
  }
}

/** Guarded postings first: when a guard refuses, nothing that can't be taken back has moved. */
function inApplyOrder(postings: Posting[]): Posting[] {
  return [...postings].sort(
    (a, b) => Number(isGuarded(b.account, b.amount)) - Number(isGuarded(a.account, a.amount)),
  );
}

/**
 * The ledger (DESIGN.md "Money"): balanced entries applied exactly once to accounts that cache
 * their balances, without multi-document transactions (MongoDB's two-phase-commit tutorial;
 * TigerBeetle's client-chosen ids and transfers that post or void exactly once).
 *
 * Posting an entry: insert it `pending` with a lease (the unique idempotency key makes a replay
 * insert nothing), apply each posting to its account by a guarded update that records the entry
 * on the account, then mark it `posted`: 2 + one command per account. When a guard refuses, the
 * entry becomes `voiding`, what was applied is taken back and it ends `voided`. A crash at any
 * step leaves an entry whose lease ends; `LedgerSweeper` finishes it the same way.
 */
@Injectable()
export class LedgerService {
  private readonly logger = new Logger(LedgerService.name);
  private readonly leaseMs: number;

  constructor(
    private readonly entries: LedgerEntriesRepository,
    private readonly accounts: LedgerAccountsRepository,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    config: ConfigService<AllConfig, true>,
  ) {
    this.leaseMs = config.get('money', { infer: true }).ledgerLeaseMs;
  }

  /**
   * Posts an entry once per idempotency key. A replay answers the entry the key names (finishing
   * it first if its writer died), whatever the new postings say.
   *
   * @throws UnbalancedEntryError when the postings don't sum to zero (nothing is written)
   */
  async post(input: NewLedgerEntry): Promise<PostResult> {
    checkPostings(input.postings);
    let entry: LedgerEntryEntity;
    try {
      entry = await this.entries.insert({
        ...input,
        leaseUntil: new Date(this.clock.now().getTime() + this.leaseMs),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
      return { entry: await this.replay(input.idempotencyKey), replayed: true };
    }
    const settled = await this.settle(entry);
    if (settled.state === LedgerEntryState.Posted || settled.state === LedgerEntryState.Voided) {
      return { entry: settled, replayed: false };
    }
    // our lease ended before it settled (a slow machine): finish it as a replay of it would
    return { entry: await this.replay(input.idempotencyKey), replayed: false };
  }

  /**
   * Applies a pending entry to its accounts and posts it, or, when a guard refuses a posting,
   * takes back what was applied and voids it. Every step is idempotent, so the writer, a replay
   * and the sweeper may all run it.
   *
   * @param stopAfter tests only: return after this many account updates, as a crash would
   * @returns the entry as it ends (still `pending` if stopped, or if the lease ran out)
   */
  async settle(entry: LedgerEntryEntity, stopAfter = Infinity): Promise<LedgerEntryEntity> {
    let steps = 0;
    if (entry.state === LedgerEntryState.Pending) {
      for (const posting of inApplyOrder(entry.postings)) {
        if (steps >= stopAfter || !this.holdsLease(entry)) {
          return entry;
        }
        steps += 1;
        const outcome = await this.accounts.applyPosting(posting.account, posting.amount, entry.id);
        if (outcome === 'refused') {
          const reason = `${posting.account} would leave its limits`;
          if (!(await this.entries.beginVoid(entry.id, reason))) {
            // settled meanwhile by an instance that took over after our lease ended: its word holds
            return (await this.entries.findFresh(entry.id)) ?? entry;
          }
          return this.unwind(
            { ...entry, state: LedgerEntryState.Voiding, voidReason: reason },
            { stopAfter: stopAfter - steps },
          );
        }
      }
      if (steps >= stopAfter) {
        return entry;
      }
      const at = this.clock.now();
      if (await this.entries.markPosted(entry.id, at)) {
        const posted = { ...entry, state: LedgerEntryState.Posted, settledAt: at };
        // once per entry: only the settling whose guarded write posted it gets here
        await this.events.publish(new LedgerEntryPostedEvent(posted));
        return posted;
      }
      // someone voided it meanwhile (only a sweeper that took over after our lease ended)
      return (await this.entries.findFresh(entry.id)) ?? entry;
    }
    if (entry.state === LedgerEntryState.Voiding) {
      return this.unwind(entry, { stopAfter });
    }
    return entry;
  }

  /** voiding → voided: each applied posting taken back (a no-op where it was not applied). */
  private async unwind(
    entry: LedgerEntryEntity,
    { stopAfter }: { stopAfter: number },
  ): Promise<LedgerEntryEntity> {
    let steps = 0;
    for (const posting of entry.postings) {
      if (steps >= stopAfter) {
        return entry;
      }
      steps += 1;
      await this.accounts.revertPosting(posting.account, posting.amount, entry.id);
    }
    const at = this.clock.now();
    await this.entries.markVoided(entry.id, at);
    this.logger.log(`Ledger entry ${entry.id} (${entry.kind}) voided: ${entry.voidReason}`);
    return { ...entry, state: LedgerEntryState.Voided, settledAt: at };
  }

  /** Another writer's entry, by key: finished if it was abandoned, awaited if it is being applied. */
  private async replay(idempotencyKey: string): Promise<LedgerEntryEntity> {
    const deadline = this.clock.now().getTime() + this.leaseMs;
    for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
      const entry = await this.entries.findByKey(idempotencyKey);
      if (!entry) {
        throw new Error(`Ledger entry ${idempotencyKey} vanished`);
      }
      if (entry.state === LedgerEntryState.Posted || entry.state === LedgerEntryState.Voided) {
        return entry;
      }
      if (entry.leaseUntil.getTime() < this.clock.now().getTime()) {
        return this.takeOver(entry);
      }
      if (this.clock.now().getTime() >= deadline) {
        return entry;
      }
      await sleep(wait);
    }
  }

  /**
   * Finishes an entry whose writer's lease ended, under a new lease of ours.
   * @returns the entry as it ends
   */
  private async takeOver(entry: LedgerEntryEntity): Promise<LedgerEntryEntity> {
    const now = this.clock.now();
    const claimed = await this.entries.claimAbandoned(
      now,
      new Date(now.getTime() + this.leaseMs),
      entry.id,
    );
    // null: another instance took it over first; it answers with the entry as that one left it
    return claimed ? this.settle(claimed) : ((await this.entries.findFresh(entry.id)) ?? entry);
  }

  /**
   * Finishes one entry a crash left pending or voiding (its lease ended), if there is one.
   * Safe with many instances: each entry is claimed by one.
   *
   * @returns the entry as it ended, or null when there was none
   */
  async finishOneAbandoned(): Promise<LedgerEntryEntity | null> {
    const now = this.clock.now();
    const claimed = await this.entries.claimAbandoned(now, new Date(now.getTime() + this.leaseMs));
    if (!claimed) {
      return null;
    }
    const settled = await this.settle(claimed);
    this.logger.warn(
      `Ledger entry ${claimed.id} (${claimed.kind}) left ${claimed.state} by a crash: now ${settled.state}`,
    );
    return settled;
  }

  /**
   * Removes settled entries' ids from their accounts once no writer can still be applying them
   * (their settling is older than `olderThanMs`, many leases). One batch of up to `limit`.
   *
   * @returns how many entries were compacted
   */
  async compact(olderThanMs: number, limit = 500): Promise<number> {
    const settled = await this.entries.uncompacted(
      new Date(this.clock.now().getTime() - olderThanMs),
      limit,
    );
    if (settled.length === 0) {
      return 0;
    }
    const accounts = [...new Set(settled.flatMap((entry) => entry.postings.map((p) => p.account)))];
    const ids = settled.map((entry) => entry.id);
    await this.accounts.forgetEntries(accounts, ids);
    await this.entries.markCompacted(ids);
    return ids.length;
  }

  /** Whether this writer may still apply the entry (its lease has not ended). */
  private holdsLease(entry: LedgerEntryEntity): boolean {
    return this.clock.now().getTime() < entry.leaseUntil.getTime();
  }

  /** The entry of that idempotency key, in whatever state it is; null when there is none. */
  findByKey(idempotencyKey: string): Promise<LedgerEntryEntity | null> {
    return this.entries.findByKey(idempotencyKey);
  }

  /** Balances of accounts (0 for one never used), one read. */
  balancesOf(accounts: string[]): Promise<Map<string, number>> {
    return this.accounts.balancesOf(accounts);
  }
}
