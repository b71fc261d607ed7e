import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const DisputesErrors = {
  notFound: () => CommonErrors.notFound('Dispute'),
  notAParty: () => CommonErrors.forbidden('Only the parties to this job may do this'),
  notYours: () => CommonErrors.forbidden('Only the parties to this dispute and staff may see it'),
  exists: () => new DomainError(ErrorCode.DisputeExists, 'This job already has an open dispute'),
  closed: () =>
    new DomainError(ErrorCode.DisputeClosed, 'This dispute is resolved (or being resolved)'),
  notDisputable: (status: string) =>
    new DomainError(
      ErrorCode.JobNotDisputable,
      `A ${status} job cannot be disputed (only hired, on the way, in progress or recently completed)`,
      { status },
    ),
  noEvidence: () =>
    CommonErrors.validation([
      { field: 'text', message: 'give at least one of text, messageIds or fileIds' },
    ]),
  unknownMessages: (ids: string[]) =>
    CommonErrors.validation(
      ids.map((id) => ({
        field: 'messageIds',
        message: `${id} is not a message of the parties' conversation`,
      })),
    ),
  reportRange: () =>
    CommonErrors.validation([
      { field: 'to', message: 'to must be after from, at most 366 days later' },
    ]),
};
