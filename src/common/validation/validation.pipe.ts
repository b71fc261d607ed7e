import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { CommonErrors, FieldError, MAX_FIELD_ERRORS } from '../errors/domain.error.js';
import { MAX_JSON_DEPTH } from '../http/json-body.js';

/**
 * The most query parameters a request may send, repeats included: no route takes more than ten,
 * and each unknown one would cost the validation pipe a refusal of its own.
 */
export const MAX_QUERY_PARAMETERS = 50;

/**
 * One `{field, message}` per bad field, nested fields as dotted paths (`location.lat`), the first
 * `max` of them.
 */
export function toFieldErrors(
  errors: ValidationError[],
  parent = '',
  max = MAX_FIELD_ERRORS,
): FieldError[] {
  const found: FieldError[] = [];
  const collect = (list: ValidationError[], prefix: string): void => {
    for (const error of list) {
      if (found.length >= max) {
        return;
      }
      const field = prefix ? `${prefix}.${error.property}` : error.property;
      if (error.constraints) {
        found.push({ field, message: Object.values(error.constraints).join('; ') });
      }
      collect(error.children ?? [], field);
    }
  };
  collect(errors, parent);
  return found;
}

/** Where a NUL character hides in a body or query (MongoDB cannot take it in a regex). */
export function nulCharacterAt(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path || 'value' : undefined;
  }
  // parsed JSON nests 32 levels at most (json-body.ts); deeper is not a request's data
  if (value === null || typeof value !== 'object' || depth > MAX_JSON_DEPTH) {
    return undefined;
  }
  for (const [key, field] of Object.entries(value)) {
    const found = nulCharacterAt(field, path ? `${path}.${key}` : key, depth + 1);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** How many parameters a parsed query string holds, each repeat of a name counted. */
export function queryParameterCount(query: unknown): number {
  if (query === null || typeof query !== 'object') {
    return 0;
  }
  return Object.values(query).reduce<number>(
    (count, value) => count + (Array.isArray(value) ? value.length : 1),
    0,
  );
}

/**
 * The pipe below, refusing first what no request of this API sends: text with NUL characters,
 * and query strings of more parameters than any route takes (which the pipe would otherwise
 * refuse one by one).
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && queryParameterCount(value) > MAX_QUERY_PARAMETERS) {
      throw new BadRequestException(
        `The query string has more than ${MAX_QUERY_PARAMETERS} parameters`,
      );
    }
    // what clients send; not the framework's own objects (a gateway's socket, for one)
    const sent = metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param';
    const field = sent ? nulCharacterAt(value) : undefined;
    if (field) {
      throw CommonErrors.validation([
        { field, message: `${field} must not contain NUL characters` },
      ]);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Unknown fields are refused, known ones converted to their declared types; every failure
 * becomes one `VALIDATION_FAILED` error listing the bad fields (at most `MAX_FIELD_ERRORS`).
 */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => CommonErrors.validation(toFieldErrors(errors)),
  });
}
