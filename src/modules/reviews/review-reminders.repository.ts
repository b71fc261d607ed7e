import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { ReviewReminder, type ReviewReminderEntity } from './schemas/review-reminder.schema.js';

@Injectable()
export class ReviewRemindersRepository extends BaseRepository<
  ReviewReminder,
  ReviewReminderEntity
> {
  constructor(@InjectModel(ReviewReminder.name) model: Model<ReviewReminder>) {
    super(model);
  }

  /** The job's reminder, written once (the first completion's window keeps it). */
  async schedule(input: {
    job: string;
    client: string;
    craftsman: string;
    revealAt: Date;
    remindAt: Date;
  }): Promise<void> {
    await this.model
      .updateOne(
        { job: input.job },
        { $setOnInsert: { ...input, remindedAt: null } },
        { upsert: true },
      )
      .exec()
      .catch((error: unknown) => {
        // two completions at once: the other wrote it
        if ((error as { code?: number }).code !== 11000) {
          throw error;
        }
      });
  }

  async findDue(now: Date, limit: number): Promise<ReviewReminderEntity[]> {
    const found = await this.model
      .find({ remindedAt: null, remindAt: { $lte: now } })
      .sort({ remindedAt: 1, remindAt: 1 })
      .limit(limit)
      .lean()
      .exec();
    return found.map((reminder) => this.toEntity(reminder));
  }

  /** Claims it: true for exactly one caller, however many sweeps run. */
  async claim(id: string, at: Date): Promise<boolean> {
    const claimed = await this.model
      .updateOne({ _id: id, remindedAt: null }, { $set: { remindedAt: at } })
      .exec();
    return claimed.modifiedCount === 1;
  }
}
