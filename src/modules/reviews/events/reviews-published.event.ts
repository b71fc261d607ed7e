import type { DomainEvent } from '../../../common/events/domain-events.js';

/** A job's reviews became public (both together); each review is announced by one publisher. */
export class ReviewsPublishedEvent implements DomainEvent {
  static readonly eventName = 'reviews.published';
  readonly eventName = ReviewsPublishedEvent.eventName;

  constructor(
    readonly jobId: string,
    /** The parties: both hear of it. */
    readonly clientId: string,
    readonly craftsmanId: string,
    /** The reviews this publisher published. */
    readonly reviewIds: string[],
    readonly at: Date,
  ) {}
}
