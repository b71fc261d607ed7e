import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { InvitationRef } from './invitation-ref.js';

/** Sent once, INVITATION_REMINDER_BEFORE before expiry. */
export class InvitationReminderEvent implements DomainEvent {
  static readonly eventName = 'invitation.reminder';
  readonly eventName = InvitationReminderEvent.eventName;

  constructor(readonly invitation: InvitationRef) {}
}
