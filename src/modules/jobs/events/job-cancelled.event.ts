import type { DomainEvent } from '../../../common/events/domain-events.js';

/** Its pending invitations are cancelled and its pending quotes declined by their modules. */
export class JobCancelledEvent implements DomainEvent {
  static readonly eventName = 'job.cancelled';
  readonly eventName = JobCancelledEvent.eventName;

  constructor(
    readonly jobId: string,
    readonly clientId: string,
    readonly craftsmanId: string | null,
    readonly cancelledBy: string,
  ) {}
}
