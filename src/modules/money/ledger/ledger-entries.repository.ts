import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../../common/database/base.repository.js';
import { olderThan, type TimelineRead, timelineSort } from '../../../common/database/timeline.js';
import type { CursorPageRequest, CursorPaginated } from '../../../common/pagination/paginated.js';
import {
  type EntryLinks,
  LedgerEntry,
  type LedgerEntryEntity,
  type LedgerEntryKind,
  LedgerEntryState,
  type Posting,
  type WalletTransactionStatus,
  type WalletTransactionType,
} from './schemas/ledger-entry.schema.js';

export interface NewLedgerEntryRecord {
  idempotencyKey: string;
  kind: LedgerEntryKind;
  postings: Posting[];
  links?: EntryLinks;
  wallet?: LedgerEntryEntity['wallet'];
  requestHash?: string | null;
  reason?: string | null;
  actor?: string | null;
  leaseUntil: Date;
}

/** Filters of a craftsman's wallet transactions (`GET /wallet/transactions`). */
export interface WalletTransactionFilter {
  type?: WalletTransactionType;
  status?: WalletTransactionStatus;
}

const UNSETTLED = [LedgerEntryState.Pending, LedgerEntryState.Voiding];

@Injectable()
export class LedgerEntriesRepository extends BaseRepository<LedgerEntry, LedgerEntryEntity> {
  constructor(@InjectModel(LedgerEntry.name) model: Model<LedgerEntry>) {
    super(model);
  }

  /**
   * The posted entries of a craftsman's wallet, newest first, after `read.before` (his history
   * for staff).
   */
  async findForHistory(read: TimelineRead): Promise<LedgerEntryEntity[]> {
    const found = await this.model
      .find({
        'wallet.holder': read.userId,
        state: LedgerEntryState.Posted,
        ...olderThan(read.before),
      } as QueryFilter<LedgerEntry>)
      .sort(timelineSort())
      .limit(read.limit)
      .lean()
      .exec();
    return found.map((document) => this.toEntity(document));
  }

  /** Writes a pending entry. Throws E11000 when its idempotency key is taken (a replay). */
  async insert(input: NewLedgerEntryRecord): Promise<LedgerEntryEntity> {
    const created = await this.model.create({ ...input, state: LedgerEntryState.Pending });
    return this.toEntity(created.toObject());
  }

