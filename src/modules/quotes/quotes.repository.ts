import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import { Quote, type QuoteEntity, QuoteStatus } from './schemas/quote.schema.js';

export interface NewQuote {
  job: string;
  craftsman: string;
  client: string;
  price: number;
  notes?: string;
  estimatedDays?: number;
}

@Injectable()
export class QuotesRepository extends BaseRepository<Quote, QuoteEntity> {
  constructor(@InjectModel(Quote.name) model: Model<Quote>) {
    super(model);
  }

  /** Throws E11000 when this craftsman already quoted this job. */
  async create(input: NewQuote): Promise<QuoteEntity> {
    const created = await this.model.create(input);
    return this.toEntity(created.toObject());
  }

  async findById(id: string): Promise<QuoteEntity | null> {
    return this.toEntityOrNull(await this.model.findById(id).lean().exec());
  }

  async existsFor(jobId: string, craftsmanId: string): Promise<boolean> {
    return (await this.model.exists({ job: jobId, craftsman: craftsmanId }).exec()) !== null;
  }

  async craftsmenWhoQuoted(jobId: string): Promise<string[]> {
    const found = await this.model.find({ job: jobId }, { craftsman: 1 }).lean().exec();
    return found.map((quote) => quote.craftsman.toHexString());
  }

  listForJob(jobId: string, page: PageRequest): Promise<Paginated<QuoteEntity>> {
    return this.findPage({ job: jobId }, { createdAt: -1, _id: -1 }, page);
  }

  listForCraftsman(craftsmanId: string, page: PageRequest): Promise<Paginated<QuoteEntity>> {
    return this.findPage({ craftsman: craftsmanId }, { createdAt: -1, _id: -1 }, page);
  }

  /** pending → accepted; also true when it already is accepted (a re-run of the same accept). */
  async markAccepted(id: string, at: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, status: { $in: [QuoteStatus.Pending, QuoteStatus.Accepted] } },
        { $set: { status: QuoteStatus.Accepted, decidedAt: at } },
      )
      .exec();
    return result.matchedCount === 1;
  }

  /** Declines the job's pending quotes but one; answers those it declined. */
  async declinePending(jobId: string, at: Date, exceptId?: string): Promise<QuoteEntity[]> {
    const filter = {
      job: jobId,
      status: QuoteStatus.Pending,
      ...(exceptId ? { _id: { $ne: exceptId } } : {}),
    };
    const pending = await this.model.find(filter).lean().exec();
    if (pending.length === 0) {
      return [];
    }
    const ids = pending.map((quote) => quote._id);
    // only those still pending now: a concurrent decline must not be announced twice
    await this.model
      .updateMany(
        { _id: { $in: ids }, status: QuoteStatus.Pending },
        { $set: { status: QuoteStatus.Declined, decidedAt: at } },
      )
      .exec();
    const declined = await this.model
      .find({ _id: { $in: ids }, status: QuoteStatus.Declined, decidedAt: at })
      .lean()
      .exec();
    return declined.map((quote) => this.toEntity(quote));
  }

  async delete(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
