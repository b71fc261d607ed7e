import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { InvitationSource } from '../invitation-status.js';
import type { InvitationRef } from './invitation-ref.js';

/** A new invitation (or a re-invitation). `token` is the emailed link's token: it lives only in this in-process event, never stored. */
export class InvitationCreatedEvent implements DomainEvent {
  static readonly eventName = 'invitation.created';
  readonly eventName = InvitationCreatedEvent.eventName;

  constructor(
    readonly invitation: InvitationRef,
    readonly token: string,
    readonly source: InvitationSource,
  ) {}
}
