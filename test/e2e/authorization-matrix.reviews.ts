import type { World } from './authorization-matrix.fixtures.js';
import { ANYONE, type MatrixRow, only, STAFF } from './authorization-matrix.rules.js';

/** A fresh job of `client` with `craftsman` hired, done and completed by the client. */
async function completedJob(w: World): Promise<string> {
  const jobId = await w.jobInProgress();
  await w.t.http
    .patch(`/api/jobs/${jobId}/status`)
    .set('Authorization', w.client.bearer)
    .send({ status: 'completed' })
    .expect(200);
  return jobId;
}

/** The client's review of a fresh completed job, hidden (the craftsman has not reviewed). */
async function hiddenReview(w: World): Promise<string> {
  const jobId = await completedJob(w);
  const review = await w.t.http
    .post('/api/reviews')
    .set('Authorization', w.client.bearer)
    .send({ jobId, rating: 4, comment: 'Tidy and on time' })
    .expect(201);
  return review.body.id as string;
}

/** The client's review of a fresh completed job, published (both sides reviewed). */
async function publishedReview(w: World): Promise<{ jobId: string; reviewId: string }> {
  const jobId = await completedJob(w);
  const review = await w.t.http
    .post('/api/reviews')
    .set('Authorization', w.client.bearer)
    .send({ jobId, rating: 5 })
    .expect(201);
  await w.t.http
    .post('/api/reviews')
    .set('Authorization', w.craftsman.bearer)
    .send({ jobId, rating: 5 })
    .expect(201);
  return { jobId, reviewId: review.body.id as string };
}

/** Reviews (API.md "Reviews (double-blind)"). */
export const REVIEW_ROWS: readonly MatrixRow[] = [
  {
    method: 'POST',
    path: '/api/reviews',
    rule: 'the job’s client or hired craftsman (API.md Reviews); anyone else 403 (staff by role); a new completed job after each call that went through',
    expect: only(['client', 'craftsman']),
    request: async (w) => ({
      path: '/api/reviews',
      body: { jobId: await w.untilUsed('completedJob', () => completedJob(w)), rating: 4 },
    }),
  },
  {
    method: 'PUT',
    path: '/api/reviews/{id}',
    rule: 'its author while hidden (API.md Reviews); the reviewee and anyone else 403',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/reviews/${await w.shared('hiddenReview', () => hiddenReview(w))}`,
      body: { rating: 3 },
    }),
  },
  {
    method: 'POST',
    path: '/api/reviews/{id}/response',
    rule: 'the reviewee of a published review, once (API.md Reviews); anyone else 403; a new published review after each call that went through',
    expect: only(['craftsman']),
    request: async (w) => ({
      path: `/api/reviews/${(await w.untilUsed('publishedReview', () => publishedReview(w))).reviewId}/response`,
      body: { text: 'Thank you' },
    }),
  },
  {
    method: 'GET',
    path: '/api/users/{userId}/reviews',
    rule: 'anyone signed in: published reviews are public (API.md Reviews)',
    expect: only(ANYONE),
    request: async (w) => {
      await w.shared('publishedForList', () => publishedReview(w));
      return { path: `/api/users/${w.craftsman.user.id}/reviews` };
    },
  },
  {
    method: 'GET',
    path: '/api/jobs/{jobId}/reviews',
    rule: 'the job’s parties (their own and published ones) and staff (all) (API.md Reviews); anyone else 403',
    expect: only(['client', 'craftsman', ...STAFF]),
    request: async (w) => ({
      path: `/api/jobs/${(await w.shared('publishedForList', () => publishedReview(w))).jobId}/reviews`,
    }),
  },
];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const REVIEW_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // the first side's review: the job, the insert, review.received to the other side (recipient
  // and reviewer read, notification, delivery), the pair's check
  'POST /api/reviews': 8,
  'PUT /api/reviews/{id}': 2,
  'POST /api/reviews/{id}/response': 2,
  'GET /api/users/{userId}/reviews': 2,
  'GET /api/jobs/{jobId}/reviews': 2,
};
