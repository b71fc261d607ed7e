import type { DomainEvent } from '../../../common/events/domain-events.js';

/** The owner called off his account's scheduled deletion. */
export class AccountDeletionCancelledEvent implements DomainEvent {
  static readonly eventName = 'account.deletion_cancelled';
  readonly eventName = AccountDeletionCancelledEvent.eventName;

  constructor(
    readonly userId: string,
    readonly at: Date,
  ) {}
}
