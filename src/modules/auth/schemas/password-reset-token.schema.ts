import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

/**
 * A single-use password reset link; only the SHA-256 of its token is stored. It stops working
 * when the user's tokens are revoked after `issuedAt` (a password change, a reset, a ban).
 */
@Schema({ collection: 'password_reset_tokens', timestamps: { createdAt: true, updatedAt: false } })
export class PasswordResetToken {
  @Prop({ required: true, unique: true })
  tokenHash!: string;

  @Prop({ type: SchemaTypes.ObjectId, required: true, index: true })
  user!: Types.ObjectId;

  /** On the app's clock, as the user's `tokensValidAfter` is. */
  @Prop({ required: true })
  issuedAt!: Date;

  @Prop({ required: true, index: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  usedAt!: Date | null;
}

export const PasswordResetTokenSchema = SchemaFactory.createForClass(PasswordResetToken);
