import type { DomainEvent } from '../../../common/events/domain-events.js';

export class UserUnbannedEvent implements DomainEvent {
  static readonly eventName = 'user.unbanned';
  readonly eventName = UserUnbannedEvent.eventName;

  constructor(
    readonly userId: string,
    readonly unbannedBy: string,
    /** When the ban was lifted: tells a user's successive unbans apart. */
    readonly at: Date,
  ) {}
}
