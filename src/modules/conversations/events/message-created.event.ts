import type { DomainEvent } from '../../../common/events/domain-events.js';

export class MessageCreatedEvent implements DomainEvent {
  static readonly eventName = 'message.created';
  readonly eventName = MessageCreatedEvent.eventName;

  constructor(
    readonly messageId: string,
    readonly conversationId: string,
    readonly senderId: string,
    readonly recipientId: string,
    readonly text: string,
    readonly createdAt: Date,
  ) {}
}
