import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import { Message, type MessageEntity } from './schemas/message.schema.js';

@Injectable()
export class MessagesRepository extends BaseRepository<Message, MessageEntity> {
  constructor(@InjectModel(Message.name) model: Model<Message>) {
    super(model);
  }

  async create(conversationId: string, senderId: string, text: string): Promise<MessageEntity> {
    const created = await this.model.create({
      conversation: conversationId,
      sender: senderId,
      text,
    });
    return this.toEntity(created.toObject());
  }

  /**
   * Newest first: a chat opens at its end and pages back. By cursor (`after`), messages that
   * arrive meanwhile come before the cursor, so paging back neither repeats nor skips one.
   */
  listForConversation(
    conversationId: string,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<MessageEntity>> {
    return this.findCursorPage({ conversation: conversationId }, { createdAt: -1, _id: -1 }, page);
  }

  /** The messages `senderId` wrote in these conversations, oldest first (his data export). */
  async findSentIn(conversationIds: string[], senderId: string): Promise<MessageEntity[]> {
    if (conversationIds.length === 0) {
      return [];
    }
    const found = await this.model
      .find({ conversation: { $in: conversationIds }, sender: senderId })
      .sort({ createdAt: 1, _id: 1 })
      .lean()
      .exec();
    return found.map((message) => this.toEntity(message));
  }

  /** Those of `ids` that are messages of the conversation (one read by `_id`). */
  async findInConversation(conversationId: string, ids: string[]): Promise<MessageEntity[]> {
    const found = await this.model
      .find({ _id: { $in: ids }, conversation: conversationId })
      .lean()
      .exec();
    return found.map((message) => this.toEntity(message));
  }
}
