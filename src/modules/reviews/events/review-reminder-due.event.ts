import type { DomainEvent } from '../../../common/events/domain-events.js';

/** A side of a completed job hasn't reviewed it and its window ends soon (REVIEW_REMINDER_BEFORE). */
export class ReviewReminderDueEvent implements DomainEvent {
  static readonly eventName = 'review.reminder_due';
  readonly eventName = ReviewReminderDueEvent.eventName;

  constructor(
    readonly jobId: string,
    /** The sides that haven't reviewed. */
    readonly recipientIds: string[],
    readonly revealAt: Date,
  ) {}
}
