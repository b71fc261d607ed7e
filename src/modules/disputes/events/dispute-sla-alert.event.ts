import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { AlertKind } from '../disputes.repository.js';
import type { DisputeEntity } from '../schemas/dispute.schema.js';

/**
 * A dispute is past its SLA: nobody took it (DISPUTE_UNASSIGNED_ALERT_AFTER) or it is still
 * unresolved (DISPUTE_UNRESOLVED_ALERT_AFTER). Every admin is told, once per dispute and kind.
 */
export class DisputeSlaAlertEvent implements DomainEvent {
  static readonly eventName = 'dispute.sla_alert';
  readonly eventName = DisputeSlaAlertEvent.eventName;

  constructor(
    readonly dispute: DisputeEntity,
    readonly kind: AlertKind,
  ) {}
}
