import type { DomainEvent } from '../../../common/events/domain-events.js';

export class JobCreatedEvent implements DomainEvent {
  static readonly eventName = 'job.created';
  readonly eventName = JobCreatedEvent.eventName;

  constructor(
    readonly jobId: string,
    readonly clientId: string,
    readonly category: string,
  ) {}
}
