import type { World } from './authorization-matrix.fixtures.js';
import { type MatrixRow, only, STAFF } from './authorization-matrix.rules.js';

/** A fresh open dispute by `client` on a fresh cash job in progress (no money in play). */
async function openDispute(w: World): Promise<string> {
  const jobId = await w.jobInProgress();
  const dispute = await w.t.http
    .post('/api/disputes')
    .set('Authorization', w.client.bearer)
    .send({ jobId, reason: 'poor_quality', description: 'The work is not what was agreed.' })
    .expect(201);
  return dispute.body.id as string;
}

/** Disputes (API.md "Disputes and cancellations"). */
export const DISPUTE_ROWS: readonly MatrixRow[] = [
  {
    method: 'POST',
    path: '/api/disputes',
    rule: 'the job’s client or hired craftsman (API.md Disputes); anyone else 403 (staff by role); a new job in progress after each call that went through',
    expect: only(['client', 'craftsman']),
    request: async (w) => ({
      path: '/api/disputes',
      body: {
        jobId: await w.untilUsed('disputableJob', () => w.jobInProgress()),
        reason: 'incomplete',
        description: 'Half of it is not done.',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/disputes/mine',
    rule: 'clients and craftsmen, their own disputes (API.md Disputes); staff 403 by role',
    expect: only(['client', 'anotherClient', 'craftsman', 'anotherCraftsman']),
    request: () => Promise.resolve({ path: '/api/disputes/mine' }),
  },
  {
    method: 'GET',
    path: '/api/disputes/{id}',
    rule: 'its parties and staff (API.md Disputes); anyone else 403',
    expect: only(['client', 'craftsman', ...STAFF]),
    request: async (w) => ({
      path: `/api/disputes/${await w.shared('dispute', () => openDispute(w))}`,
    }),
  },
  {
    method: 'POST',
    path: '/api/disputes/{id}/evidence',
    rule: 'its parties (API.md Disputes); anyone else 403 (staff by role)',
    expect: only(['client', 'craftsman']),
    request: async (w) => ({
      path: `/api/disputes/${await w.shared('dispute', () => openDispute(w))}/evidence`,
      body: { text: 'Photos show the leak.' },
    }),
  },
  {
    method: 'GET',
    path: '/api/admin/disputes',
    rule: 'admin, moderator (API.md Disputes)',
    expect: only(STAFF),
    request: () => Promise.resolve({ path: '/api/admin/disputes', query: { sort: 'slaDue' } }),
  },
  {
    method: 'POST',
    path: '/api/admin/disputes/{id}/assign',
    rule: 'admin (not in API.md: the admin who takes a dispute, for the unassigned SLA alert); moderator 403',
    expect: only(['admin']),
    request: async (w) => ({
      path: `/api/admin/disputes/${await w.shared('dispute', () => openDispute(w))}/assign`,
    }),
  },
  {
    method: 'POST',
    path: '/api/admin/disputes/{id}/resolve',
    rule: 'admin (API.md Disputes); moderator 403; a new open dispute on a cash job after each call that went through',
    expect: only(['admin']),
    request: async (w) => ({
      path: `/api/admin/disputes/${await w.untilUsed('resolvableDispute', () => openDispute(w))}/resolve`,
      body: { outcome: 'no_payment', note: 'Both sides agreed to settle in cash.' },
    }),
  },
  {
    method: 'GET',
    path: '/api/admin/reports/disputes',
    rule: 'admin, moderator (API.md Disputes)',
    expect: only(STAFF),
    request: () =>
      Promise.resolve({
        path: '/api/admin/reports/disputes',
        query: { from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' },
      }),
  },
];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const DISPUTE_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // job, dispute insert, job move, the other party's notification (user, notification,
  // delivery, its send), the dispute marked moved, the job move's notifications to both
  // + 1: the daily rollup's guarded upsert `$inc` (reports: the dispute opened)
  'POST /api/disputes': 13,
  'GET /api/disputes/mine': 2,
  'GET /api/disputes/{id}': 1,
  // dispute, the guarded push, the other party's notification (job, user, notification, delivery, send)
  'POST /api/disputes/{id}/evidence': 7,
  'GET /api/admin/disputes': 2,
  // the guarded write, and the activity log’s entry: +3 (head read, insert, head move)
  'POST /api/admin/disputes/{id}/assign': 4,
  // dispute, job, claim, the cash job's fee looked up (given back if charged), job move (+ the
  // reviews' and notifications' listeners of the move), resolved, both parties' notifications;
  // the activity log’s entry: +3 (head read, insert, head move)
  // + 1: the daily rollup's guarded upsert `$inc` (reports: the job completed)
  'POST /api/admin/disputes/{id}/resolve': 22,
  'GET /api/admin/reports/disputes': 2,
};
