import type { DomainEvent } from '../../../common/events/domain-events.js';

/** The hired craftsman asked the client to complete the job; it completes by itself at `autoCompleteAt`. */
export class JobCompletionRequestedEvent implements DomainEvent {
  static readonly eventName = 'job.completion_requested';
  readonly eventName = JobCompletionRequestedEvent.eventName;

  constructor(
    readonly jobId: string,
    readonly clientId: string,
    readonly craftsmanId: string,
    readonly autoCompleteAt: Date,
  ) {}
}
