import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { JobStatus } from './job-status.js';

export const JobsErrors = {
  notFound: () => CommonErrors.notFound('Job'),
  notOpen: () =>
    new DomainError(
      ErrorCode.JobNotOpen,
      'This job is no longer open (it is hired, done or cancelled)',
    ),
  invalidTransition: (from: JobStatus, to: JobStatus) =>
    new DomainError(ErrorCode.InvalidStatusTransition, `A job cannot go from ${from} to ${to}`, {
      from,
      to,
    }),
  paymentRequired: () =>
    new DomainError(
      ErrorCode.PaymentRequired,
      'The client has not paid yet: the payment must be held in escrow before you set out',
    ),
  notInProgress: () =>
    new DomainError(
      ErrorCode.JobNotInProgress,
      'Completion can be requested only for a job in progress',
    ),
  disputeWindowClosed: (until: Date) =>
    new DomainError(
      ErrorCode.DisputeWindowClosed,
      'The time to dispute this completed job is over',
      { until },
    ),
  notYours: () => CommonErrors.forbidden('Only the parties to this job may do this'),
  notVisible: () => CommonErrors.forbidden('This job is not open, and you are not a party to it'),
  unknownCategory: (category: string) =>
    CommonErrors.validation([
      {
        field: 'category',
        message: `"${category}" is not in the services catalog (GET /api/services)`,
      },
    ]),
  cursorNotByDistance: () =>
    CommonErrors.validation([
      {
        field: 'after',
        message:
          'after pages the newest-first list; a nearest-first list (lat, lng) pages by number',
      },
    ]),
  browseOpenOnly: () =>
    CommonErrors.validation([
      {
        field: 'status',
        message: 'only open jobs (posted, quoted) can be browsed; use mine=true for your own',
      },
    ]),
};
