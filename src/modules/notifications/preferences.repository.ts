import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { UsersService } from '../users/users.service.js';
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

/**
 * A user's notification channels per event type, kept on his user document
 * (`notificationPreferences`): a notification reads its recipient anyway, and within a request
 * that read is made once (RequestReads), so choosing the channels costs no command of its own.
 *
 * They used to live in a `notification_preferences` collection; at start-up what is still
 * there moves onto the users (a user's own choices win) and the old documents are deleted.
 */
@Injectable()
export class PreferencesRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger(PreferencesRepository.name);

  constructor(
    private readonly usersService: UsersService,
    @InjectModel(NotificationPreferences.name)
    private readonly formerCollection: Model<NotificationPreferences>,
  ) {}

  /** The user's choices by event type (dotted); types he never chose are left out. */
  async find(userId: string): Promise<Record<string, ChannelPreferences>> {
    return decode((await this.usersService.getById(userId)).notificationPreferences);
  }

  /** Merges: event types not sent keep their choices. 404 without the user. */
  async merge(
    userId: string,
    changes: Record<string, ChannelPreferences>,
  ): Promise<Record<string, ChannelPreferences>> {
    const user = await this.usersService.setNotificationPreferences(
      userId,
      Object.fromEntries(
        Object.entries(changes).map(([type, channels]) => [stored(type), channels]),
      ),
    );
    return decode(user.notificationPreferences);
  }

  /** Moves what the former collection still holds onto the users; safe to run again. */
  async onApplicationBootstrap(): Promise<void> {
    let moved = 0;
    for await (const former of this.formerCollection.find().lean().cursor()) {
      await this.usersService.adoptNotificationPreferences(
        String(former.user),
        former.preferences ?? {},
      );
      await this.formerCollection.deleteOne({ _id: former._id }).exec();
      moved += 1;
    }
    if (moved > 0) {
      this.logger.log(`Moved the notification preferences of ${moved} users onto their accounts`);
    }
  }
}
