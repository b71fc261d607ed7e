import type { DomainEvent } from '../../../common/events/domain-events.js';

export type QuoteDeclineReason = 'another_quote_accepted' | 'job_cancelled';

export class QuoteDeclinedEvent implements DomainEvent {
  static readonly eventName = 'quote.declined';
  readonly eventName = QuoteDeclinedEvent.eventName;

  constructor(
    readonly quoteId: string,
    readonly jobId: string,
    readonly clientId: string,
    readonly craftsmanId: string,
    readonly reason: QuoteDeclineReason,
  ) {}
}
