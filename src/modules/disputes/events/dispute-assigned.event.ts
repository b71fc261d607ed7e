import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { EventActor } from '../../../common/events/event-actor.js';

/** An admin took an open dispute. */
export class DisputeAssignedEvent implements DomainEvent {
  static readonly eventName = 'dispute.assigned';
  readonly eventName = DisputeAssignedEvent.eventName;

  constructor(
    readonly disputeId: string,
    readonly jobId: string,
    readonly by: EventActor,
    readonly at: Date,
  ) {}
}
