import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { RejectionReasonCode } from '../invitation-status.js';
import type { InvitationRef } from './invitation-ref.js';

/** The invitee declined. */
export class InvitationRejectedEvent implements DomainEvent {
  static readonly eventName = 'invitation.rejected';
  readonly eventName = InvitationRejectedEvent.eventName;

  constructor(
    readonly invitation: InvitationRef,
    readonly reason: string | null,
    readonly reasonCode: RejectionReasonCode | null,
  ) {}
}
