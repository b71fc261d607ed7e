import type { DomainEvent } from '../../../../common/events/domain-events.js';

/**
 * A ledger entry moved a craftsman's money (a fee, an adjustment, a withdrawal and its payout).
 * Published once the entry is posted; `entryId` makes its notification once-only.
 */
export class WalletChangedEvent implements DomainEvent {
  static readonly eventName = 'wallet.changed';
  readonly eventName = WalletChangedEvent.eventName;

  constructor(
    readonly craftsmanId: string,
    readonly entryId: string,
    /** One sentence for the craftsman: what happened to his money. */
    readonly description: string,
  ) {}
}
