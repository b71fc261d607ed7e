import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/**
 * The reminder due REVIEW_REMINDER_BEFORE before a completed job's `revealAt`, to each side that
 * has not reviewed yet: written when the job completes, claimed once by the sweep.
 */
@Schema({ collection: 'review_reminders', timestamps: true })
export class ReviewReminder {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  job!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  client!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  craftsman!: Types.ObjectId;

  @Prop({ required: true })
  revealAt!: Date;

  @Prop({ required: true })
  remindAt!: Date;

  /** Set by the one sweep that claimed it; null until then. */
  @Prop({ type: Date, default: null })
  remindedAt!: Date | null;
}

export type ReviewReminderDocument = HydratedDocument<ReviewReminder>;
export const ReviewReminderSchema = SchemaFactory.createForClass(ReviewReminder);

// one per job (a job completed again after a dispute keeps its first)
ReviewReminderSchema.index({ job: 1 }, { unique: true });
// the sweep: reminders not sent yet, due first
ReviewReminderSchema.index({ remindedAt: 1, remindAt: 1 });

export interface ReviewReminderEntity {
  id: string;
  job: string;
  client: string;
  craftsman: string;
  revealAt: Date;
  remindAt: Date;
  remindedAt: Date | null;
}
