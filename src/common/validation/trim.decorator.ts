import { Transform } from 'class-transformer';

/** Surrounding whitespace is dropped before validation (pasted emails, names). */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() : value,
  );
}
