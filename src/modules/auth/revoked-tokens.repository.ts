import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { RevokedToken } from './schemas/revoked-token.schema.js';

@Injectable()
export class RevokedTokensRepository extends BaseRepository<RevokedToken, RevokedToken> {
  constructor(@InjectModel(RevokedToken.name) model: Model<RevokedToken>) {
    super(model);
  }

  /** Idempotent: logging out twice with one token is one revocation. */
  async revoke(jti: string, userId: string, expiresAt: Date): Promise<void> {
    await this.model
      .updateOne({ jti }, { $setOnInsert: { jti, user: userId, expiresAt } }, { upsert: true })
      .exec();
  }

  async isRevoked(jti: string): Promise<boolean> {
    return (await this.model.exists({ jti }).exec()) !== null;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
