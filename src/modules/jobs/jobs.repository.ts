import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { olderThan, type TimelineRead, timelineSort } from '../../common/database/timeline.js';
import { prefixRegex } from '../../common/database/prefix-regex.js';
import type { BoundingBox, LatLng } from '../../common/geo/distance.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import { ACTIVE_STATUSES, JobStatus, OPEN_STATUSES, type PaymentType } from './job-status.js';
import { Job, type JobEntity, titleWordsOf } from './schemas/job.schema.js';

export interface NewJob {
  client: string;
  title: string;
  description: string;
  category: string;
  address?: string;
  location?: LatLng;
  photos?: string[];
  /** The uploads behind `photos`. */
  photoUploads?: string[];
  paymentType?: PaymentType;
  budget?: number;
}

export type JobChanges = Partial<Omit<NewJob, 'client'>>;

export interface JobSearch {
  statuses?: JobStatus[];
  category?: string;
  clientId?: string;
  craftsmanId?: string;
  /** Lower-cased words; each must start a word of the title. */
  titleWords?: string[];
  box?: BoundingBox;
}

export interface Hire {
  quoteId: string;
  craftsmanId: string;
  price: number;
  /** The job's edition the quote was made (or confirmed) for: a newer one refuses the hire. */
  edition: number;
  at: Date;
}

@Injectable()
export class JobsRepository extends BaseRepository<Job, JobEntity> {
  constructor(@InjectModel(Job.name) model: Model<Job>) {
    super(model);
  }

  /**
   * The user's jobs on one side (posted as client, or hired for as craftsman), newest first,
   * after `read.before`: a page of his history for staff (UserHistoryService).
   */
  async findForHistory(side: 'client' | 'craftsman', read: TimelineRead): Promise<JobEntity[]> {
    const found = await this.model
      .find({ [side]: read.userId, ...olderThan(read.before) } as QueryFilter<Job>)
      .sort(timelineSort())
      .limit(read.limit)
      .lean()
      .exec();
    return found.map((document) => this.toEntity(document));
  }

  async create(input: NewJob, at: Date): Promise<JobEntity> {
    const created = await this.model.create({
      ...input,
      status: JobStatus.Posted,
      titleWords: titleWordsOf(input.title),
      statusHistory: [{ to: JobStatus.Posted, by: input.client, at }],
    });
    return this.remembered(this.toEntity(created.toObject()));
  }

  /** Jobs stored before editions existed read as edition 0, never edited. */
  protected override toEntity(document: unknown): JobEntity {
    const job = super.toEntity(document);
    return {
      ...job,
      edition: job.edition ?? 0,
      materialEditAt: job.materialEditAt ?? null,
      payment: job.payment ?? null,
      completedAt: job.completedAt ?? null,
      completionRequestedAt: job.completionRequestedAt ?? null,
      autoCompleteAt: job.autoCompleteAt ?? null,
      autoCompleteReminders: job.autoCompleteReminders ?? 0,
    };
  }

  /**
   * Only while the job is open; `null` otherwise (or when it is not this client's). With
   * `materialEditAt`, the edit starts a new edition of the job in the same write.
   */
  async updateOpen(
    id: string,
    clientId: string,
    changes: JobChanges,
    materialEditAt?: Date,
  ): Promise<JobEntity | null> {
    const set: Record<string, unknown> = { ...changes };
    if (changes.title !== undefined) {
      set.titleWords = titleWordsOf(changes.title);
    }
    if (materialEditAt) {
      set.materialEditAt = materialEditAt;
    }
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, client: clientId, status: { $in: OPEN_STATUSES } },
        materialEditAt ? { $set: set, $inc: { edition: 1 } } : { $set: set },
        { returnDocument: 'after', runValidators: true },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** One atomic move, only from the status the caller saw: of two racing moves one wins. */
  async transition(
    id: string,
    move: { from: JobStatus; to: JobStatus; by: string | null; at: Date },
    extra: Record<string, unknown> = {},
    guard: Record<string, unknown> = {},
    inc?: Record<string, number>,
  ): Promise<JobEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        { ...guard, _id: id, status: move.from },
        {
          $set: {
            status: move.to,
            ...(move.to === JobStatus.Completed ? { completedAt: move.at } : {}),
            ...extra,
          },
          $push: { statusHistory: { from: move.from, to: move.to, by: move.by, at: move.at } },
          ...(inc ? { $inc: inc } : {}),
        },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  async findWithFeeDue(limit: number): Promise<JobEntity[]> {
    const found = await this.model.find({ feeDue: true }).limit(limit).lean().exec();
    return found.map((job) => this.toEntity(job));
  }

