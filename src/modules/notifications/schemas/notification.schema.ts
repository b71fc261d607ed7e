import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/** One in-app notification for one user: what happened, and where in the app to look. */
@Schema({ collection: 'notifications', timestamps: { createdAt: true, updatedAt: false } })
export class Notification {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  recipient!: Types.ObjectId;

  /** The event's name: `invitation.created`, `quote.submitted`, ... */
  @Prop({ required: true })
  type!: string;

  @Prop({ required: true })
  title!: string;

  @Prop({ required: true })
  message!: string;

  /** Ids of what it is about, and `deepLink`, the app path to open. */
  @Prop({ type: SchemaTypes.Mixed, default: {} })
  data!: Record<string, unknown>;

  @Prop({ default: false })
  read!: boolean;

  @Prop({ type: Date, default: null })
  readAt!: Date | null;

  /** Unique: an event announced twice (a sweep finished after a crash) notifies once. */
  @Prop({ required: true, unique: true })
  dedupeKey!: string;
}

export type NotificationDocument = HydratedDocument<Notification>;
export const NotificationSchema = SchemaFactory.createForClass(Notification);
// the list (all, or unread) newest first, ending with the tie-break `_id`: a cursor page is one
// index range
NotificationSchema.index({ recipient: 1, createdAt: -1, _id: -1 });
NotificationSchema.index({ recipient: 1, read: 1, createdAt: -1, _id: -1 });

export interface NotificationEntity {
  id: string;
  recipient: string;
  type: string;
  title: string;
  message: string;
  data: Record<string, unknown>;
  read: boolean;
  readAt: Date | null;
  dedupeKey: string;
  createdAt: Date;
}
