import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

export enum DeliveryChannel {
  Push = 'push',
  Email = 'email',
}

export enum DeliveryStatus {
  Pending = 'pending',
  /** Claimed by an instance until `leaseUntil`; after that any instance may take it again. */
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
}

/**
 * One notification on one external channel, sent by the dispatcher with retries. Email bodies
 * (which may carry single-use links) are dropped once sent.
 */
@Schema({ collection: 'deliveries', timestamps: true })
export class Delivery {
  /** Null for an email to someone with no account (an invitation to an email address). */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  notification!: Types.ObjectId | null;

  @Prop({ type: SchemaTypes.ObjectId, default: null })
  recipient!: Types.ObjectId | null;

  @Prop({ required: true, enum: DeliveryChannel })
  channel!: DeliveryChannel;

  @Prop({ required: true, enum: DeliveryStatus, default: DeliveryStatus.Pending })
  status!: DeliveryStatus;

  @Prop({ default: 0 })
  attempts!: number;

  @Prop({ required: true })
  nextAttemptAt!: Date;

  @Prop({ type: Date, default: null })
  leaseUntil!: Date | null;

  @Prop({ type: String, default: null })
  leaseOwner!: string | null;

  @Prop({ type: String, default: null })
  lastError!: string | null;

  @Prop({ type: Date, default: null })
  sentAt!: Date | null;

  /** Email: {to, subject, text, html}; push: {title, body, data}. */
  @Prop({ type: SchemaTypes.Mixed, required: true })
  payload!: Record<string, unknown>;
}

export type DeliveryDocument = HydratedDocument<Delivery>;
export const DeliverySchema = SchemaFactory.createForClass(Delivery);
DeliverySchema.index({ status: 1, nextAttemptAt: 1 });
DeliverySchema.index({ notification: 1 });
// a person's deliveries (his account's deletion drops those not sent)
DeliverySchema.index({ recipient: 1 });

export interface EmailPayload {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface PushPayload {
  title: string;
  body: string;
  data: Record<string, string>;
}

export interface DeliveryEntity {
  id: string;
  notification: string | null;
  recipient: string | null;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  leaseOwner: string | null;
  lastError: string | null;
  sentAt: Date | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}
