import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';

/** One conversation per client–craftsman pair, whatever the number of jobs between them. */
@Schema({ collection: 'conversations', timestamps: true })
export class Conversation {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  client!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  craftsman!: Types.ObjectId;

  /** `<clientId>:<craftsmanId>`: unique, so that two racing "create or reuse" make one. */
  @Prop({ required: true, unique: true })
  pairKey!: string;

  /** Updated by every message: lists show the liveliest first. */
  @Prop({ required: true })
  lastActivityAt!: Date;

  @Prop({ default: '' })
  lastMessagePreview!: string;
}

export type ConversationDocument = HydratedDocument<Conversation>;
export const ConversationSchema = SchemaFactory.createForClass(Conversation);
// a client's (a craftsman's) conversations by last activity, ending with the tie-break `_id`, so
// that a cursor page (`?after=`) is one index range
ConversationSchema.index({ client: 1, lastActivityAt: -1, _id: -1 });
ConversationSchema.index({ craftsman: 1, lastActivityAt: -1, _id: -1 });

export interface ConversationEntity {
  id: string;
  client: string;
  craftsman: string;
  pairKey: string;
  lastActivityAt: Date;
  lastMessagePreview: string;
  createdAt: Date;
  updatedAt: Date;
}
