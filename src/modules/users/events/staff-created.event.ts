import type { Role } from '../../../common/auth/role.js';
import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { EventActor } from '../../../common/events/event-actor.js';

/** An admin or moderator account was created, by an admin or (from ADMIN_EMAIL) at boot. */
export class StaffCreatedEvent implements DomainEvent {
  static readonly eventName = 'user.staff_created';
  readonly eventName = StaffCreatedEvent.eventName;

  constructor(
    readonly userId: string,
    readonly role: Role,
    /** Null: the seed admin, created at boot. */
    readonly createdBy: EventActor | null,
  ) {}
}
