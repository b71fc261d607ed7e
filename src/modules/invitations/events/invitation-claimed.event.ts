import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { InvitationRef } from './invitation-ref.js';

/** An email invitation became a registered craftsman's: the inviter is told. */
export class InvitationClaimedEvent implements DomainEvent {
  static readonly eventName = 'invitation.claimed';
  readonly eventName = InvitationClaimedEvent.eventName;

  constructor(readonly invitation: InvitationRef) {}
}
