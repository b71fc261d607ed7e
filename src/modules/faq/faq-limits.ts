import type { TextLimit } from '../../common/validation/text-length.js';

/** The limits on FAQ text, in code points (as `TEXT_LIMITS`): the request's and the schema's. */
export const FAQ_TEXT_LIMITS = {
  /** `GET /faq/ask?q=`: a question as people type it. */
  ask: { min: 1, max: 300 },
  question: { min: 3, max: 300 },
  answer: { min: 10, max: 4000 },
  keyword: { min: 1, max: 60 },
} as const satisfies Record<string, TextLimit>;

/** At most this many keywords on an entry. */
export const FAQ_MAX_KEYWORDS = 30;

/** A topic: lower-case words joined by hyphens ("cash-jobs-fee"), shared by its languages. */
export const FAQ_TOPIC_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The longest topic. */
export const FAQ_TOPIC_MAX_LENGTH = 60;
