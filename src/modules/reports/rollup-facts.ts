import { InvitationAction, InvitationSource } from '../invitations/invitation-status.js';
import { JobStatus, PaymentType } from '../jobs/job-status.js';
import { LedgerAccount } from '../money/ledger/ledger-accounts.js';
import { LedgerEntryKind, type Posting } from '../money/ledger/schemas/ledger-entry.schema.js';
import { type CairoDay, cairoDayOf } from './report-calendar.js';

/**
 * The counters of a day's rollup (`daily_rollups`), each a sum over that Cairo day. Which day a
 * fact counts on:
 * - on the day the job was posted (so that the rates of a period are shares of the jobs posted
 *   in it, and move as those jobs go on): `jobsPosted`; `jobsQuoted`, the jobs that got at least
 *   one quote (their first move out of `posted` into `quoted`, or straight into `hired`); and
 *   `jobsHired`, the jobs hired at least once (a hire taken back before anyone heard of it does
 *   not count);
 * - on the day it happened: `jobsCompleted`, jobs completed for the first time (a dispute's
 *   resolution that completes a job again keeps its first `completedAt`, and its day); with them
 *   the GMV, `gmvEscrow`, `gmvCashProtected` and `gmvCash`: the hired price (piastres) of those
 *   jobs by payment type, whatever a later dispute did to the money; `jobsCancelled` (a job is
 *   cancelled once); `disputesOpened`, every move into `disputed`;
 * - on the day the invitation was first sent (an invitation link's are left out: nobody was
 *   asked): `invitationsSent`; `invitationsAccepted`, those of them accepted at least once;
 * - on the day a ledger entry was posted (`settledAt`): `platformFees`, what it moved into
 *   `platform:revenue` (piastres, net: a fee given back counts negative); `feeDebtChange`, what
 *   it added to the cash-job fees craftsmen owe (`craftsman:<id>:fees_owed`, negative when paid);
 *   for a payout (`payout_paid`): `payoutsPaid`, and `payoutsWithinSla` when it was posted by the
 *   withdrawal's `expectedBy` (PAYOUT_BUSINESS_DAYS Egyptian business days after the request).
 * Posting, quoting and hiring moments are the job's status history, on the app's clock.
 */
export const ROLLUP_COUNTERS = [
  'jobsPosted',
  'jobsQuoted',
  'jobsHired',
  'jobsCompleted',
  'jobsCancelled',
  'disputesOpened',
  'invitationsSent',
  'invitationsAccepted',
  'gmvEscrow',
  'gmvCashProtected',
  'gmvCash',
  'platformFees',
  'feeDebtChange',
  'payoutsPaid',
  'payoutsWithinSla',
] as const;

export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];
export type RollupCounters = Record<RollupCounter, number>;

/**
 * One thing to count on one day, once: the listener writes it as one guarded `$inc` (the key
 * not yet among the day's counted keys), the rebuild folds it with the others of its day.
 */
export interface RollupFact {
  day: CairoDay;
  /** What makes it count once, e.g. `q:<jobId>` (see each fact's function). */
  key: string;
  inc: Partial<RollupCounters>;
  /** A job's minutes from posting to its first quote, for the exact median of a period. */
  firstQuoteMinutes?: number;
}

/** What the facts of a job are read from: a `JobEntity`, or a job document read for a rebuild. */
export interface JobFactsSource {
  id: string;
  createdAt: Date;
  paymentType: PaymentType;
  /** The accepted quote's price, piastres. */
  jobPrice?: number;
  completedAt: Date | null;
  statusHistory: ReadonlyArray<{ from?: JobStatus; to: JobStatus; at: Date }>;
}

/** When the job was posted: the first entry of its history (the app's clock). */
export function postedAtOf(job: JobFactsSource): Date {
  const first = job.statusHistory[0];
  return first?.to === JobStatus.Posted ? first.at : job.createdAt;
}

const MINUTE_MS = 60_000;

const GMV_COUNTER: Record<PaymentType, RollupCounter> = {
  [PaymentType.Escrow]: 'gmvEscrow',
  [PaymentType.CashProtected]: 'gmvCashProtected',
  [PaymentType.Cash]: 'gmvCash',
};

