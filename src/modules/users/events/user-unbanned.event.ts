import type { DomainEvent } from '../../../common/events/domain-events.js';

export class UserUnbannedEvent implements DomainEvent {
  static readonly eventName = 'user.unbanned';
  readonly eventName = UserUnbannedEvent.eventName;

  constructor(
    readonly userId: string,
    readonly unbannedBy: string,
  ) {}
}
