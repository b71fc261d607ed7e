import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

export interface ChannelPreferences {
  inApp: boolean;
  push: boolean;
  email: boolean;
}

/** A user's choices per event type; an event type not listed has every channel on. */
@Schema({ collection: 'notification_preferences', timestamps: true })
export class NotificationPreferences {
  @Prop({ type: SchemaTypes.ObjectId, required: true, unique: true })
  user!: Types.ObjectId;

  @Prop({ type: SchemaTypes.Mixed, default: {} })
  preferences!: Record<string, ChannelPreferences>;
}

export type NotificationPreferencesDocument = HydratedDocument<NotificationPreferences>;
export const NotificationPreferencesSchema = SchemaFactory.createForClass(NotificationPreferences);
