import type { DomainEvent } from '../../../common/events/domain-events.js';

export type QuoteWithdrawReason = 'craftsman_suspended';

/** A pending quote was taken back on the craftsman's side; the job's client is told. */
export class QuoteWithdrawnEvent implements DomainEvent {
  static readonly eventName = 'quote.withdrawn';
  readonly eventName = QuoteWithdrawnEvent.eventName;

  constructor(
    readonly quoteId: string,
    readonly jobId: string,
    readonly clientId: string,
    readonly craftsmanId: string,
    readonly reason: QuoteWithdrawReason,
  ) {}
}
