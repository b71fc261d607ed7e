import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CommonErrors } from '../errors/domain.error.js';

/** The longest Idempotency-Key accepted (Stripe's limit is 255; ours fits a UUID with room). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/**
 * The request's `Idempotency-Key` header (undefined when absent), checked: 1 to 200 characters.
 *
 * @throws DomainError VALIDATION_FAILED (400) naming `Idempotency-Key`
 */
export function checkedIdempotencyKey(key: unknown): string | undefined {
  if (key === undefined) {
    return undefined;
  }
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw CommonErrors.validation([
      {
        field: 'Idempotency-Key',
        message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      },
    ]);
  }
  return key;
}

/** Route parameter: the checked `Idempotency-Key` header (`checkedIdempotencyKey`). */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    checkedIdempotencyKey(
      context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'],
    ),
);

/** The header in the OpenAPI document, with what a retry with the same key does. */
export function ApiIdempotencyKey(description: string): MethodDecorator {
  return ApiHeader({ name: 'idempotency-key', required: false, description });
}
