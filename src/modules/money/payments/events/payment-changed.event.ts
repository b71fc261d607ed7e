import type { DomainEvent } from '../../../../common/events/domain-events.js';
import type { PaymentStatus } from '../schemas/payment.schema.js';

/**
 * A payment moved in a way its parties hear of: `held` (the client's money is in escrow: the
 * craftsman may set out), `refunded` (the money is on its way back to the client), `parked`
 * (the gateway reported another amount: an admin looks at it). Published by the one caller whose
 * conditional write made the move, so once per move.
 */
export class PaymentChangedEvent implements DomainEvent {
  static readonly eventName = 'payment.changed';
  readonly eventName = PaymentChangedEvent.eventName;

  constructor(
    readonly paymentId: string,
    /** Null for a top-up (its craftsman hears of it as a change of his wallet). */
    readonly jobId: string | null,
    readonly payerId: string,
    readonly payeeId: string,
    readonly change: PaymentStatus.Held | PaymentStatus.Refunded | 'parked' | 'refund_done',
    /** Piastres the change is about (the amount held or refunded). */
    readonly amount: number,
  ) {}
}
