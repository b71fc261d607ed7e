import { BadRequestException } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** No request of this API nests deeper; deeper bodies only serve to exhaust the stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * The most keys one object of a body may have. The widest legitimate object is the notification
 * preferences map (one key per event type, a few dozen); anything wider only makes class-transformer
 * and class-validator work (and answer) per key.
 */
export const MAX_JSON_KEYS_PER_OBJECT = 100;

/**
 * The most object keys and array items a whole body may hold. The largest legitimate body is
 * `POST /notifications/mark-read` with 500 ids.
 */
export const MAX_JSON_MEMBERS = 2000;

export interface JsonShapeLimits {
  maxDepth: number;
  maxKeysPerObject: number;
  maxMembers: number;
}

export const JSON_SHAPE_LIMITS: JsonShapeLimits = {
  maxDepth: MAX_JSON_DEPTH,
  maxKeysPerObject: MAX_JSON_KEYS_PER_OBJECT,
  maxMembers: MAX_JSON_MEMBERS,
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isJsonWhitespace(char: number): boolean {
  return char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
}

/**
 * What makes JSON text too big in shape for any request of this API, as a sentence; `undefined`
 * when it is within `limits`. One pass over the text, before it is parsed: nesting depth, keys
 * per object (counted by their `:`), and object keys plus array items in all. Malformed text is
 * measured as far as it goes and left to the parser.
 */
export function jsonShapeProblem(
  text: string,
  limits: JsonShapeLimits = JSON_SHAPE_LIMITS,
): string | undefined {
  // per open container: its key count (objects) or -1 (arrays)
  const keys: number[] = [];
  let members = 0;
  let arrayJustOpened = false;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (char === BACKSLASH) {
        escaped = true;
      } else if (char === QUOTE) {
        inString = false;
      }
      continue;
    }
    if (isJsonWhitespace(char)) {
      continue;
    }
    if (arrayJustOpened) {
      // an array's first item has no comma before it
      arrayJustOpened = false;
      if (char !== CLOSE_ARRAY) {
        members += 1;
      }
    }
    switch (char) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        keys.push(char === OPEN_OBJECT ? 0 : -1);
        arrayJustOpened = char === OPEN_ARRAY;
        if (keys.length > limits.maxDepth) {
          return `The body nests deeper than ${limits.maxDepth} levels`;
        }
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        keys.pop();
        break;
      case COLON:
        if (keys.length > 0 && keys[keys.length - 1] >= 0) {
          keys[keys.length - 1] += 1;
          members += 1;
          if (keys[keys.length - 1] > limits.maxKeysPerObject) {
            return `An object of the body has more than ${limits.maxKeysPerObject} keys`;
          }
        }
        break;
      case COMMA:
        if (keys.length > 0 && keys[keys.length - 1] < 0) {
          members += 1;
        }
        break;
      default:
        break;
    }
    if (members > limits.maxMembers) {
      return `The body has more than ${limits.maxMembers} keys and array items`;
    }
  }
  return undefined;
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

/** Zero bytes or only whitespace: what many clients send with `Content-Type: application/json`. */
export function isEmptyBody(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    if (!isJsonWhitespace(text.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `@KeepRawBody()`: the route gets the body's bytes as `request.rawBody`. */
    rawBody?: boolean;
  }
}

/** A request that kept the bytes of its body (`rawBody`), for a signature over them. */
export type RawBodyRequest = FastifyRequest & { rawBody?: Buffer };

/**
 * The route's JSON body is also kept as the exact bytes received (`RawBodyRequest.rawBody`),
 * for a signature computed over them (Stripe's webhooks): re-serialising the parsed body would
 * not give the same bytes.
 */
export function KeepRawBody(): MethodDecorator {
  return RouteConfig({ rawBody: true });
}

/**
 * JSON bodies: Fastify's own parser (which refuses `__proto__` and `constructor` poisoning),
 * behind the shape limits above, so that no body makes the validation pipe work per key by the
 * ten thousand. An empty body is no body (`undefined`, as without a content type), not a 400.
 * Other content types get 415.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  // Fastify's default parser is the callback kind
  const parse = fastify.getDefaultJsonParser('error', 'error') as (
    request: FastifyRequest,
    body: string,
    done: (error: Error | null, value?: unknown) => void,
  ) => void;
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (request.routeOptions.config.rawBody) {
      (request as RawBodyRequest).rawBody = bytes;
    }
    const text = bytes.toString('utf8');
    if (isEmptyBody(text)) {
      done(null, undefined);
      return;
    }
    const problem = jsonShapeProblem(text);
    if (problem) {
      done(new BadRequestException(problem), undefined);
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
