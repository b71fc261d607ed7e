import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

export interface ChannelPreferences {
  inApp: boolean;
  push: boolean;
  email: boolean;
}

/**
 * Where a user's choices per event type were kept before they moved onto the user document
 * (`notificationPreferences`); read only to move what is left (PreferencesRepository).
 */
@Schema({ collection: 'notification_preferences', timestamps: true })
export class NotificationPreferences {
  @Prop({ type: SchemaTypes.ObjectId, required: true, unique: true })
  user!: Types.ObjectId;

  @Prop({ type: SchemaTypes.Mixed, default: {} })
  preferences!: Record<string, ChannelPreferences>;
}

export type NotificationPreferencesDocument = HydratedDocument<NotificationPreferences>;
export const NotificationPreferencesSchema = SchemaFactory.createForClass(NotificationPreferences);
