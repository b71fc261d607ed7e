import { ValidateIf } from 'class-validator';

/**
 * The field may be left out; when it is sent, it is validated, `null` included. (class-validator's
 * `@IsOptional()` also lets `null` through unchecked, which the services do not expect.)
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object: unknown, value: unknown) => value !== undefined);
}
