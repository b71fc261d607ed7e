import type { MatrixRow } from './authorization-matrix.rules.js';

/** Reviews (API.md "Reviews (double-blind)"). */
export const REVIEW_ROWS: readonly MatrixRow[] = [];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const REVIEW_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {};