  async findByKey(idempotencyKey: string): Promise<LedgerEntryEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ idempotencyKey }).lean().exec());
  }

  /** The entry, read now (never from the request's memory: another instance may settle it). */
  async findFresh(id: string): Promise<LedgerEntryEntity | null> {
    return this.toEntityOrNull(await this.model.findById(id).lean().exec());
  }

  /**
   * Takes one entry a crash left pending or voiding (its lease ended before `now`), leased to the
   * caller until `leaseUntil` (that one entry when `id` is given). One winner among instances.
   */
  async claimAbandoned(
    now: Date,
    leaseUntil: Date,
    id?: string,
  ): Promise<LedgerEntryEntity | null> {
    return this.toEntityOrNull(
      await this.model
        .findOneAndUpdate(
          { ...(id ? { _id: id } : {}), state: { $in: UNSETTLED }, leaseUntil: { $lt: now } },
          { $set: { leaseUntil } },
          { returnDocument: 'after' },
        )
        .lean()
        .exec(),
    );
  }

  /** pending → posted; false when it was not pending (posted already, or being voided). */
  async markPosted(id: string, at: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, state: LedgerEntryState.Pending },
        { $set: { state: LedgerEntryState.Posted, settledAt: at } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** pending → voiding with the reason; true also when it was voiding already. */
  async beginVoid(id: string, reason: string): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, state: { $in: UNSETTLED } },
        { $set: { state: LedgerEntryState.Voiding, voidReason: reason } },
      )
      .exec();
    return result.matchedCount === 1;
  }

  /** voiding → voided. */
  async markVoided(id: string, at: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, state: LedgerEntryState.Voiding },
        { $set: { state: LedgerEntryState.Voided, settledAt: at } },
      )
      .exec();
  }

  /** Settled entries (before `before`) whose ids may still sit on their accounts. */
  async uncompacted(before: Date, limit: number): Promise<LedgerEntryEntity[]> {
    const found = await this.model
      .find({ compacted: false, settledAt: { $lt: before } }, { postings: 1 })
      .limit(limit)
      .lean()
      .exec();
    return found.map((entry) => this.toEntity(entry));
  }

  async markCompacted(ids: string[]): Promise<void> {
    await this.model
      .updateMany({ _id: { $in: ids } } as QueryFilter<LedgerEntry>, { $set: { compacted: true } })
      .exec();
  }

  /**
   * A craftsman's wallet transactions, newest first, by page or after a cursor: posted entries
   * only (one a guard refused, or still being applied, moved none of his money).
   */
  listForHolder(
    holderId: string,
    filter: WalletTransactionFilter,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<LedgerEntryEntity>> {
    return this.findCursorPage(
      {
        'wallet.holder': holderId,
        state: LedgerEntryState.Posted,
        ...(filter.type ? { 'wallet.type': filter.type } : {}),
        ...(filter.status ? { 'wallet.status': filter.status } : {}),
      },
      { createdAt: -1, _id: -1 },
      page,
    );
  }

  /** Every posted entry of a craftsman's wallet, newest first (his data export). */
  async findPostedForHolder(holderId: string): Promise<LedgerEntryEntity[]> {
    const found = await this.model
      .find({ 'wallet.holder': holderId, state: LedgerEntryState.Posted })
      .sort({ createdAt: -1, _id: -1 })
      .lean()
      .exec();
    return found.map((entry) => this.toEntity(entry));
  }

  /** The wallet view's status (and the gateway's reference) of the entry with this key. */
  async setWalletStatus(
    idempotencyKey: string,
    status: WalletTransactionStatus,
    gatewayTransactionId?: string,
  ): Promise<void> {
    await this.model
      .updateOne(
        { idempotencyKey, wallet: { $ne: null } },
        {
          $set: {
            'wallet.status': status,
            ...(gatewayTransactionId
              ? { 'wallet.gatewayTransactionId': gatewayTransactionId }
              : {}),
          },
        },
      )
      .exec();
  }

  // --- the invariants (GET /admin/ledger/check) ---

  /** Σ of the posted entries' postings per account, and how many posted entries don't sum to 0. */
  async postedTotals(): Promise<{ perAccount: Map<string, number>; unbalanced: string[] }> {
    const [perAccount, unbalanced] = await Promise.all([
      this.model
        .aggregate<{ _id: string; total: number }>([
          { $match: { state: LedgerEntryState.Posted } },
          { $unwind: '$postings' },
          { $group: { _id: '$postings.account', total: { $sum: '$postings.amount' } } },
        ])
        .exec(),
      this.model
        .aggregate<{ _id: unknown; total: number }>([
          { $match: { state: LedgerEntryState.Posted } },
          { $unwind: '$postings' },
          { $group: { _id: '$_id', total: { $sum: '$postings.amount' } } },
          { $match: { total: { $ne: 0 } } },
        ])
        .exec(),
    ]);
    return {
      perAccount: new Map(perAccount.map((row) => [row._id, row.total])),
      unbalanced: unbalanced.map((row) => String(row._id)),
    };
  }

  /** Entries not settled yet: what of them is applied counts in their accounts' balances. */
  async unsettled(): Promise<LedgerEntryEntity[]> {
    const found = await this.model
      .find({ state: { $in: UNSETTLED } })
      .lean()
      .exec();
    return found.map((entry) => this.toEntity(entry));
  }

  count(): Promise<number> {
    return this.model.estimatedDocumentCount().exec();
  }
}
