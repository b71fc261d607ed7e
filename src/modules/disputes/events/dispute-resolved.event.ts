import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { DisputeOutcome } from '../../money/payments/dispute-settlement.service.js';

/** An admin's resolution is done: money settled, job completed or cancelled. Both sides are told. */
export class DisputeResolvedEvent implements DomainEvent {
  static readonly eventName = 'dispute.resolved';
  readonly eventName = DisputeResolvedEvent.eventName;

  constructor(
    readonly disputeId: string,
    readonly jobId: string,
    readonly outcome: DisputeOutcome,
    readonly resolvedBy: string,
  ) {}
}
