import type { DomainEvent } from '../../../common/events/domain-events.js';
import type { JobStatus } from '../job-status.js';
import type { JobEntity } from '../schemas/job.schema.js';

/** Every status move, the marketplace's own (quoted, hired) included. */
export class JobStatusChangedEvent implements DomainEvent {
  static readonly eventName = 'job.status_changed';
  readonly eventName = JobStatusChangedEvent.eventName;

  constructor(
    readonly jobId: string,
    readonly clientId: string,
    readonly craftsmanId: string | null,
    readonly from: JobStatus,
    readonly to: JobStatus,
    /** Null when the marketplace moved it. */
    readonly changedBy: string | null,
    readonly at: Date,
    /**
     * The job as this move left it, so that a listener needs no read of it (the reports'
     * rollups); absent from an event built by hand, whose listeners read the job.
     */
    readonly job?: JobEntity,
  ) {}
}
