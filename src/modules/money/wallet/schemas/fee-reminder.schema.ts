import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/**
 * A reminder to pay a cash job's fee, due FEE_REMINDER_FIRST and FEE_REMINDER_SECOND after it
 * was posted; sent only if he still owes fees then (a scheduled claim, safe with many instances).
 */
@Schema({ collection: 'fee_reminders', timestamps: { createdAt: true, updatedAt: false } })
export class FeeReminder {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  craftsman!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  job!: Types.ObjectId;

  /** 1 or 2. */
  @Prop({ required: true })
  step!: number;

  @Prop({ required: true })
  dueAt!: Date;

  @Prop({ default: false })
  done!: boolean;

  /** Until when one instance is sending it. */
  @Prop({ type: Date, default: () => new Date(0) })
  claimedUntil!: Date;
}

export type FeeReminderDocument = HydratedDocument<FeeReminder>;
export const FeeReminderSchema = SchemaFactory.createForClass(FeeReminder);
// one reminder per job and step, however often the fee's posting is replayed
FeeReminderSchema.index({ job: 1, step: 1 }, { unique: true });
// the sweep: due and not done
FeeReminderSchema.index({ done: 1, dueAt: 1 });

export interface FeeReminderEntity {
  id: string;
  craftsman: string;
  job: string;
  step: number;
  dueAt: Date;
  done: boolean;
  claimedUntil: Date;
}