/** `p:<jobId>` on the posted day. */
export function jobPostedFact(job: JobFactsSource): RollupFact {
  return { day: cairoDayOf(postedAtOf(job)), key: `p:${job.id}`, inc: { jobsPosted: 1 } };
}

/**
 * The facts of one status move of `job` (at `at`), as its `job.status_changed` event and its
 * history entry both tell it: the first quote, the hire, the first completion, the
 * cancellation, a dispute. None for the other moves (on the way, in progress).
 */
export function factsOfMove(
  job: JobFactsSource,
  move: { from?: JobStatus; to: JobStatus; at: Date },
): RollupFact[] {
  const facts: RollupFact[] = [];
  const postedDay = () => cairoDayOf(postedAtOf(job));
  if (
    move.from === JobStatus.Posted &&
    (move.to === JobStatus.Quoted || move.to === JobStatus.Hired)
  ) {
    facts.push({
      day: postedDay(),
      key: `q:${job.id}`,
      inc: { jobsQuoted: 1 },
      firstQuoteMinutes: Math.max(
        0,
        Math.floor((move.at.getTime() - postedAtOf(job).getTime()) / MINUTE_MS),
      ),
    });
  }
  switch (move.to) {
    case JobStatus.Hired:
      facts.push({ day: postedDay(), key: `h:${job.id}`, inc: { jobsHired: 1 } });
      break;
    case JobStatus.Completed: {
      const firstCompletion = job.completedAt ?? move.at;
      facts.push({
        day: cairoDayOf(firstCompletion),
        key: `c:${job.id}`,
        inc: { jobsCompleted: 1, [GMV_COUNTER[job.paymentType]]: job.jobPrice ?? 0 },
      });
      break;
    }
    case JobStatus.Cancelled:
      facts.push({ day: cairoDayOf(move.at), key: `x:${job.id}`, inc: { jobsCancelled: 1 } });
      break;
    case JobStatus.Disputed:
      facts.push({
        day: cairoDayOf(move.at),
        key: `d:${job.id}:${move.at.getTime()}`,
        inc: { disputesOpened: 1 },
      });
      break;
    case JobStatus.Posted:
    case JobStatus.Quoted:
    case JobStatus.OnTheWay:
    case JobStatus.InProgress:
      break;
  }
  return facts;
}

/** Whether a move has facts to count (the listener reads nothing for the others). */
export function isCountedMove(from: JobStatus, to: JobStatus): boolean {
  return (
    (from === JobStatus.Posted && to === JobStatus.Quoted) ||
    to === JobStatus.Hired ||
    to === JobStatus.Completed ||
    to === JobStatus.Cancelled ||
    to === JobStatus.Disputed
  );
}

/** Every fact of a job, from its history: what its events counted, each once. */
export function factsOfJob(job: JobFactsSource): RollupFact[] {
  return [jobPostedFact(job), ...job.statusHistory.flatMap((move) => factsOfMove(job, move))];
}

/** What the facts of an invitation are read from. */
export interface InvitationFactsSource {
  id: string;
  source: InvitationSource;
  status: string;
  /** Its last 20 actions (InvitationsRepository keeps no more). */
  history: ReadonlyArray<{ action: InvitationAction; at: Date }>;
  createdAt: Date;
}

/**
 * When the invitation was first sent: its first action (created, or accepted at once), on the
 * app's clock; `createdAt` once more than 20 later actions have pushed it out of the history.
 */
export function firstSentAtOf(invitation: InvitationFactsSource): Date {
  const first = invitation.history[0];
  return first &&
    (first.action === InvitationAction.Created || first.action === InvitationAction.Accepted)
    ? first.at
    : invitation.createdAt;
}

/** `i:<invitationId>` on the day it was first sent; null for an invitation link's. */
export function invitationSentFact(invitation: InvitationFactsSource): RollupFact | null {
  if (invitation.source === InvitationSource.InviteLink) {
    return null;
  }
  return {
    day: cairoDayOf(firstSentAtOf(invitation)),
    key: `i:${invitation.id}`,
    inc: { invitationsSent: 1 },
  };
}

/** `a:<invitationId>` on the day it was first sent; null for an invitation link's. */
export function invitationAcceptedFact(invitation: InvitationFactsSource): RollupFact | null {
  if (invitation.source === InvitationSource.InviteLink) {
    return null;
  }
  return {
    day: cairoDayOf(firstSentAtOf(invitation)),
    key: `a:${invitation.id}`,
    inc: { invitationsAccepted: 1 },
  };
}

