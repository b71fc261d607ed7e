import type { DomainEvent } from '../../../common/events/domain-events.js';

/**
 * A side reviewed the job. Carries no rating on purpose: what listens (the notification to the
 * reviewee) must not be able to reveal a hidden review's score.
 */
export class ReviewSubmittedEvent implements DomainEvent {
  static readonly eventName = 'review.submitted';
  readonly eventName = ReviewSubmittedEvent.eventName;

  constructor(
    readonly reviewId: string,
    readonly jobId: string,
    readonly reviewerId: string,
    readonly revieweeId: string,
    /** When it is published at the latest (unless the job is disputed then). */
    readonly revealAt: Date,
  ) {}
}
