import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * A field holding an object of `type` (with `each`: an array of them), validated field by field.
 * `@ValidateNested()` alone takes an array where an object belongs, validates its elements, and
 * so lets `[]`, `[[...]]` or `[{...}]` through to the service; `@IsObject()` refuses them
 * (`location must be an object`, `each value in docs must be an object`).
 */
export function NestedObject(
  type: () => new () => object,
  { each = false } = {},
): PropertyDecorator {
  return applyDecorators(IsObject({ each }), ValidateNested({ each }), Type(type));
}
