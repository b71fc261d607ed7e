import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const QuotesErrors = {
  notFound: () => CommonErrors.notFound('Quote'),
  alreadyQuoted: () => new DomainError(ErrorCode.AlreadyQuoted, 'You have already quoted this job'),
  notPending: () => new DomainError(ErrorCode.QuoteNotPending, 'This quote was already declined'),
  notYourJob: () => CommonErrors.forbidden('Only the client who posted this job may do this'),
};
