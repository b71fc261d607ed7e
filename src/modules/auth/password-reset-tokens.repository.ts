import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { PasswordResetToken } from './schemas/password-reset-token.schema.js';

@Injectable()
export class PasswordResetTokensRepository extends BaseRepository<
  PasswordResetToken,
  PasswordResetToken
> {
  constructor(@InjectModel(PasswordResetToken.name) model: Model<PasswordResetToken>) {
    super(model);
  }

  /** The user's earlier unused links stop working: only the newest one does. */
  async replaceForUser(link: {
    userId: string;
    tokenHash: string;
    issuedAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.model.deleteMany({ user: link.userId, usedAt: null }).exec();
    await this.model.create({
      tokenHash: link.tokenHash,
      user: link.userId,
      issuedAt: link.issuedAt,
      expiresAt: link.expiresAt,
    });
  }

  /**
   * Marks the token used, once, if it is unused and unexpired; returns its user's id and when it
   * was issued (whether it predates a revocation is the caller's check).
   */
  async consume(tokenHash: string, now: Date): Promise<{ userId: string; issuedAt: Date } | null> {
    const claimed = await this.model
      .findOneAndUpdate(
        { tokenHash, usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { returnDocument: 'after' },
      )
      .lean<PasswordResetToken & { createdAt?: Date }>()
      .exec();
    if (!claimed) {
      return null;
    }
    // links stored before `issuedAt` existed have only their creation time
    const issuedAt = claimed.issuedAt ?? claimed.createdAt ?? new Date(0);
    return { userId: claimed.user.toHexString(), issuedAt };
  }

  /** Deletes the user's reset links (his account is being deleted). */
  async deleteAllOf(userId: string): Promise<number> {
    const result = await this.model.deleteMany({ user: userId }).exec();
    return result.deletedCount;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
