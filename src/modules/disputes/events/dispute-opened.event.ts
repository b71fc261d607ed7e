import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { DisputeEntity } from '../schemas/dispute.schema.js';

/** A dispute was opened and its job is `disputed`: the other party is told. */
export class DisputeOpenedEvent implements DomainEvent {
  static readonly eventName = 'dispute.opened';
  readonly eventName = DisputeOpenedEvent.eventName;

  constructor(readonly dispute: DisputeEntity) {}
}
