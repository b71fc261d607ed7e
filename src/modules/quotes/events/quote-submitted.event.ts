import type { DomainEvent } from '../../../common/events/domain-events.js';

export class QuoteSubmittedEvent implements DomainEvent {
  static readonly eventName = 'quote.submitted';
  readonly eventName = QuoteSubmittedEvent.eventName;

  constructor(
    readonly quoteId: string,
    readonly jobId: string,
    readonly clientId: string,
    readonly craftsmanId: string,
    readonly price: number,
  ) {}
}
