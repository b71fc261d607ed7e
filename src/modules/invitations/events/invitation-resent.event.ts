import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { InvitationRef } from './invitation-ref.js';

/** The client sent it again; `token` is the new link's (the old link stops working). */
export class InvitationResentEvent implements DomainEvent {
  static readonly eventName = 'invitation.resent';
  readonly eventName = InvitationResentEvent.eventName;

  constructor(
    readonly invitation: InvitationRef,
    readonly token: string,
  ) {}
}
