import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import { Notification, type NotificationEntity } from './schemas/notification.schema.js';

export type NewNotification = Pick<
  NotificationEntity,
  'recipient' | 'type' | 'title' | 'message' | 'data' | 'dedupeKey'
>;

@Injectable()
export class NotificationsRepository extends BaseRepository<Notification, NotificationEntity> {
  constructor(@InjectModel(Notification.name) model: Model<Notification>) {
    super(model);
  }

  /** `null` when a notification with this dedupe key exists already. */
  async create(input: NewNotification): Promise<NotificationEntity | null> {
    try {
      const created = await this.model.create(input);
      return this.toEntity(created.toObject());
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        return null;
      }
      throw error;
    }
  }

  /**
   * Several notifications in one command. Their dedupe keys must be new (random): this is for
   * events announced once, where none can exist already.
   */
  async createMany(inputs: NewNotification[]): Promise<NotificationEntity[]> {
    if (inputs.length === 0) {
      return [];
    }
    const created = await this.model.insertMany(inputs);
    return created.map((notification) => this.toEntity(notification.toObject()));
  }

  async findByDedupeKey(dedupeKey: string): Promise<NotificationEntity | null> {
    return this.toEntityOrNull(await this.model.findOne({ dedupeKey }).lean().exec());
  }

  /** Newest first; by cursor, what arrives meanwhile comes before it (no repeats). */
  list(
    recipientId: string,
    unreadOnly: boolean,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<NotificationEntity>> {
    const filter: QueryFilter<Notification> = { recipient: recipientId };
    if (unreadOnly) {
      filter.read = false;
    }
    return this.findCursorPage(filter, { createdAt: -1, _id: -1 }, page);
  }

  /** Every notification of the recipient, newest first (his data export). */
  async findAllOf(recipientId: string): Promise<NotificationEntity[]> {
    const found = await this.model
      .find({ recipient: recipientId })
      .sort({ createdAt: -1, _id: -1 })
      .lean()
      .exec();
    return found.map((notification) => this.toEntity(notification));
  }

  /** Deletes every notification of the recipient (his account is being deleted). */
  async deleteAllOf(recipientId: string): Promise<number> {
    const result = await this.model.deleteMany({ recipient: recipientId }).exec();
    return result.deletedCount;
  }

  countUnread(recipientId: string): Promise<number> {
    return this.model.countDocuments({ recipient: recipientId, read: false }).exec();
  }

  /** Marks the recipient's own notifications read: those listed, or all. Answers how many changed. */
  async markRead(recipientId: string, ids: string[] | 'all', at: Date): Promise<number> {
    const filter: QueryFilter<Notification> = { recipient: recipientId, read: false };
    if (ids !== 'all') {
      filter._id = { $in: ids };
    }
    const result = await this.model.updateMany(filter, { $set: { read: true, readAt: at } }).exec();
    return result.modifiedCount;
  }
}
