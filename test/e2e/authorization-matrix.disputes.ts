import type { MatrixRow } from './authorization-matrix.rules.js';

/** Disputes (API.md "Disputes and cancellations"). */
export const DISPUTE_ROWS: readonly MatrixRow[] = [];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const DISPUTE_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {};
