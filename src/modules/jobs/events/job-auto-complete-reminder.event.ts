import type { DomainEvent } from '../../../common/events/domain-events.js';

/** A job completes by itself soon: its client is reminded (step 1: 2 days before; 2: 1 day). */
export class JobAutoCompleteReminderEvent implements DomainEvent {
  static readonly eventName = 'job.auto_complete_reminder';
  readonly eventName = JobAutoCompleteReminderEvent.eventName;

  constructor(
    readonly jobId: string,
    readonly clientId: string,
    readonly autoCompleteAt: Date,
    readonly step: number,
  ) {}
}
