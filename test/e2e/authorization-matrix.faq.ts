import type { World } from './authorization-matrix.fixtures.js';
import { hex, type MatrixRow, only, PUBLIC, STAFF } from './authorization-matrix.rules.js';

/** A new English FAQ entry with a topic of its own. */
function faqEntryBody(): Record<string, unknown> {
  return {
    topic: `matrix-${hex()}`,
    language: 'en',
    question: 'Can I tip the craftsman in the app?',
    answer: 'Not yet: tips are paid in cash, directly to the craftsman.',
    keywords: ['tip', 'gratuity'],
  };
}

/** A fresh FAQ entry, added by the admin: its id. */
async function faqEntry(w: World): Promise<string> {
  const response = await w.t.http
    .post('/api/admin/faq')
    .set('Authorization', w.admin.bearer)
    .send(faqEntryBody())
    .expect(201);
  return response.body.id as string;
}

/** The FAQ assistant (API.md "Operations"). */
export const FAQ_ROWS: readonly MatrixRow[] = [
  {
    method: 'GET',
    path: '/api/faq/ask',
    rule: 'public (API.md Operations)',
    expect: PUBLIC,
    request: () =>
      Promise.resolve({ path: '/api/faq/ask', query: { q: 'ازاي اسحب فلوسي من المحفظة' } }),
  },
  {
    method: 'GET',
    path: '/api/faq',
    rule: 'public (API.md Operations)',
    expect: PUBLIC,
    request: () => Promise.resolve({ path: '/api/faq', query: { language: 'ar' } }),
  },
  {
    method: 'GET',
    path: '/api/admin/faq',
    rule: 'admin, moderator (API.md Operations: the staff who manage the FAQ)',
    expect: only(STAFF),
    request: () => Promise.resolve({ path: '/api/admin/faq' }),
  },
  {
    method: 'POST',
    path: '/api/admin/faq',
    rule: 'admin, moderator (API.md Operations); a topic of its own for each call',
    expect: only(STAFF),
    request: () => Promise.resolve({ path: '/api/admin/faq', body: faqEntryBody() }),
  },
  {
    method: 'PUT',
    path: '/api/admin/faq/{id}',
    rule: 'admin, moderator (API.md Operations)',
    expect: only(STAFF),
    request: async (w) => ({
      path: `/api/admin/faq/${await w.shared('faqEntry', () => faqEntry(w))}`,
      body: { answer: 'Edited by the matrix: tips are paid in cash.' },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/admin/faq/{id}',
    rule: 'admin, moderator (API.md Operations); a new entry after each call that went through',
    expect: only(STAFF),
    request: async (w) => ({
      path: `/api/admin/faq/${await w.untilUsed('faqEntry', () => faqEntry(w))}`,
    }),
  },
];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const FAQ_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // the index is in memory: at most the stamp's read (once a second), none most of the time
  'GET /api/faq/ask': 1,
  'GET /api/faq': 2, // the page, its count
  'GET /api/admin/faq': 2,
  // the write, the new stamp, the entries read back into this instance's index; the activity
  // log's head read, entry and head move (3)
  'POST /api/admin/faq': 6,
  'PUT /api/admin/faq/{id}': 6,
  'DELETE /api/admin/faq/{id}': 6,
};
