import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * How long a text may be, in Unicode code points: what people mean by characters ("😀" is one;
 * JavaScript's `length` and Mongoose's `maxlength` count UTF-16 units and make it two). Every
 * limit on people's text is one of `TEXT_LIMITS`, checked by `TextLength` on the request and by
 * `textLengthValidator` on the schema, so the two can never disagree.
 */
export interface TextLimit {
  /** Code points, inclusive; none when absent. */
  readonly min?: number;
  /** Code points, inclusive. */
  readonly max: number;
}

/** Every limit on text that people write, in code points: one place for the DTOs and schemas. */
export const TEXT_LIMITS = {
  personName: { min: 1, max: 60 },
  address: { max: 500 },
  bio: { max: 2000 },
  jobTitle: { min: 3, max: 120 },
  jobDescription: { min: 10, max: 5000 },
  quoteNotes: { max: 2000 },
  invitationMessage: { max: 1000 },
  rejectionReason: { max: 500 },
  /** A ban's reason, a verification's rejection reason: told to the user. */
  moderationReason: { min: 3, max: 500 },
  messageText: { min: 1, max: 4000 },
  serviceName: { min: 2, max: 60 },
  serviceIcon: { max: 500 },
  serviceDescription: { max: 500 },
} as const satisfies Record<string, TextLimit>;

const HIGH_SURROGATE_FIRST = 0xd800;
const HIGH_SURROGATE_LAST = 0xdbff;
const LOW_SURROGATE_FIRST = 0xdc00;
const LOW_SURROGATE_LAST = 0xdfff;

function isPairAt(text: string, index: number): boolean {
  const high = text.charCodeAt(index);
  const low = text.charCodeAt(index + 1);
  return (
    high >= HIGH_SURROGATE_FIRST &&
    high <= HIGH_SURROGATE_LAST &&
    low >= LOW_SURROGATE_FIRST &&
    low <= LOW_SURROGATE_LAST
  );
}

/** The number of Unicode code points (a surrogate pair is one; a lone surrogate too). */
export function codePointLength(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (isPairAt(text, index)) {
      index += 1;
    }
    count += 1;
  }
  return count;
}

/** Whether `text` is within `limit` (code points); stops counting as soon as it knows. */
export function fitsTextLimit(text: string, limit: TextLimit): boolean {
  // each code point is one or two UTF-16 units: most texts are decided without counting
  if (text.length <= limit.max && (limit.min === undefined || text.length / 2 >= limit.min)) {
    return true;
  }
  if (text.length > 2 * limit.max) {
    return false;
  }
  const length = codePointLength(text);
  return length <= limit.max && (limit.min === undefined || length >= limit.min);
}

/** At most `max` code points of `text`, never half of a surrogate pair (previews, notifications). */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  let end = 0;
  for (let count = 0; count < max && end < text.length; count += 1) {
    end += isPairAt(text, end) ? 2 : 1;
  }
  return text.slice(0, end);
}

function describe(limit: TextLimit): string {
  return limit.min === undefined
    ? `at most ${limit.max} characters`
    : `${limit.min} to ${limit.max} characters`;
}

/**
 * The request's check of a text field against one of `TEXT_LIMITS` (instead of class-validator's
 * `MinLength`/`MaxLength`, which count differently). Documents the limit in the OpenAPI schema.
 * Non-strings pass here: `IsString` reports them.
 */
export function TextLength(limit: TextLimit, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: limit.min, maxLength: limit.max }),
    ValidateBy(
      {
        name: 'textLength',
        constraints: [limit],
        validator: {
          validate: (value: unknown) => typeof value !== 'string' || fitsTextLimit(value, limit),
          defaultMessage: (args) => `${args?.property ?? 'text'} must be ${describe(limit)} long`,
        },
      },
      options,
    ),
  );
}

/** The schema's check of the same limit, for `@Prop({ validate: textLengthValidator(...) })`. */
export function textLengthValidator(limit: TextLimit): {
  validator: (value: unknown) => boolean;
  message: (props: { path: string }) => string;
} {
  return {
    validator: (value: unknown) => typeof value !== 'string' || fitsTextLimit(value, limit),
    message: ({ path }) => `${path} must be ${describe(limit)} long`,
  };
}
