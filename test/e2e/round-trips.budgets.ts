import { ACTIVITY_ROUND_TRIP_BUDGETS } from './authorization-matrix.activity.js';
import { CONTACT_ROUND_TRIP_BUDGETS } from './authorization-matrix.contact.js';
import { FAQ_ROUND_TRIP_BUDGETS } from './authorization-matrix.faq.js';
import { FILES_ROUND_TRIP_BUDGETS } from './authorization-matrix.files.js';
import { DISPUTE_ROUND_TRIP_BUDGETS } from './authorization-matrix.disputes.js';
import { PRIVACY_ROUND_TRIP_BUDGETS } from './authorization-matrix.privacy.js';
import { REPORT_ROUND_TRIP_BUDGETS } from './authorization-matrix.reports.js';
import { REVIEW_ROUND_TRIP_BUDGETS } from './authorization-matrix.reviews.js';

/**
 * MongoDB commands each route may send (round-trips.e2e-spec.ts): from the request until the app
 * is quiet again, its listeners, notification fan-out and the sending of the deliveries it
 * wrote included, with a warm cache of the caller's session. Each is what the route sends
 * today: a change that adds a round trip fails here with the list of commands, and lowers the
 * number here when it saves one. A list page sends at most 3: the page, its count and one
 * batched read of what it embeds (a job's own lists: the job's check, then the page with its
 * count in one `$facet`, then the users).
 *
 * The first figures of issue 13 (notification fan-out included) and the goals it set are in
 * bench/RESULTS.md ("Round trips per route").
 */
