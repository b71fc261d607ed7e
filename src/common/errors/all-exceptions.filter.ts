import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Error as MongooseError, mongo } from 'mongoose';
import { duplicateKeyIndex, isDuplicateKeyError } from '../database/duplicate-key.js';
import { loggablePath } from '../logging/redact-secrets.js';
import { ErrorCode } from './error-code.js';
import { ErrorResponseDto } from './error-response.dto.js';
import { errorBody, sendErrorBody } from './error-response.js';
import { errorCodeOfStatus, httpStatusOf } from './error-status.js';

const DATABASE_UNREACHABLE = [
  mongo.MongoServerSelectionError,
  mongo.MongoNetworkError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
];

/**
 * Socket errors of a connection the peer has closed. The MongoDB driver (7.8) wraps most of
 * them in `MongoNetworkError`, but one that surfaces while it waits for a write to drain
 * ("This socket has been ended by the other party", EPIPE) reaches the caller unwrapped. The
 * only sockets a request handler writes to are the database's and Redis's, so either way the
 * service is unavailable, not broken. Node creates these errors itself, so they are matched by
 * their code rather than their class.
 */
const SOCKET_FAILURE_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT']);

function isSocketFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SOCKET_FAILURE_CODES.has(code);
}

function isMongooseBufferTimeout(error: unknown): boolean {
  return error instanceof MongooseError && /buffering timed out/.test(error.message);
}

function isDatabaseUnreachable(error: unknown): boolean {
  return (
    DATABASE_UNREACHABLE.some((type) => error instanceof type) ||
    isMongooseBufferTimeout(error) ||
    isSocketFailure(error)
  );
}

/**
 * Everything that is not a `DomainError`: Nest's and Fastify's HTTP exceptions, database
 * failures, and bugs. A bug answers 500 with an error id and nothing else, and is logged once,
 * with its stack, under that id.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    sendErrorBody(host, this.toBody(error, host));
  }

  private toBody(error: unknown, host: ArgumentsHost): ErrorResponseDto {
    if (error instanceof HttpException) {
      return this.fromHttpException(error, host);
    }
    if (error instanceof MongooseError.CastError) {
      return errorBody(404, ErrorCode.NotFound, 'Resource not found (invalid ID)');
    }
    if (isDuplicateKeyError(error)) {
      // the index, never the duplicate value (an email, a phone)
      this.logger.warn(
        `Unmapped duplicate key on index ${duplicateKeyIndex(error) ?? '(unnamed)'}`,
      );
      return errorBody(409, ErrorCode.Conflict, 'This resource already exists');
    }
    if (isDatabaseUnreachable(error)) {
      this.logger.error(`Database unreachable: ${(error as Error).message}`);
      const code = ErrorCode.ServiceUnavailable;
      return errorBody(
        httpStatusOf(code),
        code,
        'Service temporarily unavailable, try again shortly',
      );
    }
    return this.internal(error, host);
  }

  private fromHttpException(error: HttpException, host: ArgumentsHost): ErrorResponseDto {
    const status = error.getStatus();
    if (status >= 500) {
      return this.internal(error, host);
    }
    const code = errorCodeOfStatus(status);
    if (code === ErrorCode.NotFound && this.isUnmatchedRoute(host)) {
      return errorBody(status, code, this.unmatchedRouteMessage(host));
    }
    return errorBody(status, code, this.messageOf(error));
  }

  private isUnmatchedRoute(host: ArgumentsHost): boolean {
    return host.getType() === 'http' && host.switchToHttp().getRequest<FastifyRequest>().is404;
  }

  private unmatchedRouteMessage(host: ArgumentsHost): string {
    const path = host.switchToHttp().getRequest<FastifyRequest>().url.split('?')[0];
    return path === '/api' || path.startsWith('/api/') ? 'API route not found' : 'Route not found';
  }

  /** Nest puts either a string or `{message: string | string[]}` in the response. */
  private messageOf(error: HttpException): string {
    const response = error.getResponse();
    if (typeof response === 'string') {
      return response;
    }
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) {
      return message.join('; ');
    }
    return typeof message === 'string' ? message : error.message;
  }

  private internal(error: unknown, host: ArgumentsHost): ErrorResponseDto {
    const errorId = randomUUID();
    const where = this.describeRequest(host);
    // read by shape: errors Node creates itself can come from another realm (Jest's VM context)
    const stack = (error as { stack?: unknown } | null)?.stack;
    this.logger.error(
      `Unhandled error ${errorId}${where}: ${String(error)}`,
      typeof stack === 'string' ? stack : String(error),
    );
    return errorBody(500, ErrorCode.Internal, 'Internal server error', { errorId });
  }

  private describeRequest(host: ArgumentsHost): string {
    if (host.getType() !== 'http') {
      return ` in ${host.getType()} handler`;
    }
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const path = loggablePath(request.url, request.routeOptions?.url);
    return ` on ${request.method} ${path} (request ${request.id})`;
  }
}
