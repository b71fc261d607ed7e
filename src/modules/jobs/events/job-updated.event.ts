import type { DomainEvent } from '../../../common/events/domain-events.js';

/** The fields of a job whose change is material: quotes made before it must be confirmed. */
export type MaterialField = 'title' | 'description' | 'category' | 'location';

/**
 * A material edit of an open job (API.md "Quotes"): every craftsman with a pending quote on it
 * is told, and those quotes can't be accepted until confirmed for `edition`.
 */
export class JobUpdatedEvent implements DomainEvent {
  static readonly eventName = 'job.updated';
  readonly eventName = JobUpdatedEvent.eventName;

  constructor(
    readonly jobId: string,
    readonly clientId: string,
    readonly changedFields: MaterialField[],
    /** The job's edition after this edit. */
    readonly edition: number,
    readonly at: Date,
  ) {}
}
