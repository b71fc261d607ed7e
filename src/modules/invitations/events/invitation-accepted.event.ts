import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { InvitationRef } from './invitation-ref.js';

/** The craftsman accepted; he and the client now share `conversationId`. */
export class InvitationAcceptedEvent implements DomainEvent {
  static readonly eventName = 'invitation.accepted';
  readonly eventName = InvitationAcceptedEvent.eventName;

  constructor(
    readonly invitation: InvitationRef,
    readonly conversationId: string,
  ) {}
}
