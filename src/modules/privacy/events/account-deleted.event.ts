import type { DomainEvent } from '../../../common/events/domain-events.js';

/**
 * An account was anonymised at the end of its grace period (by the sweep). A run a crash cut
 * short announces it again when it is finished.
 */
export class AccountDeletedEvent implements DomainEvent {
  static readonly eventName = 'account.deleted';
  readonly eventName = AccountDeletedEvent.eventName;

  constructor(
    readonly userId: string,
    readonly at: Date,
  ) {}
}