/** Every fact of an invitation: sent, and accepted if it ever was (its status or its history). */
export function factsOfInvitation(invitation: InvitationFactsSource): RollupFact[] {
  const accepted =
    invitation.status === 'accepted' ||
    invitation.history.some((entry) => entry.action === InvitationAction.Accepted);
  return [
    invitationSentFact(invitation),
    accepted ? invitationAcceptedFact(invitation) : null,
  ].filter((fact): fact is RollupFact => fact !== null);
}

/** What the fact of a posted ledger entry is read from. */
export interface EntryFactsSource {
  id: string;
  kind: LedgerEntryKind;
  postings: ReadonlyArray<Posting>;
  /** When it was posted. */
  settledAt: Date | null;
}

const FEES_OWED = /^craftsman:[a-f0-9]{24}:fees_owed$/;

/**
 * `e:<entryId>` on the day the entry was posted: the platform's revenue and the fee debt it
 * moved, and for a payout whether it met its SLA (`expectedBy`, the withdrawal's; null when
 * unknown: not met). Null for an entry that moves none of these (an escrow hold, a withdrawal
 * request).
 */
export function ledgerEntryFact(
  entry: EntryFactsSource,
  expectedBy: Date | null,
): RollupFact | null {
  if (!entry.settledAt) {
    return null;
  }
  let platformFees = 0;
  let feeDebtChange = 0;
  for (const { account, amount } of entry.postings) {
    if (account === LedgerAccount.platformRevenue) {
      platformFees += amount;
    } else if (FEES_OWED.test(account)) {
      // owed fees are a negative balance: a debit is more debt
      feeDebtChange -= amount;
    }
  }
  const payout = entry.kind === LedgerEntryKind.PayoutPaid;
  if (platformFees === 0 && feeDebtChange === 0 && !payout) {
    return null;
  }
  const withinSla = payout && expectedBy !== null && entry.settledAt <= expectedBy;
  return {
    day: cairoDayOf(entry.settledAt),
    key: `e:${entry.id}`,
    inc: {
      ...(platformFees !== 0 ? { platformFees } : {}),
      ...(feeDebtChange !== 0 ? { feeDebtChange } : {}),
      ...(payout ? { payoutsPaid: 1, payoutsWithinSla: withinSla ? 1 : 0 } : {}),
    },
  };
}

/** Whether an entry of this kind is a payout (its fact needs the withdrawal's `expectedBy`). */
export function isPayout(kind: LedgerEntryKind): boolean {
  return kind === LedgerEntryKind.PayoutPaid;
}

/** A day's rollup as the rebuild computes it: its counters, minutes and counted keys. */
export interface DayRollup {
  day: CairoDay;
  counters: RollupCounters;
  /** Minutes from posting to first quote of the day's jobs that got one (any order). */
  firstQuoteMinutes: number[];
  /** The keys of the facts counted (see RollupsRepository.count). */
  counted: string[];
}

export function zeroCounters(): RollupCounters {
  return Object.fromEntries(ROLLUP_COUNTERS.map((counter) => [counter, 0])) as RollupCounters;
}

/**
 * Folds facts into their days' rollups, each key counted once (the first fact of a key wins, as
 * the guarded write lets the first announcement through), for the days `keep` accepts.
 */
export class RollupFold {
  readonly days = new Map<CairoDay, DayRollup>();
  private readonly seen = new Set<string>();

  constructor(private readonly keep: (day: CairoDay) => boolean) {}

  add(fact: RollupFact | null): void {
    if (!fact || !this.keep(fact.day) || this.seen.has(fact.key)) {
      return;
    }
    this.seen.add(fact.key);
    let rollup = this.days.get(fact.day);
    if (!rollup) {
      rollup = { day: fact.day, counters: zeroCounters(), firstQuoteMinutes: [], counted: [] };
      this.days.set(fact.day, rollup);
    }
    for (const [counter, amount] of Object.entries(fact.inc) as Array<[RollupCounter, number]>) {
      rollup.counters[counter] += amount;
    }
    if (fact.firstQuoteMinutes !== undefined) {
      rollup.firstQuoteMinutes.push(fact.firstQuoteMinutes);
    }
    rollup.counted.push(fact.key);
  }
}
