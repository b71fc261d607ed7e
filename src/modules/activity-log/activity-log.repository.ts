import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { duplicateKeyField, isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import { olderThan, type TimelineRead, timelineSort } from '../../common/database/timeline.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import { GENESIS_HASH } from './activity-chain.js';
import { ActivityEntry, type ActivityEntryEntity } from './schemas/activity-entry.schema.js';
import { ActivityLogHead, HEAD_ID } from './schemas/activity-log-head.schema.js';

/** The end of the chain as the head document records it. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The admin list's filters (`GET /admin/activity-log`). */
export interface ActivitySearch {
  /** A user's id, or null for what the system did. */
  actorId?: string | null;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** What an insert of the next entry met. */
export type AppendOutcome = 'inserted' | 'recorded_before' | 'seq_taken';

/** Entries read at a time when the chain is checked. */
const VERIFY_BATCH = 1_000;

/**
 * The activity log's entries and the head of their hash chain. Entries are only ever inserted;
 * the head moves by writes guarded by the `seq` they expect.
 */
@Injectable()
export class ActivityLogRepository extends BaseRepository<ActivityEntry, ActivityEntryEntity> {
  constructor(
    @InjectModel(ActivityEntry.name) model: Model<ActivityEntry>,
    @InjectModel(ActivityLogHead.name) private readonly heads: Model<ActivityLogHead>,
  ) {
    super(model);
  }

  /** Also the head's collection, before the first append. */
  override async onModuleInit(): Promise<void> {
    await Promise.all([super.onModuleInit(), this.heads.init()]);
  }

  /** The head, read from the database every time; the genesis when there is none yet. */
  async readHead(): Promise<ChainHead> {
    const head = await this.heads.findOne({ _id: HEAD_ID }).lean().exec();
    return head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Moves the head from `fromSeq` to the entry `to`; false when it is no longer at `fromSeq`
   * (another append moved it: nothing to do). From 0 the head is created if missing.
   */
  async advanceHead(fromSeq: number, to: ChainHead): Promise<boolean> {
    try {
      const result = await this.heads
        .updateOne(
          { _id: HEAD_ID, seq: fromSeq },
          { $set: { seq: to.seq, hash: to.hash } },
          { upsert: fromSeq === 0 },
        )
        .exec();
      return result.modifiedCount + result.upsertedCount === 1;
    } catch (error) {
      // the upsert from 0 lost to a head that exists with another seq
      if (isDuplicateKeyError(error)) {
        return false;
      }
      throw error;
    }
  }

  /**
   * Inserts a sealed entry: `recorded_before` when its key is taken (the action was recorded:
   * a replay), `seq_taken` when its place is (another append, or one a crash left without
   * moving the head).
   */
  async insert(entry: ActivityEntryEntity): Promise<AppendOutcome> {
    const { id, ...fields } = entry;
    try {
      await this.model.create({ _id: id, ...fields });
      return 'inserted';
    } catch (error) {
      switch (duplicateKeyField(error)) {
        case 'key':
          return 'recorded_before';
        case 'seq':
          return 'seq_taken';
        default:
          throw error;
      }
    }
  }

  /** The entry at `seq`, by the unique index. */
  async findBySeq(seq: number): Promise<ActivityEntryEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ seq }).lean().exec());
  }

  /** Newest first, by page or after a cursor. */
  list(
    search: ActivitySearch,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<ActivityEntryEntity>> {
    return this.findCursorPage(filterOf(search), { createdAt: -1, _id: -1 }, page);
  }

  /**
   * Every entry in chain order, a batch at a time (one query; the driver fetches the next
   * batch as the caller consumes): the chain is checked without holding it in memory.
   */
  async *streamInChainOrder(): AsyncGenerator<ActivityEntryEntity> {
    const cursor = this.model.find().sort({ seq: 1 }).lean().cursor({ batchSize: VERIFY_BATCH });
    try {
      for await (const document of cursor) {
        yield this.toEntity(document);
      }
    } finally {
      await cursor.close();
    }
  }

  /**
   * The entries done by the user (`actor.id`) or to him (`target.id`), newest first, after
   * `read.before`: a page of his history for staff.
   */
  async findForHistory(
    side: 'actor.id' | 'target.id',
    read: TimelineRead,
  ): Promise<ActivityEntryEntity[]> {
    const found = await this.model
      .find({ [side]: read.userId, ...olderThan(read.before) } as QueryFilter<ActivityEntry>)
      .sort(timelineSort())
      .limit(read.limit)
      .lean()
      .exec();
    return found.map((document) => this.toEntity(document));
  }
}

function filterOf(search: ActivitySearch): QueryFilter<ActivityEntry> {
  const filter: QueryFilter<ActivityEntry> = {};
  if (search.actorId !== undefined) {
    filter['actor.id'] = search.actorId;
  }
  if (search.action) {
    filter.action = search.action;
  }
  if (search.targetType) {
    filter['target.type'] = search.targetType;
  }
  if (search.targetId) {
    filter['target.id'] = search.targetId;
  }
  if (search.from || search.to) {
    filter.createdAt = {
      ...(search.from ? { $gte: search.from } : {}),
      ...(search.to ? { $lt: search.to } : {}),
    };
  }
  return filter;
}
