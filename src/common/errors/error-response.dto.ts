import { ErrorCode } from './error-code.js';

/** The body of every error answer. */
export class ErrorResponseDto {
  /** The HTTP status, repeated. */
  statusCode!: number;

  /** A stable, machine-readable code. */
  code!: ErrorCode;

  /** A human sentence. */
  message!: string;

  /**
   * More about the error: for `VALIDATION_FAILED`, one `{field, message}` per bad field.
   */
  details?: unknown;

  /** Present on 500s: quote it to support; the server log holds the rest under this id. */
  errorId?: string;
}
