import { type MatrixRow, only, STAFF } from './authorization-matrix.rules.js';

/** The operators' activity log and users' histories (API.md "Operations"). */
export const ACTIVITY_ROWS: readonly MatrixRow[] = [
  {
    method: 'GET',
    path: '/api/admin/activity-log',
    rule: 'admin only (API.md Operations: moderator 403)',
    expect: only(['admin']),
    request: () => Promise.resolve({ path: '/api/admin/activity-log', query: { limit: 20 } }),
  },
  {
    method: 'GET',
    path: '/api/admin/activity-log/verify',
    rule: 'admin only, as the log it checks (API.md Operations: moderator 403)',
    expect: only(['admin']),
    request: () => Promise.resolve({ path: '/api/admin/activity-log/verify' }),
  },
  {
    method: 'GET',
    path: '/api/admin/users/{userId}/history',
    rule: 'admin and moderator (API.md Operations); the matrix’s craftsman, who has a bit of everything',
    expect: only(STAFF),
    request: (w) =>
      Promise.resolve({
        path: `/api/admin/users/${w.craftsman.user.id}/history`,
        query: { limit: 20 },
      }),
  },
];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const ACTIVITY_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // the page and its count
  'GET /api/admin/activity-log': 2,
  // the head, then the entries in chain order: one find, and a getMore per 1,000 entries
  'GET /api/admin/activity-log/verify': 3,
  // the user, then a page of each source a craftsman has: jobs, quotes, invitations, reviews
  // (written, received), disputes, wallet, activity (about him, by him)
  'GET /api/admin/users/{userId}/history': 10,
};
