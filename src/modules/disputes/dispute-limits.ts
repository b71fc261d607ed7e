import type { TextLimit } from '../../common/validation/text-length.js';

/** A dispute's description and an evidence text, in code points. */
export const DISPUTE_TEXT: TextLimit = { min: 1, max: 4000 };
/** An admin's resolution note, in code points. */
export const RESOLUTION_NOTE: TextLimit = { min: 1, max: 2000 };
/** The widest report range: a year and a day. */
export const MAX_REPORT_RANGE_MS = 366 * 24 * 3_600_000;
