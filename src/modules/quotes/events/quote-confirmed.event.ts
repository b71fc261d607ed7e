import type { DomainEvent } from '../../../common/events/domain-events.js';

/**
 * The craftsman confirmed his quote for the job as it is now (after a material edit), perhaps
 * at a new price: the client may accept it again. Its own event rather than a second
 * `quote.submitted`, so that the client sees "confirmed" and the price change, not a new quote.
 */
export class QuoteConfirmedEvent implements DomainEvent {
  static readonly eventName = 'quote.confirmed';
  readonly eventName = QuoteConfirmedEvent.eventName;

  constructor(
    readonly quoteId: string,
    readonly jobId: string,
    readonly clientId: string,
    readonly craftsmanId: string,
    /** Smallest currency unit: the price now, and before the confirmation. */
    readonly price: number,
    readonly previousPrice: number,
  ) {}
}
