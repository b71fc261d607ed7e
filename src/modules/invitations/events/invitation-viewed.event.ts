import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { InvitationRef } from './invitation-ref.js';

/** The invited craftsman opened it for the first time. */
export class InvitationViewedEvent implements DomainEvent {
  static readonly eventName = 'invitation.viewed';
  readonly eventName = InvitationViewedEvent.eventName;

  constructor(readonly invitation: InvitationRef) {}
}
