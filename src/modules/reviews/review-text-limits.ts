import type { TextLimit } from '../../common/validation/text-length.js';

/** The limits on what people write in reviews, in code points (API.md "Reviews"). */
export const REVIEW_TEXT_LIMITS = {
  comment: { max: 2000 },
  privateNote: { max: 1000 },
  response: { min: 1, max: 2000 },
} as const satisfies Record<string, TextLimit>;
