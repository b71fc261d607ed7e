import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, SchemaTypes, type Types } from 'mongoose';
import { TEXT_LIMITS, textLengthValidator } from '../../../common/validation/text-length.js';

@Schema({ collection: 'messages', timestamps: { createdAt: true, updatedAt: false } })
export class Message {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  conversation!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  sender!: Types.ObjectId;

  @Prop({ required: true, validate: textLengthValidator(TEXT_LIMITS.messageText) })
  text!: string;
}

export type MessageDocument = HydratedDocument<Message>;
export const MessageSchema = SchemaFactory.createForClass(Message);
// a conversation's messages newest first, ending with the tie-break `_id`: a cursor page is one range
MessageSchema.index({ conversation: 1, createdAt: -1, _id: -1 });

export interface MessageEntity {
  id: string;
  conversation: string;
  sender: string;
  text: string;
  createdAt: Date;
}
