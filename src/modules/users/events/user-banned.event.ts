import type { DomainEvent } from '../../../common/events/domain-events.js';

/** The user's live tokens are revoked and his sockets disconnected. */
export class UserBannedEvent implements DomainEvent {
  static readonly eventName = 'user.banned';
  readonly eventName = UserBannedEvent.eventName;

  constructor(
    readonly userId: string,
    readonly reason: string,
    readonly bannedBy: string,
    readonly bannedAt: Date,
  ) {}
}
