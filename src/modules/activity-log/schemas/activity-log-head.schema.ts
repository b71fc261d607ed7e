import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** The one head document's `_id`. */
export const HEAD_ID = 'head';

/**
 * Where the activity log's chain ends: the last entry's `seq` and `hash`. An append reads it,
 * inserts the next entry and moves it with a write guarded by the `seq` it read, so appends
 * need no transaction (ActivityLogService.append). It may lag one entry behind after a crash;
 * the next append moves it first.
 */
@Schema({ collection: 'activity_log_head', versionKey: false })
export class ActivityLogHead {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  seq!: number;

  @Prop({ required: true })
  hash!: string;
}

export const ActivityLogHeadSchema = SchemaFactory.createForClass(ActivityLogHead);
