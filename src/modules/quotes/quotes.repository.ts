import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { olderThan, type TimelineRead, timelineSort } from '../../common/database/timeline.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import { Quote, type QuoteEntity, QuoteStatus } from './schemas/quote.schema.js';

export interface NewQuote {
  job: string;
  craftsman: string;
  client: string;
  price: number;
  notes?: string;
  estimatedDays?: number;
  jobEdition: number;
}

@Injectable()
export class QuotesRepository extends BaseRepository<Quote, QuoteEntity> {
  constructor(@InjectModel(Quote.name) model: Model<Quote>) {
    super(model);
  }

  /** The craftsman's quotes, newest first, after `read.before` (his history for staff). */
  async findForHistory(read: TimelineRead): Promise<QuoteEntity[]> {
    const found = await this.model
      .find({ craftsman: read.userId, ...olderThan(read.before) } as QueryFilter<Quote>)
      .sort(timelineSort())
      .limit(read.limit)
      .lean()
      .exec();
    return found.map((document) => this.toEntity(document));
  }

  /** Throws E11000 when this craftsman already quoted this job. */
  async create(input: NewQuote): Promise<QuoteEntity> {
    const created = await this.model.create(input);
    return this.remembered(this.toEntity(created.toObject()));
  }

  /** Quotes stored before editions existed were made for edition 0 and never confirmed. */
  protected override toEntity(document: unknown): QuoteEntity {
    const quote = super.toEntity(document);
    return { ...quote, jobEdition: quote.jobEdition ?? 0, confirmedAt: quote.confirmedAt ?? null };
  }

  async existsFor(jobId: string, craftsmanId: string): Promise<boolean> {
    return (await this.model.exists({ job: jobId, craftsman: craftsmanId }).exec()) !== null;
  }

  async craftsmenWhoQuoted(jobId: string): Promise<string[]> {
    const found = await this.model.find({ job: jobId }, { craftsman: 1 }).lean().exec();
    return found.map((quote) => quote.craftsman.toHexString());
  }

  async craftsmenWithPendingQuotes(jobId: string): Promise<string[]> {
    const found = await this.model
      .find({ job: jobId, status: QuoteStatus.Pending }, { craftsman: 1 })
      .lean()
      .exec();
    return found.map((quote) => quote.craftsman.toHexString());
  }

  listForJob(jobId: string, page: PageRequest): Promise<Paginated<QuoteEntity>> {
    // one job's quotes: few, and the job is read already
    return this.findPage({ job: jobId }, { createdAt: -1, _id: -1 }, page, undefined, {
      countWithPage: true,
    });
  }

  /** Every quote of the craftsman, newest first (his data export). */
  async findAllOfCraftsman(craftsmanId: string): Promise<QuoteEntity[]> {
    const found = await this.model
      .find({ craftsman: craftsmanId })
      .sort({ createdAt: -1 })
      .lean()
      .exec();
    return found.map((quote) => this.toEntity(quote));
  }

  listForCraftsman(craftsmanId: string, page: PageRequest): Promise<Paginated<QuoteEntity>> {
    // the page's jobs come with it: the answer embeds their summaries
    return this.findPage({ craftsman: craftsmanId }, { createdAt: -1, _id: -1 }, page, undefined, {
      embed: { from: 'jobs', localField: 'job' },
    });
  }

  /** pending → accepted; also true when it already is accepted (a re-run of the same accept). */
  async markAccepted(id: string, at: Date): Promise<boolean> {
    // the quote as the write left it, for the rest of the request (the same one command)
    const accepted = this.remembered(
      this.toEntityOrNull(
        await this.model
          .findOneAndUpdate(
            { _id: id, status: { $in: [QuoteStatus.Pending, QuoteStatus.Accepted] } },
            { $set: { status: QuoteStatus.Accepted, decidedAt: at } },
            { returnDocument: 'after' },
          )
          .lean()
          .exec(),
      ),
    );
    return accepted !== null;
  }

  /** accepted → pending: a hire whose confirmation failed gives the quote back. */
  async reopen(id: string): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, status: QuoteStatus.Accepted },
        { $set: { status: QuoteStatus.Pending }, $unset: { decidedAt: 1 } },
      )
      .exec();
  }

  /**
   * Its craftsman confirms a pending quote for the job's current edition, optionally at a new
   * price. `null` when it is not pending any more (or not his).
   */
  async confirm(
    id: string,
    craftsmanId: string,
    confirmation: { jobEdition: number; at: Date; price?: number },
  ): Promise<QuoteEntity | null> {
    const set: Record<string, unknown> = {
      jobEdition: confirmation.jobEdition,
      confirmedAt: confirmation.at,
    };
    if (confirmation.price !== undefined) {
      set.price = confirmation.price;
    }
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, craftsman: craftsmanId, status: QuoteStatus.Pending },
        { $set: set },
        { returnDocument: 'after', runValidators: true },
      )
      .lean()
      .exec();
    return this.remembered(this.toEntityOrNull(updated));
  }

  /** Withdraws every pending quote of the craftsman; answers exactly those this call withdrew. */
  withdrawPendingOf(craftsmanId: string, at: Date): Promise<QuoteEntity[]> {
    return this.decidePending({ craftsman: craftsmanId }, QuoteStatus.Withdrawn, at);
  }

  /** Declines the job's pending quotes but one; answers those it declined. */
  declinePending(jobId: string, at: Date, exceptId?: string): Promise<QuoteEntity[]> {
    return this.decidePending(
      { job: jobId, ...(exceptId ? { _id: { $ne: exceptId } } : {}) },
      QuoteStatus.Declined,
      at,
    );
  }

  /** pending → `to` for the quotes `filter` finds; answers exactly those this call moved. */
  private async decidePending(
    filter: QueryFilter<Quote>,
    to: QuoteStatus.Declined | QuoteStatus.Withdrawn,
    at: Date,
  ): Promise<QuoteEntity[]> {
    const pending = await this.model
      .find({ ...filter, status: QuoteStatus.Pending })
      .lean()
      .exec();
    if (pending.length === 0) {
      return [];
    }
    const ids = pending.map((quote) => quote._id);
    // only those still pending now: a concurrent decision must not be announced twice
    await this.model
      .updateMany(
        { _id: { $in: ids }, status: QuoteStatus.Pending },
        { $set: { status: to, decidedAt: at } },
      )
      .exec();
    const decided = await this.model
      .find({ _id: { $in: ids }, status: to, decidedAt: at })
      .lean()
      .exec();
    return decided.map((quote) => this.toEntity(quote));
  }

  async delete(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
