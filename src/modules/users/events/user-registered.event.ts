import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { Role } from '../../../common/auth/role.js';

export class UserRegisteredEvent implements DomainEvent {
  static readonly eventName = 'user.registered';
  readonly eventName = UserRegisteredEvent.eventName;

  constructor(
    readonly userId: string,
    readonly role: Role,
    readonly email: string,
  ) {}
}
