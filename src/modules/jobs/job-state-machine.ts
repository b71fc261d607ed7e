import { JobStatus } from './job-status.js';

/** How the caller stands to the job. */
export enum JobActor {
  /** The client who posted it. */
  Owner = 'owner',
  /** The craftsman hired for it. */
  HiredCraftsman = 'hired_craftsman',
  /** An admin or moderator. */
  Staff = 'staff',
  /** The marketplace itself: the first quote, accepting a quote. */
  System = 'system',
  /** Anyone else. */
  Other = 'other',
}

const PARTIES = [JobActor.Owner, JobActor.HiredCraftsman, JobActor.Staff];

/**
 * Every legal move and who may make it (API.md, "Jobs", "Disputes and cancellations"). Staff may
 * make any legal move except the marketplace's own (quoting and hiring need a quote; ending a
 * dispute needs its resolution). Cancelling is free while open and from `hired` (anything paid
 * is refunded in full); from `on_the_way` on, the client can only dispute (a no-show is the
 * dispute reason `no_show`).
 */
export const JOB_TRANSITIONS: Readonly<
  Record<JobStatus, Partial<Record<JobStatus, readonly JobActor[]>>>
> = {
  [JobStatus.Posted]: {
    [JobStatus.Quoted]: [JobActor.System],
    [JobStatus.Hired]: [JobActor.System],
    [JobStatus.Cancelled]: [JobActor.Owner, JobActor.Staff],
  },
  [JobStatus.Quoted]: {
    [JobStatus.Hired]: [JobActor.System],
    [JobStatus.Cancelled]: [JobActor.Owner, JobActor.Staff],
  },
  [JobStatus.Hired]: {
    [JobStatus.OnTheWay]: [JobActor.HiredCraftsman, JobActor.Staff],
    [JobStatus.Cancelled]: [JobActor.Owner, JobActor.Staff],
    [JobStatus.Disputed]: PARTIES,
  },
  [JobStatus.OnTheWay]: {
    [JobStatus.InProgress]: [JobActor.HiredCraftsman, JobActor.Staff],
    [JobStatus.Disputed]: PARTIES,
  },
  [JobStatus.InProgress]: {
    [JobStatus.Completed]: [JobActor.Owner, JobActor.Staff],
    [JobStatus.Disputed]: PARTIES,
  },
  [JobStatus.Completed]: {
    [JobStatus.Disputed]: PARTIES,
  },
  // only a dispute's resolution (an admin's, POST /admin/disputes/:id/resolve) ends it
  [JobStatus.Disputed]: {
    [JobStatus.Completed]: [JobActor.System],
    [JobStatus.Cancelled]: [JobActor.System],
  },
  [JobStatus.Cancelled]: {},
};

export type TransitionVerdict =
  /** Go ahead. */
  | 'allowed'
  /** No such move from this status, or one only the marketplace makes: 409 INVALID_STATUS_TRANSITION. */
  | 'illegal'
  /** A legal move, but not this caller's: 403 FORBIDDEN. */
  | 'forbidden';

export function judgeTransition(
  from: JobStatus,
  to: JobStatus,
  actor: JobActor,
): TransitionVerdict {
  const allowedActors = JOB_TRANSITIONS[from][to];
  if (allowedActors?.includes(actor)) {
    return 'allowed';
  }
  const peopleMayMakeIt = allowedActors?.some((allowed) => allowed !== JobActor.System);
  return peopleMayMakeIt ? 'forbidden' : 'illegal';
}
