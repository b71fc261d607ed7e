import type { DomainEvent } from '../../../../common/events/domain-events.js';
import type { EventActor } from '../../../../common/events/event-actor.js';

/** An admin's correction or goodwill credit was posted to a craftsman's wallet. */
export class WalletAdjustedEvent implements DomainEvent {
  static readonly eventName = 'wallet.adjusted';
  readonly eventName = WalletAdjustedEvent.eventName;

  constructor(
    readonly craftsmanId: string,
    /** The ledger entry: one per adjustment, however often its request is retried. */
    readonly entryId: string,
    /** Signed piastres. */
    readonly amount: number,
    readonly reason: string,
    readonly by: EventActor,
  ) {}
}
