import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { FaqLanguage } from './schemas/faq-entry.schema.js';

/** The FAQ's refusals. */
export const FaqErrors = {
  notFound: () => CommonErrors.notFound('FAQ entry'),
  entryExists: (topic: string, language: FaqLanguage) =>
    new DomainError(
      ErrorCode.FaqEntryExists,
      `The topic "${topic}" already has an entry in "${language}": edit that one`,
    ),
};
