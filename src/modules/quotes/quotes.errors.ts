import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const QuotesErrors = {
  notFound: () => CommonErrors.notFound('Quote'),
  alreadyQuoted: () => new DomainError(ErrorCode.AlreadyQuoted, 'You have already quoted this job'),
  notPending: (status: string) =>
    new DomainError(ErrorCode.QuoteNotPending, `This quote is ${status}, no longer pending`),
  outdated: () =>
    new DomainError(
      ErrorCode.QuoteOutdated,
      'The job changed after this quote was made: its craftsman must confirm it first',
    ),
  notYourQuote: () => CommonErrors.forbidden('Only the craftsman who made this quote may do this'),
  notYourJob: () => CommonErrors.forbidden('Only the client who posted this job may do this'),
};
