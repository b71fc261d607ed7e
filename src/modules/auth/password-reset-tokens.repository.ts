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
  async replaceForUser(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.model.deleteMany({ user: userId, usedAt: null }).exec();
    await this.model.create({ tokenHash, user: userId, expiresAt });
  }

  /** Marks the token used, once, if it is unused and unexpired; returns its user's id. */
  async consume(tokenHash: string, now: Date): Promise<string | null> {
    const claimed = await this.model
      .findOneAndUpdate(
        { tokenHash, usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { returnDocument: 'after' },
      )
      .lean()
      .exec();
    return claimed ? claimed.user.toHexString() : null;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
