import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

export enum DevicePlatform {
  Android = 'android',
  Ios = 'ios',
  Web = 'web',
}

/** An FCM registration token of one of the user's devices. */
@Schema({ collection: 'device_tokens', timestamps: true })
export class DeviceToken {
  @Prop({ type: SchemaTypes.ObjectId, required: true, index: true })
  user!: Types.ObjectId;

  /** Unique: a device that changes hands belongs to its latest user. */
  @Prop({ required: true, unique: true })
  token!: string;

  @Prop({ required: true, enum: DevicePlatform })
  platform!: DevicePlatform;
}

export type DeviceTokenDocument = HydratedDocument<DeviceToken>;
export const DeviceTokenSchema = SchemaFactory.createForClass(DeviceToken);

export interface DeviceTokenEntity {
  id: string;
  user: string;
  token: string;
  platform: DevicePlatform;
  createdAt: Date;
}
