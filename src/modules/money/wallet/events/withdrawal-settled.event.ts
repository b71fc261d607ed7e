import type { DomainEvent } from '../../../../common/events/domain-events.js';
import type { EventActor } from '../../../../common/events/event-actor.js';

/**
 * A withdrawal ended: paid out, or failed with its money back in the wallet. Published each time
 * its settlement runs (a retry, the sweep): a listener keys on the withdrawal and its outcome.
 */
export class WithdrawalSettledEvent implements DomainEvent {
  static readonly eventName = 'withdrawal.settled';
  readonly eventName = WithdrawalSettledEvent.eventName;

  constructor(
    readonly withdrawalId: string,
    readonly craftsmanId: string,
    readonly outcome: 'paid' | 'failed',
    /** Piastres. */
    readonly amount: number,
    readonly provider: string,
    /** The transfer's reference (paid) or why it failed. */
    readonly note: string | null,
    /** The admin who marked it (the manual provider); null when the gateway or the system did. */
    readonly by: EventActor | null,
  ) {}
}
