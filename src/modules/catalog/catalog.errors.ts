import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const CatalogErrors = {
  notFound: () => CommonErrors.notFound('Service'),
  nameTaken: (name: string) =>
    new DomainError(ErrorCode.ServiceNameTaken, `A service named "${name}" already exists`),
};
