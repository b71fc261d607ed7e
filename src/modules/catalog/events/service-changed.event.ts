import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { EventActor } from '../../../common/events/event-actor.js';

export type ServiceChange = 'created' | 'updated' | 'deleted';

/** Staff added, edited or removed a service of the catalog. */
export class ServiceChangedEvent implements DomainEvent {
  static readonly eventName = 'service.changed';
  readonly eventName = ServiceChangedEvent.eventName;

  constructor(
    readonly serviceId: string,
    readonly change: ServiceChange,
    /** The service's name after the change (before it, for a removal). */
    readonly name: string,
    readonly by: EventActor,
    /** When the change was stored: tells two edits of one service apart. */
    readonly at: Date,
  ) {}
}
