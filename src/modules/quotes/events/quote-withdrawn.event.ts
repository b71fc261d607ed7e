import type { DomainEvent } from '../../../common/events/domain-events.js';

/** Why: the craftsman was banned, or his account was deleted at his request. */
export type QuoteWithdrawReason = 'craftsman_suspended' | 'account_deleted';

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
