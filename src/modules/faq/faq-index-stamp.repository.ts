import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { FaqIndexStamp } from './schemas/faq-index-stamp.schema.js';

/** The one stamp document's id. */
const STAMP_ID = 'faq';

/** `faq_index_stamps`: the mark of the FAQ's current version (see FaqIndexStamp). */
@Injectable()
export class FaqIndexStampRepository {
  constructor(@InjectModel(FaqIndexStamp.name) private readonly model: Model<FaqIndexStamp>) {}

  /** The stamp stored now; null before the first change. One read by `_id`. */
  async current(): Promise<string | null> {
    const found = await this.model.findById(STAMP_ID, { stamp: 1 }).lean().exec();
    return found?.stamp ?? null;
  }

  /** Marks a change to the entries (after writing it): a new random stamp, returned. */
  async renew(): Promise<string> {
    const stamp = randomUUID();
    await this.model.updateOne({ _id: STAMP_ID }, { $set: { stamp } }, { upsert: true }).exec();
    return stamp;
  }
}
