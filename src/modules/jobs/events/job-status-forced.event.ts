import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { EventActor } from '../../../common/events/event-actor.js';
import type { JobStatus } from '../job-status.js';

/**
 * Staff moved a job (a forced cancellation, or any other legal move in support's hands): the
 * staff member's side of the move `job.status_changed` announces to the parties.
 */
export class JobStatusForcedEvent implements DomainEvent {
  static readonly eventName = 'job.status_forced';
  readonly eventName = JobStatusForcedEvent.eventName;

  constructor(
    readonly jobId: string,
    readonly from: JobStatus,
    readonly to: JobStatus,
    readonly by: EventActor,
    readonly at: Date,
  ) {}
}
