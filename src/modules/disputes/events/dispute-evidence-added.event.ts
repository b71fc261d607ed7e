import type { DomainEvent } from '../../../common/events/domain-events.js';

/** A party submitted evidence: the other is told, and has until `respondBy` to answer. */
export class DisputeEvidenceAddedEvent implements DomainEvent {
  static readonly eventName = 'dispute.evidence';
  readonly eventName = DisputeEvidenceAddedEvent.eventName;

  constructor(
    readonly disputeId: string,
    readonly jobId: string,
    readonly by: string,
    readonly awaitingFrom: string,
    readonly respondBy: Date,
  ) {}
}
