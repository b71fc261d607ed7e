import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** No request of this API nests deeper; deeper bodies only serve to exhaust the stack. */
export const MAX_JSON_DEPTH = 32;

/** Whether JSON text nests objects and arrays deeper than `max`; one pass, no parsing. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (char === 0x5c) {
        escaped = true;
      } else if (char === 0x22) {
        inString = false;
      }
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > max) {
        return true;
      }
    } else if (char === 0x7d || char === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first key anywhere in the value that names an object's internals. */
export function reservedKeyIn(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  for (const [key, field] of Object.entries(value)) {
    const found = RESERVED_KEYS.has(key) ? key : reservedKeyIn(field);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/**
 * JSON bodies: Fastify's own parser (which refuses `__proto__` and `constructor` poisoning),
 * behind a nesting limit. Other content types get 415.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  // Fastify's default parser is the callback kind
  const parse = fastify.getDefaultJsonParser('error', 'error') as (
    request: FastifyRequest,
    body: string,
    done: (error: Error | null, value?: unknown) => void,
  ) => void;
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new BadRequestException(`The body nests deeper than ${MAX_JSON_DEPTH} levels`),
        undefined,
      );
      return;
    }
    parse(request, text, (error, value) => {
      if (error) {
        done(new BadRequestException('The body is not valid JSON'), undefined);
        return;
      }
      const reserved = reservedKeyIn(value);
      done(
        reserved ? new BadRequestException(`The body uses a reserved key: ${reserved}`) : null,
        value,
      );
    });
  });
}
