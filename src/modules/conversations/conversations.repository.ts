import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
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

  /**
   * The conversations where the user is `side` (a client is always the client side, a craftsman
   * the craftsman side), liveliest first.
   *
   * The sort key moves: a message lifts its conversation to the head. Paging by cursor, a
   * conversation seen already and lifted meanwhile is not shown again (it is now before the
   * cursor), and one lifted before it was reached is not in the pages that follow but at the
   * head, where the app learns of it from `message.created`. Page numbers instead shift every
   * item after a lifted one down by one: repeats.
   */
  listForUser(
    userId: string,
    side: 'client' | 'craftsman',
    page: CursorPageRequest,
  ): Promise<CursorPaginated<ConversationEntity>> {
    const filter = side === 'client' ? { client: userId } : { craftsman: userId };
    return this.findCursorPage(filter, { lastActivityAt: -1, _id: -1 }, page);
  }

  /** Every conversation where the user is `side`, liveliest first (his data export). */
  async findAllForUser(
    userId: string,
    side: 'client' | 'craftsman',
  ): Promise<ConversationEntity[]> {
    const found = await this.model
      .find(side === 'client' ? { client: userId } : { craftsman: userId })
      .sort({ lastActivityAt: -1, _id: -1 })
      .lean()
      .exec();
    return found.map((conversation) => this.toEntity(conversation));
  }

  /** The client–craftsman pair's conversation, if they have one. */
  async findByPair(clientId: string, craftsmanId: string): Promise<ConversationEntity | null> {
    return this.toEntityOrNull(
      await this.model
        .findOne({ pairKey: `${clientId}:${craftsmanId}` })
        .lean()
        .exec(),
    );
  }

  async touch(id: string, at: Date, preview: string): Promise<void> {
    await this.model
      .updateOne({ _id: id }, { $set: { lastActivityAt: at, lastMessagePreview: preview } })
      .exec();
  }
}
