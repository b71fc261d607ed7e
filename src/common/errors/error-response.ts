import { ArgumentsHost } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from './error-code.js';
import { ErrorResponseDto } from './error-response.dto.js';

export function errorBody(
  statusCode: number,
  code: ErrorCode,
  message: string,
  extra: Pick<ErrorResponseDto, 'details' | 'errorId'> = {},
): ErrorResponseDto {
  const body: ErrorResponseDto = { statusCode, code, message };
  if (extra.details !== undefined) {
    body.details = extra.details;
  }
  if (extra.errorId !== undefined) {
    body.errorId = extra.errorId;
  }
  return body;
}

/** Sends the body on whatever the context is: an HTTP reply, or a socket's `exception` event. */
export function sendErrorBody(host: ArgumentsHost, body: ErrorResponseDto): void {
  if (host.getType() === 'ws') {
    host
      .switchToWs()
      .getClient<{ emit(event: string, payload: unknown): void }>()
      .emit('exception', body);
    return;
  }
  const reply = host.switchToHttp().getResponse<FastifyReply>();
  if (reply.sent) {
    return;
  }
  void reply.status(body.statusCode).send(body);
}
