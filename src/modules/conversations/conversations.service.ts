import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { CursorPageRequest, CursorPaginated } from '../../common/pagination/paginated.js';
import { Role } from '../../common/auth/role.js';
import { truncateText } from '../../common/validation/text-length.js';
import { UserSummaryDto } from '../users/dto/user-summary.dto.js';
import { AccountStandingService } from '../users/account-standing.service.js';
import { UsersService } from '../users/users.service.js';
import { ConversationsErrors } from './conversations.errors.js';
import { ConversationsRepository } from './conversations.repository.js';
import type { ConversationResponseDto } from './dto/conversation-response.dto.js';
import { MessageCreatedEvent } from './events/message-created.event.js';
import { MessagesRepository } from './messages.repository.js';
import type { ConversationEntity } from './schemas/conversation.schema.js';
import type { MessageEntity } from './schemas/message.schema.js';

/** Code points of the last message shown in conversation lists. */
const PREVIEW_LENGTH = 120;

@Injectable()
export class ConversationsService {
  constructor(
    private readonly conversationsRepository: ConversationsRepository,
    private readonly messagesRepository: MessagesRepository,
    private readonly usersService: UsersService,
    private readonly standing: AccountStandingService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** The client–craftsman conversation, created on first need (an accepted invitation). */
  findOrCreate(clientId: string, craftsmanId: string): Promise<ConversationEntity> {
    return this.conversationsRepository.findOrCreate(clientId, craftsmanId, this.clock.now());
  }

  /** Conversations are between a client and a craftsman: a user's side follows from his role. */
  listForUser(
    user: AuthUser,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<ConversationEntity>> {
    const side = user.role === Role.Craftsman ? 'craftsman' : 'client';
    return this.conversationsRepository.listForUser(user.id, side, page);
  }

  /**
   * Every conversation of the user, with the messages he wrote in them (not the other side's:
   * those are the other person's data), for his data export.
   */
  async allOfUser(
    user: Pick<AuthUser, 'id' | 'role'>,
  ): Promise<{ conversations: ConversationEntity[]; messages: MessageEntity[] }> {
    const side = user.role === Role.Craftsman ? 'craftsman' : 'client';
    const conversations = await this.conversationsRepository.findAllForUser(user.id, side);
    const messages = await this.messagesRepository.findSentIn(
      conversations.map((conversation) => conversation.id),
      user.id,
    );
    return { conversations, messages };
  }

  async listMessages(
    user: AuthUser,
    conversationId: string,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<MessageEntity>> {
    await this.requireParticipant(user, conversationId);
    return this.messagesRepository.listForConversation(conversationId, page);
  }

  /**
   * A participant writes to the other. Nobody writes to a banned user (422 CRAFTSMAN_SUSPENDED or
   * CLIENT_SUSPENDED); the history stays readable.
   */
  async send(user: AuthUser, conversationId: string, text: string): Promise<MessageEntity> {
    const conversation = await this.requireParticipant(user, conversationId);
    await this.standing.assertInGoodStanding({
      clientId: conversation.client,
      craftsmanId: conversation.craftsman,
    });
    const message = await this.messagesRepository.create(conversationId, user.id, text);
    await this.conversationsRepository.touch(
      conversationId,
      message.createdAt,
      truncateText(text, PREVIEW_LENGTH),
    );
    const recipient =
      conversation.client === user.id ? conversation.craftsman : conversation.client;
    await this.events.publish(
      new MessageCreatedEvent(
        message.id,
        conversationId,
        user.id,
        recipient,
        message.text,
        message.createdAt,
      ),
    );
    return message;
  }

  /**
   * Those of `ids` that are messages of the client–craftsman pair's conversation, as they are
   * now (for a dispute's evidence, which copies them).
   */
  async messagesOfPair(
    clientId: string,
    craftsmanId: string,
    ids: string[],
  ): Promise<MessageEntity[]> {
    const conversation = await this.conversationsRepository.findByPair(clientId, craftsmanId);
    if (!conversation || ids.length === 0) {
      return [];
    }
    return this.messagesRepository.findInConversation(conversation.id, ids);
  }

  async toResponses(conversations: ConversationEntity[]): Promise<ConversationResponseDto[]> {
    const summaries = await this.usersService.getSummaries(
      conversations.flatMap((conversation) => [conversation.client, conversation.craftsman]),
    );
    const summary = (id: string) => {
      const found = summaries.get(id);
      return found ? UserSummaryDto.from(found) : null;
    };
    return conversations.map((conversation) => ({
      id: conversation.id,
      client: summary(conversation.client),
      craftsman: summary(conversation.craftsman),
      lastActivityAt: conversation.lastActivityAt,
      lastMessagePreview: conversation.lastMessagePreview,
      createdAt: conversation.createdAt,
    }));
  }

  private async requireParticipant(
    user: AuthUser,
    conversationId: string,
  ): Promise<ConversationEntity> {
    const conversation = await this.conversationsRepository.findById(conversationId);
    if (!conversation) {
      throw ConversationsErrors.notFound();
    }
    if (conversation.client !== user.id && conversation.craftsman !== user.id) {
      throw ConversationsErrors.notAParticipant();
    }
    return conversation;
  }
}
