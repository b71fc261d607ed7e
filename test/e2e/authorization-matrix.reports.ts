import { type MatrixRow, only } from './authorization-matrix.rules.js';

/** A month of Cairo days: the report and the rebuild read and write one rollup per day at most. */
const RANGE = { from: '2026-11-01', to: '2026-11-30' };

/** Reports (API.md "Operations"). */
export const REPORT_ROWS: readonly MatrixRow[] = [
  {
    method: 'GET',
    path: '/api/admin/reports/overview',
    rule: 'admin only (API.md Operations); moderator 403',
    expect: only(['admin']),
    request: () =>
      Promise.resolve({
        path: '/api/admin/reports/overview',
        query: { ...RANGE, granularity: 'week' },
      }),
  },
  {
    method: 'POST',
    path: '/api/admin/reports/rebuild',
    rule: 'admin only (not in API.md: the reports’ repair, beside the overview); moderator 403',
    expect: only(['admin']),
    request: () => Promise.resolve({ path: '/api/admin/reports/rebuild', body: RANGE }),
  },
];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const REPORT_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // the days' rollups by _id, the fee debt before them
  'GET /api/admin/reports/overview': 2,
  // jobs, invitations and ledger entries of the range (a cursor each, one batch here), the
  // deadlines of the payouts among them, the days replaced and the empty ones removed (one bulk
  // write, two commands)
  'POST /api/admin/reports/rebuild': 6,
};
