import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { InvitationRef } from './invitation-ref.js';

/** Nobody answered for INVITATION_TTL: both sides are told. */
export class InvitationExpiredEvent implements DomainEvent {
  static readonly eventName = 'invitation.expired';
  readonly eventName = InvitationExpiredEvent.eventName;

  constructor(readonly invitation: InvitationRef) {}
}