  async clearFeeDue(id: string): Promise<void> {
    await this.model.updateOne({ _id: id, feeDue: true }, { $unset: { feeDue: 1 } }).exec();
  }

  /**
   * Records the payment held for the job, once: true when the job's payment is (now) this one,
   * false when another payment was recorded first (this one is then refunded).
   */
  async recordPayment(id: string, paymentId: string): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: id, payment: null }, { $set: { payment: paymentId } })
      .exec();
    if (result.matchedCount === 1) {
      return true;
    }
    return (await this.model.exists({ _id: id, payment: paymentId }).exec()) !== null;
  }

  /**
   * The job's payment was given back (refunded at the gateway) while the job is still hired: the
   * job has no money held any more, so the craftsman may not set out (PAYMENT_REQUIRED) and the
   * client's next payment is recorded as the job's. No-op once the job moved on or has another.
   */
  async forgetPayment(id: string, paymentId: string): Promise<void> {
    this.remembered(
      this.toEntityOrNull(
        await this.model
          .findOneAndUpdate(
            { _id: id, payment: paymentId, status: JobStatus.Hired },
            { $set: { payment: null } },
            { returnDocument: 'after' },
          )
          .lean()
          .exec(),
      ),
    );
  }

  /**
   * Jobs with `flag` set (releaseDue, refundDue): work a crash left undone, at most `limit`. A
   * release is due only while the job is completed (a disputed one waits, and must not fill the
   * batch); a refund only of a cancelled one.
   */
  async findFlagged(flag: 'releaseDue' | 'refundDue', limit: number): Promise<JobEntity[]> {
    const status = flag === 'releaseDue' ? JobStatus.Completed : JobStatus.Cancelled;
    const found = await this.model
      .find({ [flag]: true, status })
      .limit(limit)
      .lean()
      .exec();
    return found.map((job) => this.toEntity(job));
  }

  async clearFlag(id: string, flag: 'releaseDue' | 'refundDue'): Promise<void> {
    await this.model.updateOne({ _id: id, [flag]: true }, { $unset: { [flag]: 1 } }).exec();
  }

  /**
   * The hired craftsman asks for completion of his job in progress: sets when it completes by
   * itself. `null` when the job is not in progress, not his, or already asked (nothing changes).
   */
  async requestCompletion(
    id: string,
    craftsmanId: string,
    at: Date,
    autoCompleteAt: Date,
  ): Promise<JobEntity | null> {
    const updated = await this.model
      .findOneAndUpdate(
        {
          _id: id,
          craftsman: craftsmanId,
          status: JobStatus.InProgress,
          completionRequestedAt: null,
        },
        { $set: { completionRequestedAt: at, autoCompleteAt, autoCompleteReminders: 0 } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** Jobs in progress whose `autoCompleteAt` has come, at most `limit`. */
  async findAutoCompleteDue(now: Date, limit: number): Promise<JobEntity[]> {
    const found = await this.model
      .find({ status: JobStatus.InProgress, autoCompleteAt: { $lte: now } })
      .limit(limit)
      .lean()
      .exec();
    return found.map((job) => this.toEntity(job));
  }

  /**
   * Claims one job whose reminder `step` (1: 2 days before, 2: 1 day before) is due: its
   * `autoCompleteAt` is within `withinMs` from `now` and fewer reminders were sent. Each
   * reminder is claimed by one instance, once.
   */
  async claimAutoCompleteReminder(
    now: Date,
    step: number,
    withinMs: number,
  ): Promise<JobEntity | null> {
    const claimed = await this.model
      .findOneAndUpdate(
        {
          status: JobStatus.InProgress,
          autoCompleteAt: { $gt: now, $lte: new Date(now.getTime() + withinMs) },
          autoCompleteReminders: { $lt: step },
        },
        { $set: { autoCompleteReminders: step } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(claimed));
  }

  /**
   * Open → hired with the accepted quote, in one conditional write: the moment a job is hired.
   * `null` when the job was no longer open.
   */
  async hire(id: string, hire: Hire): Promise<{ job: JobEntity; from: JobStatus } | null> {
    const extra = {
      craftsman: hire.craftsmanId,
      acceptedQuote: hire.quoteId,
      jobPrice: hire.price,
      hiredAt: hire.at,
    };
    // jobs stored before editions existed have none: edition 0
    const edition = hire.edition === 0 ? { $in: [0, null] } : hire.edition;
    for (const from of [JobStatus.Quoted, JobStatus.Posted]) {
      const job = await this.transition(
        id,
        { from, to: JobStatus.Hired, by: null, at: hire.at },
        extra,
        { edition },
      );
      if (job) {
        return { job, from };
      }
    }
    return null;
  }

  /**
   * Takes back a hire nobody was told of (its confirmation failed): the job is open again as it
   * was, its history without the hire.
   */
  async undoHire(id: string, quoteId: string, from: JobStatus): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, status: JobStatus.Hired, acceptedQuote: quoteId },
        {
          $set: { status: from, craftsman: null, acceptedQuote: null },
          $unset: { jobPrice: 1, hiredAt: 1 },
          $pop: { statusHistory: 1 },
        },
      )
      .exec();
  }

  /** The client's jobs that are still open. */
  async findOpenOfClient(clientId: string): Promise<JobEntity[]> {
    const found = await this.model
      .find({ client: clientId, status: { $in: OPEN_STATUSES } })
      .lean()
      .exec();
    return found.map((job) => this.toEntity(job));
  }

  /** Counts a quote while the job is open; false when it is not (hired or cancelled). */
  async countQuoteIfOpen(id: string): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: id, status: { $in: OPEN_STATUSES } }, { $inc: { quotesCount: 1 } })
      .exec();
    return result.matchedCount === 1;
  }

  /** Newest first; by cursor (`after`), jobs posted meanwhile come before it (no repeats). */
  search(search: JobSearch, page: CursorPageRequest): Promise<CursorPaginated<JobEntity>> {
    return this.findCursorPage(this.filterOf(search), { createdAt: -1, _id: -1 }, page);
  }

  async findPositions(search: JobSearch): Promise<Array<{ id: string; location: LatLng }>> {
    const found = await this.model.find(this.filterOf(search), { location: 1 }).lean().exec();
    return found.map((job) => ({ id: job._id.toHexString(), location: job.location! }));
  }

  /**
   * The user's jobs still under way (ACTIVE_STATUSES), as their client or their hired craftsman,
   * at most `limit` of each: two reads, each on its index's first field.
   */
  async findActiveOfParty(userId: string, limit: number): Promise<JobEntity[]> {
    const [asClient, asCraftsman] = await Promise.all(
      (['client', 'craftsman'] as const).map((side) =>
        this.model
          .find({ [side]: userId, status: { $in: ACTIVE_STATUSES } })
          .limit(limit)
          .lean()
          .exec(),
      ),
    );
    return [...asClient, ...asCraftsman].map((job) => this.toEntity(job));
  }

  /** Every job the user posted or was hired for, newest first (the data export). */
  findAllOfParty(userId: string): Promise<JobEntity[]> {
    return this.findAllOnEitherSide(['client', 'craftsman'], userId);
  }

  /**
   * Takes the client's address, position and photos off every job he posted (his account is
   * being deleted: the jobs stay, no longer saying where he lives). Answers how many changed.
   */
  async forgetPlacesOfClient(clientId: string): Promise<number> {
    const result = await this.model
      .updateMany(
        { client: clientId },
        { $unset: { address: 1, location: 1, photoUploads: 1 }, $set: { photos: [] } },
      )
      .exec();
    return result.modifiedCount;
  }

  private filterOf(search: JobSearch): QueryFilter<Job> {
    const filter: QueryFilter<Job> = {};
    if (search.statuses) {
      filter.status = { $in: search.statuses };
    }
    if (search.category) {
      filter.category = search.category;
    }
    if (search.clientId) {
      filter.client = search.clientId;
    }
    if (search.craftsmanId) {
      filter.craftsman = search.craftsmanId;
    }
    if (search.titleWords?.length) {
      filter.$and = search.titleWords.map((word) => ({ titleWords: prefixRegex(word) }));
    }
    if (search.box) {
      filter['location.lat'] = { $gte: search.box.minLat, $lte: search.box.maxLat };
      filter['location.lng'] = { $gte: search.box.minLng, $lte: search.box.maxLng };
    }
    return filter;
  }
}
