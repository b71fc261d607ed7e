import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FastifyReply, FastifyRequest, LogController } from 'fastify';
import { loggablePath } from './redact-secrets.js';

const CLIENT_REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * One log line per request, when it ends: method, path (without query and with secret route
 * parameters redacted, see `loggablePath`), status, time, and the user when known.
 * Fastify's default "incoming request" line is dropped; 4xx/5xx bodies are logged by the
 * exception filter instead.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // one line per request is enough; it is written when the request completes
  }

  override requestCompleted(
    error: Error | null,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: loggablePath(request.url, request.routeOptions?.url),
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
      userId: (request as { user?: { id?: string } }).user?.id,
    };
    if (error) {
      reply.log.error({ ...line, err: error }, 'request errored');
    } else if (reply.statusCode >= 500) {
      reply.log.error(line, 'request failed');
    } else {
      reply.log.info(line, 'request completed');
    }
  }

  override routeNotFound(): void {
    // the 404 is logged by requestCompleted like any other answer
  }
}

/** The caller's `x-request-id` when it looks like one, else a fresh UUID; echoed in the reply. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}
