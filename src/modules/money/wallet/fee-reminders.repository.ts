import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../../common/database/base.repository.js';
import { FeeReminder, type FeeReminderEntity } from './schemas/fee-reminder.schema.js';

@Injectable()
export class FeeRemindersRepository extends BaseRepository<FeeReminder, FeeReminderEntity> {
  constructor(@InjectModel(FeeReminder.name) model: Model<FeeReminder>) {
    super(model);
  }

  /** The job's reminders; those that exist already (a replay) are left as they are. */
  async schedule(craftsmanId: string, jobId: string, dueAts: Date[]): Promise<void> {
    await this.model.bulkWrite(
      dueAts.map((dueAt, index) => ({
        updateOne: {
          filter: { job: jobId, step: index + 1 },
          update: { $setOnInsert: { craftsman: craftsmanId, dueAt, done: false } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** Takes one due reminder until `claimedUntil`; one winner among instances. */
  async claimDue(now: Date, claimedUntil: Date): Promise<FeeReminderEntity | null> {
    return this.toEntityOrNull(
      await this.model
        .findOneAndUpdate(
          { done: false, dueAt: { $lte: now }, claimedUntil: { $lt: now } },
          { $set: { claimedUntil } },
          { returnDocument: 'after' },
        )
        .lean()
        .exec(),
    );
  }

  async markDone(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { done: true } }).exec();
  }
}
