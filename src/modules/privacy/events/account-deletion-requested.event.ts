import type { DomainEvent } from '../../../common/events/domain-events.js';

/**
 * The owner asked for his account's deletion. Asking again answers the deletion scheduled
 * before, and announces it again with the same `requestedAt`.
 */
export class AccountDeletionRequestedEvent implements DomainEvent {
  static readonly eventName = 'account.deletion_requested';
  readonly eventName = AccountDeletionRequestedEvent.eventName;

  constructor(
    readonly userId: string,
    readonly requestedAt: Date,
    readonly scheduledFor: Date,
  ) {}
}
