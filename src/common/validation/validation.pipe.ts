import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrors, FieldError } from '../errors/domain.error.js';
import { MAX_JSON_DEPTH } from '../http/json-body.js';

/** One `{field, message}` per bad field, nested fields as dotted paths (`location.lat`). */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints
      ? [{ field, message: Object.values(error.constraints).join('; ') }]
      : [];
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
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

/** The pipe below, refusing text with NUL characters first: no field of this API takes them. */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
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
 * becomes one `VALIDATION_FAILED` error listing each bad field.
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
