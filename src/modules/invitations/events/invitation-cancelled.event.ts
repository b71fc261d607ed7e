import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { CancellationReason } from '../invitation-status.js';
import type { InvitationRef } from './invitation-ref.js';

/** Cancelled by the client, or because the job was hired or cancelled. */
export class InvitationCancelledEvent implements DomainEvent {
  static readonly eventName = 'invitation.cancelled';
  readonly eventName = InvitationCancelledEvent.eventName;

  constructor(
    readonly invitation: InvitationRef,
    readonly reason: CancellationReason,
  ) {}
}
