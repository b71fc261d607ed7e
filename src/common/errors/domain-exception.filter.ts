import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from './domain.error.js';
import { errorBody, sendErrorBody } from './error-response.js';
import { httpStatusOf } from './error-status.js';

/** Domain errors carry their code; the status follows from it. */
@Catch(DomainError)
export class DomainExceptionFilter implements ExceptionFilter<DomainError> {
  catch(error: DomainError, host: ArgumentsHost): void {
    const retryAfter = (error.details as { retryAfterSeconds?: number } | undefined)
      ?.retryAfterSeconds;
    if (retryAfter !== undefined && host.getType() === 'http') {
      void host
        .switchToHttp()
        .getResponse<FastifyReply>()
        .header('retry-after', String(retryAfter));
    }
    sendErrorBody(
      host,
      errorBody(httpStatusOf(error.code), error.code, error.message, { details: error.details }),
    );
  }
}
