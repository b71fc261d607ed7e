import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

/**
 * A single-use link proving that the user reads mail at `email`; only the SHA-256 of its token
 * is stored.
 */
@Schema({
  collection: 'email_verification_tokens',
  timestamps: { createdAt: true, updatedAt: false },
})
export class EmailVerificationToken {
  @Prop({ required: true, unique: true })
  tokenHash!: string;

  @Prop({ type: SchemaTypes.ObjectId, required: true, index: true })
  user!: Types.ObjectId;

  /** The address the link was sent to: it verifies that one only. */
  @Prop({ required: true })
  email!: string;

  @Prop({ required: true, index: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  usedAt!: Date | null;
}

export const EmailVerificationTokenSchema = SchemaFactory.createForClass(EmailVerificationToken);
