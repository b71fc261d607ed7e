import { ErrorCode } from './error-code.js';

/**
 * What services throw: a code from `ErrorCode`, a human sentence, and optional details.
 * The exception filter turns it into the HTTP status and body of API.md; services never build
 * `HttpException`s.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export interface FieldError {
  /** Dotted path of the bad field, e.g. `location.lat`. */
  field: string;
  message: string;
}

/**
 * The most `details` a `VALIDATION_FAILED` error lists: enough to fix a form, and the answer to
 * a body of thousands of bad fields stays small.
 */
export const MAX_FIELD_ERRORS = 20;

/** The common ones, named once. Feature errors live in `<feature>.errors.ts`. */
export const CommonErrors = {
  /** `details`: one per bad field, the first `MAX_FIELD_ERRORS` of them. */
  validation: (details: FieldError[], message = 'Request validation failed') =>
    new DomainError(ErrorCode.ValidationFailed, message, details.slice(0, MAX_FIELD_ERRORS)),
  notFound: (what = 'Resource') => new DomainError(ErrorCode.NotFound, `${what} not found`),
  invalidId: () => new DomainError(ErrorCode.NotFound, 'Resource not found (invalid ID)'),
  forbidden: (message = 'You are not allowed to do this') =>
    new DomainError(ErrorCode.Forbidden, message),
  unauthenticated: (message = 'Authentication required') =>
    new DomainError(ErrorCode.Unauthenticated, message),
  rateLimited: (
    message = 'Too many requests, try again later',
    details?: { retryAfterSeconds: number },
  ) => new DomainError(ErrorCode.RateLimited, message, details),
};
