import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { mixedScriptPartOf, normalizeEmail } from '../identity/email.js';
import { stripInvisible } from '../identity/text.js';

/**
 * Emails are validated and stored in their one normalized spelling (identity/email.ts):
 * full-width letters folded, invisible characters removed, trimmed, lower-cased. Applies to each
 * string of an array too.
 */
export function NormalizeEmail(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (Array.isArray(value)) {
      return value.map((item: unknown) => (typeof item === 'string' ? normalizeEmail(item) : item));
    }
    return typeof value === 'string' ? normalizeEmail(value) : value;
  });
}

/** Names: invisible characters (zero-width spaces, joiners, bidi controls...) dropped, trimmed. */
export function StripInvisible(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? stripInvisible(value) : value,
  );
}

function mixedScriptMessage(args: ValidationArguments): string {
  const values: unknown[] = Array.isArray(args.value) ? args.value : [args.value];
  const offending = values.find(
    (value) => typeof value === 'string' && mixedScriptPartOf(value) !== null,
  ) as string | undefined;
  const part = offending ? mixedScriptPartOf(offending) : 'address';
  return `${args.property} mixes alphabets in its ${part} (e.g. a Cyrillic letter among Latin ones), so it could pass for another address; write each part in one alphabet`;
}

/**
 * Refuses an address whose local part or a domain label mixes scripts (`аdmin@example.com`
 * with a Cyrillic `а`): such an address displays like another one.
 */
export function IsSingleScriptEmail(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSingleScriptEmail',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !mixedScriptPartOf(value),
        defaultMessage: mixedScriptMessage,
      },
    },
    options,
  );
}
