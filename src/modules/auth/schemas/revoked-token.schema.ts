import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

/** A logged-out access token, kept until it would have expired anyway. */
@Schema({ collection: 'revoked_tokens', timestamps: { createdAt: true, updatedAt: false } })
export class RevokedToken {
  @Prop({ required: true, unique: true })
  jti!: string;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  user!: Types.ObjectId;

  /** The token's own expiry: after it the row is useless and the cron purges it. */
  @Prop({ required: true, index: true })
  expiresAt!: Date;
}

export const RevokedTokenSchema = SchemaFactory.createForClass(RevokedToken);
