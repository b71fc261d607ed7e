import type { DomainEvent } from '../../../../common/events/domain-events.js';
import type { LedgerEntryEntity } from '../schemas/ledger-entry.schema.js';

/**
 * A ledger entry was posted: its postings now count in balances. Published by the one settling
 * whose guarded write marked it `posted` (the writer, a replay that took over, or the sweeper),
 * so once per entry; a crash between that write and the publication loses the announcement
 * (the reports' rebuild recomputes from the entries themselves). `entry.settledAt` is when it
 * was posted.
 */
export class LedgerEntryPostedEvent implements DomainEvent {
  static readonly eventName = 'ledger.entry_posted';
  readonly eventName = LedgerEntryPostedEvent.eventName;

  constructor(readonly entry: LedgerEntryEntity) {}
}
