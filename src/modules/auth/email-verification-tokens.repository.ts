import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { EmailVerificationToken } from './schemas/email-verification-token.schema.js';

@Injectable()
export class EmailVerificationTokensRepository extends BaseRepository<
  EmailVerificationToken,
  EmailVerificationToken
> {
  constructor(@InjectModel(EmailVerificationToken.name) model: Model<EmailVerificationToken>) {
    super(model);
  }

  /** The user's earlier unused links stop working: only the newest one does. */
  async replaceForUser(input: {
    userId: string;
    email: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.model.deleteMany({ user: input.userId, usedAt: null }).exec();
    await this.model.create({
      tokenHash: input.tokenHash,
      user: input.userId,
      email: input.email,
      expiresAt: input.expiresAt,
    });
  }

  /** Marks the token used, once, if it is unused and unexpired; returns whom and what it proves. */
  async consume(tokenHash: string, now: Date): Promise<{ userId: string; email: string } | null> {
    const claimed = await this.model
      .findOneAndUpdate(
        { tokenHash, usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return claimed ? { userId: claimed.user.toHexString(), email: claimed.email } : null;
  }

  /** Deletes the user's verification links, and the address each was for. */
  async deleteAllOf(userId: string): Promise<number> {
    const result = await this.model.deleteMany({ user: userId }).exec();
    return result.deletedCount;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