export const ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // the activity log’s entry of the registration: +3 (head read, insert, head move)
  'POST /api/auth/register': 10,
  'POST /api/auth/login': 2,
  'GET /api/auth/session': 0, // the no-op, goal 0: met
  'POST /api/auth/logout': 1,
  'POST /api/auth/forgot-password': 3,
  'POST /api/auth/reset-password': 3,
  'POST /api/auth/verify-email': 2,
  'POST /api/auth/resend-verification': 3,
  'PATCH /api/users/me/password': 3,
  'GET /api/users/me': 1,
  'PUT /api/users/me': 2,
  'GET /api/users': 2,
  // the craftsman (his earlier documents), his uploads read and attached, the request written
  'POST /api/users/craftsman/verification': 4,
  'GET /api/users/{userId}': 1,
  'GET /api/users/recommendations': 4,
  'GET /api/services': 1,
  // the write, and the activity log’s entry: +3 (head read, insert, head move)
  'POST /api/services': 4,
  'PUT /api/services/{id}': 4,
  'DELETE /api/services/{id}': 4,
  // + 1: the daily rollup's guarded upsert `$inc` (reports), here and on each route below marked so
  'POST /api/jobs': 4,
  'GET /api/jobs': 3,
  'GET /api/jobs/{jobId}': 2,
  'PUT /api/jobs/{jobId}': 4,
  'DELETE /api/jobs/{jobId}': 10, // + 1 rollup
  // the matrix's move is a party's → disputed, which opens the dispute too (its record, the
  // other party's notification): 7 before disputes, goal 8 for a plain move
  'PATCH /api/jobs/{jobId}/status': 12, // + 1 rollup (the dispute opened)
  // the move, then job.completion_requested to the client (the craftsman's name in it)
  'POST /api/jobs/{jobId}/request-completion': 7,
  // goal 8: 3 over; on a cash job (the default) one of them reads the craftsman's fees owed
  'POST /api/jobs/{jobId}/quotes': 12, // + 1 rollup (the first quote)
  'GET /api/jobs/{jobId}/quotes': 3,
  'GET /api/quotes/mine': 3,
  // hire, goal 12: 6 over; on a cash job one of them reads the craftsman's fees owed
  'POST /api/jobs/{jobId}/quotes/{quoteId}/accept': 19, // + 1 rollup (the hire)
  'POST /api/jobs/{jobId}/quotes/{quoteId}/confirm': 8,
  'GET /api/conversations': 2,
  'GET /api/conversations/{id}/messages': 3,
  'POST /api/conversations/{id}/messages': 7, // goal 5: 2 over
  'POST /api/jobs/{jobId}/invite': 10, // goal 8 (issue 13): 1 over; + 1 rollup
  'POST /api/jobs/{jobId}/invitations/bulk': 11, // + 1 rollup per invitation sent
  'GET /api/jobs/{jobId}/invitations': 3,
  'GET /api/jobs/{jobId}/invitations/stats': 3,
  'POST /api/jobs/{jobId}/invitations/respond': 11, // + 1 rollup (accepted)
  'GET /api/invitations/sent': 3,
  'GET /api/invitations/received': 3,
  'GET /api/invitations/by-token/{token}': 3,
  'POST /api/invitations/respond-by-token': 8,
  'GET /api/invitations/{id}': 3,
  'POST /api/invitations/{id}/accept': 11, // goal 8: 2 over; + 1 rollup
  'POST /api/invitations/{id}/reject': 9,
  'POST /api/invitations/{id}/cancel': 9,
  'POST /api/invitations/{id}/resend': 8,
  'POST /api/jobs/{jobId}/invite-links': 2,
  'DELETE /api/jobs/{jobId}/invite-links/{linkId}': 2,
  'POST /api/invite-links/{token}/accept': 13,
  // a forced cancellation: the activity log’s entry, +3 (head read, insert, head move)
  'DELETE /api/admin/jobs/{jobId}': 13, // + 1 rollup
  // with an Idempotency-Key (one read); the job's live payment, the payer's name for the gateway
  'POST /api/payments/initiate': 6,
  'GET /api/payments/{id}': 1,
  // paid at the gateway: the hold (a 4-command ledger entry, the job's payment, the payment),
  // payment.held to payer and payee in one fan-out (the job, their users, one insert of each)
  'POST /api/payments/{id}/confirm': 13,
  // as confirm, plus the event's duplicate check and its record
  'POST /api/payments/webhook': 15,
  'POST /api/payments/webhook/stripe': 15,
  'POST /api/payments/webhook/fawry': 15,
  'GET /api/admin/payments': 2,
  'GET /api/wallet/balance': 1,
  'GET /api/wallet/transactions': 2,
  'POST /api/wallet/withdraw': 12,
  // the payment (its Idempotency-Key a unique index: no read), the payer's name, the charge
  'POST /api/wallet/top-up': 3,
  'GET /api/wallet/withdrawals': 2,
  'GET /api/admin/withdrawals': 2,
  // a payout marked, an adjustment: the activity log’s entry, +3 (head read, insert, head move)
  'POST /api/admin/withdrawals/{id}/mark-paid': 16, // + 1 rollup (the payout's entry)
  'POST /api/admin/withdrawals/{id}/mark-failed': 15,
  'POST /api/admin/wallets/{userId}/adjustments': 13,
  'GET /api/admin/ledger/check': 5,
  'GET /api/admin/users': 3, // the page, its count, the disputes each user opened
  // staff created, a ban, an unban, a verification decided: each +3 for the activity log’s entry
  // (head read, insert, head move)
  'POST /api/admin/users/create-admin': 4,
  'PATCH /api/admin/users/{userId}/ban': 11,
  'PATCH /api/admin/users/{userId}/unban': 5,
  'GET /api/admin/verifications': 2,
  'POST /api/admin/verifications/{id}/approve': 7,
  'POST /api/admin/verifications/{id}/reject': 7,
  'GET /api/notifications': 3,
  'GET /api/notifications/unread-count': 1,
  'POST /api/notifications/mark-read': 1,
  'POST /api/notifications/devices': 1,
  'DELETE /api/notifications/devices/{token}': 1,
  'GET /api/notifications/preferences': 1,
  'PUT /api/notifications/preferences': 1,
  ...REVIEW_ROUND_TRIP_BUDGETS,
  ...DISPUTE_ROUND_TRIP_BUDGETS,
  ...PRIVACY_ROUND_TRIP_BUDGETS,
  ...CONTACT_ROUND_TRIP_BUDGETS,
  ...FILES_ROUND_TRIP_BUDGETS,
  ...ACTIVITY_ROUND_TRIP_BUDGETS,
  ...REPORT_ROUND_TRIP_BUDGETS,
  ...FAQ_ROUND_TRIP_BUDGETS,
};

/** An idle instance with the default schedules (delivery poll backing off, minute sweeps). */
export const IDLE_COMMANDS_PER_SECOND = 1;
