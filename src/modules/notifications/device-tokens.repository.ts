import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import {
  DeviceToken,
  type DeviceTokenEntity,
  type DevicePlatform,
} from './schemas/device-token.schema.js';

@Injectable()
export class DeviceTokensRepository extends BaseRepository<DeviceToken, DeviceTokenEntity> {
  constructor(@InjectModel(DeviceToken.name) model: Model<DeviceToken>) {
    super(model);
  }

  /** Registers (or moves to this user) a device token. */
  async upsert(
    userId: string,
    token: string,
    platform: DevicePlatform,
  ): Promise<DeviceTokenEntity> {
    const saved = await this.model
      .findOneAndUpdate(
        { token },
        { $set: { user: userId, platform }, $setOnInsert: { token } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean()
      .exec();
    return this.toEntity(saved);
  }

  async removeForUser(userId: string, token: string): Promise<boolean> {
    const result = await this.model.deleteOne({ user: userId, token }).exec();
    return result.deletedCount === 1;
  }

  async removeTokens(tokens: string[]): Promise<void> {
    await this.model.deleteMany({ token: { $in: tokens } }).exec();
  }

  /** The user's devices (his data export). */
  async findAllOf(userId: string): Promise<DeviceTokenEntity[]> {
    const found = await this.model.find({ user: userId }).lean().exec();
    return found.map((device) => this.toEntity(device));
  }

  /** Forgets every device of the user: nothing is pushed to them any more. */
  async removeAllOf(userId: string): Promise<number> {
    const result = await this.model.deleteMany({ user: userId }).exec();
    return result.deletedCount;
  }

  async tokensOf(userId: string): Promise<string[]> {
    const found = await this.model.find({ user: userId }, { token: 1 }).lean().exec();
    return found.map((device) => device.token);
  }

  async hasAny(userId: string): Promise<boolean> {
    return (await this.model.exists({ user: userId }).exec()) !== null;
  }
}
