import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import { Conversation, type ConversationEntity } from './schemas/conversation.schema.js';

@Injectable()
export class ConversationsRepository extends BaseRepository<Conversation, ConversationEntity> {
  constructor(@InjectModel(Conversation.name) model: Model<Conversation>) {
    super(model);
  }

  /** The pair's conversation, created when missing; concurrent calls agree on one. */
  async findOrCreate(clientId: string, craftsmanId: string, at: Date): Promise<ConversationEntity> {
    const pairKey = `${clientId}:${craftsmanId}`;
    const upsert = () =>
      this.model
        .findOneAndUpdate(
          { pairKey },
          {
            $setOnInsert: { client: clientId, craftsman: craftsmanId, pairKey, lastActivityAt: at },
          },
          { upsert: true, returnDocument: 'after' },
        )
        .lean()
        .exec();
    try {
      return this.toEntity(await upsert());
    } catch (error) {
      // two upserts raced and one lost on the unique index: the winner's document is there now
      if (isDuplicateKeyError(error)) {
        return this.toEntity(await upsert());
      }
      throw error;
    }
  }

  async findById(id: string): Promise<ConversationEntity | null> {
    return this.toEntityOrNull(await this.model.findById(id).lean().exec());
  }

  listForUser(userId: string, page: PageRequest): Promise<Paginated<ConversationEntity>> {
    return this.findPage(
      { $or: [{ client: userId }, { craftsman: userId }] },
      { lastActivityAt: -1, _id: -1 },
      page,
    );
  }

  async touch(id: string, at: Date, preview: string): Promise<void> {
    await this.model
      .updateOne({ _id: id }, { $set: { lastActivityAt: at, lastMessagePreview: preview } })
      .exec();
  }
}
