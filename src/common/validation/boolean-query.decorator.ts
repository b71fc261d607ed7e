import { Transform } from 'class-transformer';

/** `?flag=true|false` as a boolean; anything else is left for `@IsBoolean()` to refuse. */
export function BooleanQuery(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );
}
