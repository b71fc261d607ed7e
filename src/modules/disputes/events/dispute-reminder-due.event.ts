import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { DisputeEntity } from '../schemas/dispute.schema.js';

/** The awaited party's `respondBy` is DISPUTE_RESPONSE_REMINDER_BEFORE away: he is reminded, once. */
export class DisputeReminderDueEvent implements DomainEvent {
  static readonly eventName = 'dispute.response_reminder';
  readonly eventName = DisputeReminderDueEvent.eventName;

  constructor(readonly dispute: DisputeEntity) {}
}
