import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { type Connection, type mongo, Types } from 'mongoose';
import { LedgerEntryState } from '../money/ledger/schemas/ledger-entry.schema.js';
import type { EntryFactsSource, InvitationFactsSource, JobFactsSource } from './rollup-facts.js';

/** Documents read per batch while streaming a collection. */
const BATCH = 2_000;

/** A posted ledger entry, with the withdrawal it pays out (payouts). */
export type PostedEntry = EntryFactsSource & { withdrawal: string | null };

const idOf = (value: unknown): string =>
  value instanceof Types.ObjectId ? value.toHexString() : String(value);

/**
 * What the reports' rebuild reads: the other modules' collections, read-only, streamed with the
 * few fields the facts need (rollup-facts.ts). The one place that reads another module's
 * collections rather than calling its service: recomputing a year is a pass over hundreds of
 * thousands of documents, which a service's mapped entities would multiply for nothing, and
 * nothing here writes.
 */
@Injectable()
export class RollupSourcesRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private collection(name: 'jobs' | 'invitations' | 'ledger_entries' | 'withdrawals') {
    return this.connection.collection(name);
  }

  /** Jobs with a status move in [start, end) (posting included): the jobs with facts there. */
  async *jobsMovedBetween(start: Date, end: Date): AsyncGenerator<JobFactsSource> {
    const range = { $gte: start, $lt: end };
    const cursor = this.collection('jobs')
      .find(
        { $or: [{ statusHistory: { $elemMatch: { at: range } } }, { createdAt: range }] },
        {
          projection: {
            createdAt: 1,
            paymentType: 1,
            jobPrice: 1,
            completedAt: 1,
            'statusHistory.from': 1,
            'statusHistory.to': 1,
            'statusHistory.at': 1,
          },
        },
      )
      .batchSize(BATCH);
    for await (const job of cursor) {
      yield {
        id: idOf(job._id),
        createdAt: job.createdAt as Date,
        paymentType: job.paymentType as JobFactsSource['paymentType'],
        jobPrice: job.jobPrice as number | undefined,
        completedAt: (job.completedAt as Date | null | undefined) ?? null,
        statusHistory: (job.statusHistory as JobFactsSource['statusHistory'] | undefined) ?? [],
      };
    }
  }

  /** Invitations with an action in [start, end), or created then. */
  async *invitationsActiveBetween(start: Date, end: Date): AsyncGenerator<InvitationFactsSource> {
    const range = { $gte: start, $lt: end };
    const cursor = this.collection('invitations')
      .find(
        { $or: [{ history: { $elemMatch: { at: range } } }, { createdAt: range }] },
        {
          projection: {
            source: 1,
            status: 1,
            createdAt: 1,
            'history.action': 1,
            'history.at': 1,
          },
        },
      )
      .batchSize(BATCH);
    for await (const invitation of cursor) {
      yield {
        id: idOf(invitation._id),
        source: invitation.source as InvitationFactsSource['source'],
        status: invitation.status as string,
        createdAt: invitation.createdAt as Date,
        history: (invitation.history as InvitationFactsSource['history'] | undefined) ?? [],
      };
    }
  }

  /** Ledger entries posted in [start, end); `start` null: every one posted before `end`. */
  async *entriesPostedBetween(start: Date | null, end: Date): AsyncGenerator<PostedEntry> {
    const cursor = this.collection('ledger_entries')
      .find(
        {
          state: LedgerEntryState.Posted,
          settledAt: start ? { $gte: start, $lt: end } : { $lt: end },
        },
        { projection: { kind: 1, postings: 1, settledAt: 1, 'links.withdrawal': 1 } },
      )
      .batchSize(BATCH);
    for await (const entry of cursor) {
      const links = entry.links as { withdrawal?: unknown } | undefined;
      yield {
        id: idOf(entry._id),
        kind: entry.kind as PostedEntry['kind'],
        postings: entry.postings as PostedEntry['postings'],
        settledAt: entry.settledAt as Date,
        withdrawal: links?.withdrawal ? idOf(links.withdrawal) : null,
      };
    }
  }

  /** The `expectedBy` of these withdrawals, by id (one read). */
  async deadlinesOf(withdrawalIds: string[]): Promise<Map<string, Date>> {
    if (withdrawalIds.length === 0) {
      return new Map();
    }
    const found = await this.collection('withdrawals')
      .find(
        {
          _id: { $in: withdrawalIds.map((id) => new Types.ObjectId(id)) },
        } as mongo.Filter<mongo.Document>,
        { projection: { expectedBy: 1 } },
      )
      .toArray();
    return new Map(
      found.map((withdrawal) => [idOf(withdrawal._id), withdrawal.expectedBy as Date]),
    );
  }
}
