import type { DomainEvent } from '../../../common/events/domain-events.js';

/** The craftsman is hired for the job at this price. */
export class QuoteAcceptedEvent implements DomainEvent {
  static readonly eventName = 'quote.accepted';
  readonly eventName = QuoteAcceptedEvent.eventName;

  constructor(
    readonly quoteId: string,
    readonly jobId: string,
    readonly clientId: string,
    readonly craftsmanId: string,
    readonly price: number,
  ) {}
}
