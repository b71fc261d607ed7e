import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import {
  type ChannelPreferences,
  NotificationPreferences,
} from './schemas/notification-preferences.schema.js';

/** Event types have dots, which MongoDB reads as paths: stored with `:` instead. */
const stored = (type: string) => type.replace(/\./g, ':');
const decoded = (key: string) => key.replace(/:/g, '.');

function decode(
  preferences: Record<string, ChannelPreferences> | undefined,
): Record<string, ChannelPreferences> {
  return Object.fromEntries(
    Object.entries(preferences ?? {}).map(([key, value]) => [decoded(key), value]),
  );
}

interface PreferencesEntity {
  id: string;
  user: string;
  preferences: Record<string, ChannelPreferences>;
}

@Injectable()
export class PreferencesRepository extends BaseRepository<
  NotificationPreferences,
  PreferencesEntity
> {
  constructor(@InjectModel(NotificationPreferences.name) model: Model<NotificationPreferences>) {
    super(model);
  }

  async find(userId: string): Promise<Record<string, ChannelPreferences>> {
    const found = await this.model.findOne({ user: userId }).lean().exec();
    return decode(found?.preferences);
  }

  /** Merges: event types not sent keep their choices. */
  async merge(
    userId: string,
    changes: Record<string, ChannelPreferences>,
  ): Promise<Record<string, ChannelPreferences>> {
    const set = Object.fromEntries(
      Object.entries(changes).map(([type, channels]) => [`preferences.${stored(type)}`, channels]),
    );
    const saved = await this.model
      .findOneAndUpdate(
        { user: userId },
        { $set: set, $setOnInsert: { user: userId } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean()
      .exec();
    return decode(saved?.preferences);
  }
}
