import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors/error-response.js';
import { errorCodeOfStatus } from '../errors/error-status.js';

/**
 * What Fastify's router refuses before Nest sees the request (a path that is not valid URL
 * encoding, a path parameter over the length limit), answered in the API's error body, without
 * echoing the path.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 400;
  const message = status === 414 ? 'A path parameter is too long' : 'The URL is not valid';
  void reply.status(status).send(errorBody(status, errorCodeOfStatus(status), message));
}

/**
 * What Node's HTTP parser refuses before Fastify routes anything (headers or URL over 16 KB,
 * malformed requests): the same error body, then the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message =
    status === 431 ? 'The request line or headers are too large' : 'The request is malformed';
  const body = JSON.stringify(errorBody(status, errorCodeOfStatus(status), message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
