import { CronService } from '../../src/modules/cron/cron.service.js';
import { ReviewPublicationService } from '../../src/modules/reviews/review-publication.service.js';
import { ReviewsRepository } from '../../src/modules/reviews/reviews.repository.js';
import { FakeClock } from '../support/fake-clock.js';
import * as marketplace from '../support/marketplace.js';
import { balanceOf, completeJob } from '../support/money.js';
import {
  expectBalancedLedger,
  FakeGateways,
  hiredJob,
  initiate,
  move,
  paidJob as paidJobOf,
  payAtFawry as payAtFawryOf,
  type Payment,
  paymentOf,
} from '../support/payments.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 24 * 3600 * 1000;
const JUNK = 'not-an-id';
const MISSING = '65f0000000000000000000ff';

interface Review {
  id: string;
  job: string;
  reviewer: string;
  reviewee: string;
  rating: number;
  comment?: string;
  status: 'hidden' | 'published';
  revealAt: string;
  publishedAt: string | null;
  privateNote?: string;
}

/**
 * A tester's probes of double-blind reviews, disputes and their money (API.md "Reviews
 * (double-blind)", "Disputes and cancellations"): what a user or an attacker would try.
 */
describe('Trust breaker: reviews, disputes and their money', () => {
  const clock = new FakeClock();
  const gateways = new FakeGateways();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: { ...(await gateways.start()), RECOMMEND_UNVERIFIED: 'true' },
    });
  });

  beforeEach(async () => {
    // the clock only goes forward: a fresh session each test
    admin = await loginAsAdmin(t);
  });

  afterAll(async () => {
    await t?.close();
    await gateways.close();
  });

  afterEach(async () => {
    await expectBalancedLedger(t, admin);
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  function review(by: Session, body: Record<string, unknown>) {
    return t.http.post('/api/reviews').set(as(by)).send(body);
  }

  function openDispute(who: Session, jobId: string, reason = 'poor_quality') {
    return t.http
      .post('/api/disputes')
      .set(as(who))
      .send({ jobId, reason, description: 'The work is not what was agreed.' });
  }

  async function opened(who: Session, jobId: string, reason = 'poor_quality'): Promise<string> {
    return (await openDispute(who, jobId, reason).expect(201)).body.id as string;
  }

  function resolve(who: Session, id: string, body: Record<string, unknown>) {
    return t.http
      .post(`/api/admin/disputes/${id}/resolve`)
      .set(as(who))
      .send({ note: 'Decided on the evidence.', ...body });
  }

  function evidence(who: Session, id: string, body: Record<string, unknown>) {
    return t.http.post(`/api/disputes/${id}/evidence`).set(as(who)).send(body);
  }

  async function jobOf(viewer: Session, jobId: string) {
    return marketplace.getJob<{ id: string; status: string; completedAt: string | null }>(
      t,
      viewer,
      jobId,
    );
  }

  async function profile(user: Session, viewer: Session) {
    return (await t.http.get(`/api/users/${user.user.id}`).set(as(viewer)).expect(200)).body as {
      rating: number;
      ratingCount: number;
    };
  }

  async function jobReviews(jobId: string, viewer: Session): Promise<Review[]> {
    return (
      await t.http
        .get(`/api/jobs/${jobId}/reviews`)
        .set(as(viewer))
        .query({ limit: 100 })
        .expect(200)
    ).body.data as Review[];
  }

  /** A completed cash job between fresh parties. */
  async function completedCashJob() {
    const [client, craftsman] = await Promise.all([newClient(t), newCraftsman(t)]);
    const job = await completeJob(t, client, craftsman, { price: 20_000, paymentType: 'cash' });
    return { client, craftsman, job };
  }

  function payAtFawry(payment: Payment): Promise<void> {
    return payAtFawryOf(t, gateways, payment);
  }

  /** A hired escrow job paid at Fawry and held, moved on to `until`. */
  function paidJob(until: 'hired' | 'on_the_way' | 'in_progress' = 'in_progress', price = 10_000) {
    return paidJobOf(t, gateways, { until, price });
  }

  const expectValidation = (body: { code: string; details?: unknown[] }) => {
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(Array.isArray(body.details) && body.details.length > 0).toBe(true);
  };

  describe('reviews', () => {
    it('should refuse malformed review bodies with 400 VALIDATION_FAILED and details, creating nothing', async () => {
      const { client, craftsman, job } = await completedCashJob();
      const bad: Array<Record<string, unknown>> = [
        { jobId: job.id, rating: 0 },
        { jobId: job.id, rating: 6 },
        { jobId: job.id, rating: 4.5 },
        { jobId: job.id, rating: '5' },
        { jobId: job.id, rating: null },
        { jobId: job.id },
        { jobId: job.id, rating: 4, comment: 'x'.repeat(2001) },
        { jobId: job.id, rating: 4, privateNote: 'x'.repeat(1001) },
        { jobId: job.id, rating: 4, comment: 42 },
        { jobId: job.id, rating: 4, status: 'published' },
        { jobId: job.id, rating: 4, reviewee: client.user.id },
        { jobId: JUNK, rating: 4 },
        { rating: 4 },
      ];
      for (const body of bad) {
        const refused = await review(client, body);
        expect({ body, status: refused.status }).toEqual({ body, status: 400 });
        expectValidation(refused.body);
      }
      // the limits themselves are accepted
      const ok = await review(client, {
        jobId: job.id,
        rating: 1,
        comment: 'x'.repeat(2000),
        privateNote: 'y'.repeat(1000),
      }).expect(201);
      expect(ok.body.status).toBe('hidden');

      for (const body of [
        { rating: 4.5 },
        { rating: 0 },
        { comment: 'x'.repeat(2001) },
        { status: 'published' },
      ]) {
        const refused = await t.http.put(`/api/reviews/${ok.body.id}`).set(as(client)).send(body);
        expect({ body, status: refused.status }).toEqual({ body, status: 400 });
        expectValidation(refused.body);
      }
      // still hidden and unchanged: the other side sees nothing
      expect(await jobReviews(job.id, craftsman)).toEqual([]);
      expect((await jobReviews(job.id, client))[0]).toMatchObject({ rating: 1, status: 'hidden' });
    });

    it('should refuse staff writing reviews and a review on a job that is cancelled or still open', async () => {
      const { client, craftsman, job } = await completedCashJob();
      const moderator = await newModerator(t);
      await review(admin, { jobId: job.id, rating: 5 }).expect(403);
      await review(moderator, { jobId: job.id, rating: 5 }).expect(403);

      const cancelled = await marketplace.postJob(t, client);
      await marketplace.hire(t, client, cancelled.id, craftsman);
      await move(t, client, cancelled.id, 'cancelled');
      const refused = await review(client, { jobId: cancelled.id, rating: 1 }).expect(409);
      expect(refused.body.code).toBe('JOB_NOT_COMPLETED');
      const byCraftsman = await review(craftsman, { jobId: cancelled.id, rating: 1 }).expect(409);
      expect(byCraftsman.body.code).toBe('JOB_NOT_COMPLETED');

      const missing = await review(client, { jobId: MISSING, rating: 1 }).expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
    });

    it('should show privateNote to staff only: never to the reviewee, the public or back to its author', async () => {
      const { client, craftsman, job } = await completedCashJob();
      const note = 'PRIVATE-note-9c1e';
      const written = await review(client, { jobId: job.id, rating: 3, privateNote: note }).expect(
        201,
      );
      const edited = await t.http
        .put(`/api/reviews/${written.body.id}`)
        .set(as(client))
        .send({ privateNote: `${note}-edited` })
        .expect(200);
      await review(craftsman, { jobId: job.id, rating: 5, privateNote: note }).expect(201);
      const answered = await t.http
        .post(`/api/reviews/${written.body.id}/response`)
        .set(as(craftsman))
        .send({ text: 'Thank you' })
        .expect(201);

      const stranger = await newClient(t);
      const seen = [
        written.body,
        edited.body,
        answered.body,
        await jobReviews(job.id, client),
        await jobReviews(job.id, craftsman),
        (await t.http.get(`/api/users/${craftsman.user.id}/reviews`).set(as(stranger)).expect(200))
          .body,
        (await t.http.get(`/api/users/${client.user.id}/reviews`).set(as(craftsman)).expect(200))
          .body,
        (await t.http.get(`/api/users/${craftsman.user.id}`).set(as(stranger)).expect(200)).body,
        (
          await t.http
            .get('/api/notifications')
            .query({ limit: 100 })
            .set(as(craftsman))
            .expect(200)
        ).body,
      ];
      for (const body of seen) {
        expect(JSON.stringify(body)).not.toContain(note);
        expect(JSON.stringify(body)).not.toContain('privateNote');
      }
      const forStaff = await jobReviews(job.id, admin);
      expect(forStaff.map((r) => r.privateNote).sort()).toEqual([note, `${note}-edited`].sort());
      const forModerator = await jobReviews(job.id, await newModerator(t));
      expect(forModerator).toHaveLength(2);
    });

    it('should move no search rating nor recommendation score on a hidden review', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t, { firstName: `Zeyad${Date.now() % 100000}` });
      await t.http
        .put('/api/users/me')
        .set(as(craftsman))
        .send({ craftsmanInfo: { skills: ['Plumbing'], available: true } })
        .expect(200);
      // an earlier published review, so that the aggregate is not zero
      const first = await completeJob(t, client, craftsman, { price: 20_000 });
      await review(client, { jobId: first.id, rating: 5 }).expect(201);
      await review(craftsman, { jobId: first.id, rating: 5 }).expect(201);

      const second = await completeJob(t, client, craftsman, { price: 20_000 });
      const open = await marketplace.postJob(t, client);
      const snapshot = async () => {
        const search = await t.http
          .get('/api/users')
          .query({ role: 'craftsman', q: craftsman.user.firstName as string, limit: 100 })
          .set(as(client))
          .expect(200);
        const listed = (
          search.body.data as Array<{ id: string; rating: number; ratingCount: number }>
        ).find((u) => u.id === craftsman.user.id);
        const recommended = await t.http
          .get('/api/users/recommendations')
          .query({ jobId: open.id, limit: 50 })
          .set(as(client))
          .expect(200);
        const entry = (
          recommended.body.data as Array<{
            craftsman: { id: string };
            score: number;
            reasons: unknown;
          }>
        ).find((r) => r.craftsman.id === craftsman.user.id);
        return {
          listed: listed && { rating: listed.rating, ratingCount: listed.ratingCount },
          profile: await profile(craftsman, client),
          recommended: entry && { craftsman: entry.craftsman, reasons: entry.reasons },
        };
      };
      const before = await snapshot();
      expect(before.profile).toMatchObject({ rating: 5, ratingCount: 1 });
      expect(before.listed).toEqual({ rating: 5, ratingCount: 1 });
      expect(before.recommended?.craftsman).toMatchObject({ rating: 5, ratingCount: 1 });

      await review(client, { jobId: second.id, rating: 1, comment: 'Awful' }).expect(201);
      const after = await snapshot();
      expect(after).toEqual(before);
    });

    it('should let a reviewee answer once when he answers twice at the same moment', async () => {
      const { client, craftsman, job } = await completedCashJob();
      const { body } = await review(client, { jobId: job.id, rating: 4 }).expect(201);
      await review(craftsman, { jobId: job.id, rating: 4 }).expect(201);
      const answers = await Promise.all(
        ['One', 'Two', 'Three'].map((text) =>
          t.http.post(`/api/reviews/${body.id}/response`).set(as(craftsman)).send({ text }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
      const empty = await t.http
        .post(`/api/reviews/${body.id}/response`)
        .set(as(craftsman))
        .send({ text: '' })
        .expect(400);
      expectValidation(empty.body);
      // the craftsman cannot answer his own review of the client
      const own = (await jobReviews(job.id, craftsman)).find(
        (r) => r.reviewer === craftsman.user.id,
      );
      await t.http
        .post(`/api/reviews/${own?.id}/response`)
        .set(as(craftsman))
        .send({ text: 'Me again' })
        .expect(403);
    });

    it('should answer junk ids with 404 "Resource not found (invalid ID)" and unknown ones with 404', async () => {
      const { client } = await completedCashJob();
      const requests = [
        () => t.http.put(`/api/reviews/${JUNK}`).set(as(client)).send({ rating: 3 }),
        () => t.http.post(`/api/reviews/${JUNK}/response`).set(as(client)).send({ text: 'x' }),
        () => t.http.get(`/api/users/${JUNK}/reviews`).set(as(client)),
        () => t.http.get(`/api/jobs/${JUNK}/reviews`).set(as(client)),
        () => t.http.get(`/api/disputes/${JUNK}`).set(as(client)),
        () => t.http.post(`/api/disputes/${JUNK}/evidence`).set(as(client)).send({ text: 'x' }),
        () => resolve(admin, JUNK, { outcome: 'refund_client' }),
        () => t.http.post(`/api/admin/disputes/${JUNK}/assign`).set(as(admin)),
      ];
      for (const [index, request] of requests.entries()) {
        const answer = await request();
        expect({ index, status: answer.status, body: answer.body }).toEqual({
          index,
          status: 404,
          body: expect.objectContaining({
            code: 'NOT_FOUND',
            message: 'Resource not found (invalid ID)',
          }),
        });
      }
      const unknown = [
        () => t.http.put(`/api/reviews/${MISSING}`).set(as(client)).send({ rating: 3 }),
        () => t.http.post(`/api/reviews/${MISSING}/response`).set(as(client)).send({ text: 'x' }),
        () => t.http.get(`/api/jobs/${MISSING}/reviews`).set(as(client)),
        () => t.http.get(`/api/disputes/${MISSING}`).set(as(client)),
        () => t.http.post(`/api/disputes/${MISSING}/evidence`).set(as(client)).send({ text: 'x' }),
        () => resolve(admin, MISSING, { outcome: 'refund_client' }),
        () => openDispute(client, MISSING),
      ];
      for (const [index, request] of unknown.entries()) {
        const answer = await request();
        expect({ index, status: answer.status, code: answer.body.code }).toEqual({
          index,
          status: 404,
          code: 'NOT_FOUND',
        });
      }
    });

    it('should validate page and limit on every review and dispute list', async () => {
      const { client, craftsman, job } = await completedCashJob();
      const lists: Array<[Session, string]> = [
        [client, `/api/users/${craftsman.user.id}/reviews`],
        [client, `/api/jobs/${job.id}/reviews`],
        [client, '/api/disputes/mine'],
        [admin, '/api/admin/disputes'],
      ];
      for (const [who, url] of lists) {
        for (const query of [
          { page: 0 },
          { limit: 101 },
          { limit: 0 },
          { page: 'x' },
          { limit: 1.5 },
          { page: -1 },
        ]) {
          const answer = await t.http.get(url).query(query).set(as(who));
          expect({ url, query, status: answer.status, code: answer.body.code }).toEqual({
            url,
            query,
            status: 400,
            code: 'VALIDATION_FAILED',
          });
        }
        const fine = await t.http.get(url).query({ page: 1, limit: 100 }).set(as(who)).expect(200);
        expect(fine.body.pagination).toMatchObject({ page: 1, limit: 100 });
      }
      for (const query of [{ status: 'bogus' }, { sort: 'oldest' }]) {
        const answer = await t.http
          .get('/api/admin/disputes')
          .query(query)
          .set(as(admin))
          .expect(400);
        expect(answer.body.code).toBe('VALIDATION_FAILED');
      }
      await t.http.get('/api/admin/disputes').set(as(client)).expect(403);
      await t.http
        .get('/api/admin/disputes')
        .set(as(await newModerator(t)))
        .expect(200);
    });
  });

  describe('reviews and disputes together', () => {
    it('should not publish the pair when a dispute lands while the second review is being written', async () => {
      const { client, craftsman, job } = await completedCashJob();
      await review(client, { jobId: job.id, rating: 1, comment: 'Left a mess' }).expect(201);

      // the second review is held just before its publication; the client disputes meanwhile
      const repository = t.app.get(ReviewsRepository);
      const original = repository.dueNow.bind(repository);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let reached!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      repository.dueNow = async (...args: Parameters<typeof original>) => {
        reached();
        await gate;
        return original(...args);
      };
      try {
        const second = review(craftsman, { jobId: job.id, rating: 5 }).then((r) => r);
        await atGate;
        await openDispute(client, job.id).expect(201);
        release();
        expect((await second).status).toBe(201);
      } finally {
        repository.dueNow = original;
      }

      expect((await jobOf(client, job.id)).status).toBe('disputed');
      // "the job becomes disputed, ... review publication wait[s]"
      expect((await jobReviews(job.id, admin)).map((r) => r.status)).toEqual(['hidden', 'hidden']);
      expect(await jobReviews(job.id, craftsman)).toHaveLength(1);
      expect(await profile(craftsman, client)).toMatchObject({ rating: 0, ratingCount: 0 });
    });

    it('should hold a one-sided review past revealAt while disputed, and publish and count it once at the resolution', async () => {
      const { client, craftsman, job } = await completedCashJob();
      const written = (await review(client, { jobId: job.id, rating: 2 }).expect(201))
        .body as Review;
      const disputeId = await opened(craftsman, job.id);
      const frozen = await review(craftsman, { jobId: job.id, rating: 5 }).expect(409);
      expect(frozen.body.code).toBe('JOB_NOT_COMPLETED');
      // the author may still edit it while hidden; nothing shows
      await t.http
        .put(`/api/reviews/${written.id}`)
        .set(as(client))
        .send({ rating: 3 })
        .expect(200);

      clock.advance(new Date(written.revealAt).getTime() - clock.now().getTime() + 60_000);
      const sweep = () => t.app.get(ReviewPublicationService).sweep();
      await sweep();
      await t.app.get(CronService).publishReviews();
      expect(await jobReviews(job.id, craftsman)).toEqual([]);
      expect(await profile(craftsman, client)).toMatchObject({ rating: 0, ratingCount: 0 });
      const about = await t.http
        .get(`/api/users/${craftsman.user.id}/reviews`)
        .set(as(client))
        .expect(200);
      expect(about.body.data).toEqual([]);

      await resolve(admin, disputeId, { outcome: 'release_to_craftsman' }).expect(200);
      expect((await jobOf(client, job.id)).status).toBe('completed');
      const [published] = await jobReviews(job.id, craftsman);
      expect(published).toMatchObject({ id: written.id, status: 'published', rating: 3 });
      await sweep();
      clock.advance(5 * 60_000);
      await sweep();
      expect(await profile(craftsman, client)).toMatchObject({ rating: 3, ratingCount: 1 });
      // the published review can no longer be edited
      const late = await t.http
        .put(`/api/reviews/${written.id}`)
        .set(as(client))
        .send({ rating: 5 })
        .expect(409);
      expect(late.body.code).toBe('REVIEW_PUBLISHED');
    });

    it('should not let a side write his review after reading the other side’s, published at revealAt during a dispute', async () => {
      const { client, craftsman, job } = await completedCashJob();
      const written = (
        await review(client, { jobId: job.id, rating: 1, comment: 'Left a mess' }).expect(201)
      ).body as Review;
      const disputeId = await opened(client, job.id);
      clock.advance(new Date(written.revealAt).getTime() - clock.now().getTime() + 60_000);
      await t.app.get(ReviewPublicationService).sweep();
      await resolve(admin, disputeId, { outcome: 'release_to_craftsman' }).expect(200);

      // revealAt passed: the client's review is out, and the craftsman has read it
      const [seen] = await jobReviews(job.id, craftsman);
      expect(seen).toMatchObject({ id: written.id, status: 'published', comment: 'Left a mess' });
      // the job's review window (revealAt = completedAt + REVIEW_WINDOW) is over: a review
      // written now, knowing the other's, is no longer blind
      const late = await review(craftsman, { jobId: job.id, rating: 5 });
      expect({ status: late.status, code: late.body.code }).toEqual({
        status: 409,
        code: 'REVIEW_WINDOW_CLOSED',
      });
    });

    it('should keep a pair published before the dispute published, and count it once', async () => {
      const { client, craftsman, job } = await completedCashJob();
      await review(client, { jobId: job.id, rating: 4 }).expect(201);
      await review(craftsman, { jobId: job.id, rating: 4 }).expect(201);
      const disputeId = await opened(client, job.id);
      // published reviews stay published; answering one is still possible while disputed
      expect((await jobReviews(job.id, craftsman)).map((r) => r.status)).toEqual([
        'published',
        'published',
      ]);
      await resolve(admin, disputeId, { outcome: 'no_payment' }).expect(200);
      expect(await profile(craftsman, client)).toMatchObject({ rating: 4, ratingCount: 1 });
      expect(await profile(client, craftsman)).toMatchObject({ rating: 4, ratingCount: 1 });
    });
  });

  describe('disputes', () => {
    it('should refuse a dispute on a job quoted, cancelled or already disputed, and by staff', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const quoted = await marketplace.postJob(t, client);
      await t.http
        .post(`/api/jobs/${quoted.id}/quotes`)
        .set(as(craftsman))
        .send({ price: 10_000 })
        .expect(201);
      // the craftsman who only quoted is no party
      await openDispute(craftsman, quoted.id).expect(403);
      const onQuoted = await openDispute(client, quoted.id).expect(409);
      expect(onQuoted.body.code).toBe('JOB_NOT_DISPUTABLE');

      const cancelled = await marketplace.postJob(t, client);
      await marketplace.hire(t, client, cancelled.id, craftsman);
      await move(t, client, cancelled.id, 'cancelled');
      for (const who of [client, craftsman]) {
        const refused = await openDispute(who, cancelled.id).expect(409);
        expect(refused.body.code).toBe('JOB_NOT_DISPUTABLE');
      }

      const { client: c2, craftsman: k2, job } = await completedCashJob();
      await opened(c2, job.id);
      for (const who of [c2, k2]) {
        const again = await openDispute(who, job.id).expect(409);
        expect(again.body.code).toBe('DISPUTE_EXISTS');
      }
      const patched = await move(t, k2, job.id, 'disputed', 409);
      expect(patched.body.code).toBe('INVALID_STATUS_TRANSITION');
      const moderator = await newModerator(t);
      await openDispute(moderator, job.id).expect(403);
      await openDispute(admin, job.id).expect(403);
      const mine = await t.http.get('/api/disputes/mine').set(as(k2)).expect(200);
      expect(mine.body.pagination.totalItems).toBe(1);
    });

    it('should refuse a completed job disputed after DISPUTE_WINDOW', async () => {
      const { client, job } = await completedCashJob();
      clock.advance(14 * DAY + 60_000);
      const refused = await openDispute(client, job.id).expect(409);
      expect(refused.body.code).toBe('DISPUTE_WINDOW_CLOSED');
      const patched = await move(t, client, job.id, 'disputed', 409);
      expect(patched.body.code).toBe('DISPUTE_WINDOW_CLOSED');
      expect((await jobOf(client, job.id)).status).toBe('completed');
    });

    it('should refuse evidence by staff, outsiders, with bad message ids, and on a resolved dispute', async () => {
      const { client, craftsman, job } = await completedCashJob();
      const disputeId = await opened(client, job.id);
      await evidence(admin, disputeId, { text: 'staff note' }).expect(403);
      await evidence(await newCraftsman(t), disputeId, { text: 'me too' }).expect(403);
      for (const body of [
        { text: '' },
        { messageIds: [JUNK] },
        { messageIds: 'abc' },
        { messageIds: Array.from({ length: 51 }, () => MISSING) },
        { text: 'x'.repeat(4001) },
        { text: 'ok', extra: true },
      ]) {
        const refused = await evidence(client, disputeId, body);
        expect({ body: Object.keys(body), status: refused.status }).toEqual({
          body: Object.keys(body),
          status: 400,
        });
        expect(refused.body.code).toBe('VALIDATION_FAILED');
      }
      const unknown = await evidence(client, disputeId, { messageIds: [MISSING] }).expect(400);
      expect(unknown.body.code).toBe('VALIDATION_FAILED');
      await evidence(craftsman, disputeId, { text: 'I did the work.' }).expect(201);

      await resolve(admin, disputeId, { outcome: 'no_payment' }).expect(200);
      for (const who of [client, craftsman]) {
        const closed = await evidence(who, disputeId, { text: 'more' }).expect(409);
        expect(closed.body.code).toBe('DISPUTE_CLOSED');
      }
      const stored = (await t.http.get(`/api/disputes/${disputeId}`).set(as(client)).expect(200))
        .body;
      expect(stored.evidence).toHaveLength(1);
      expect(stored.status).toBe('resolved');
    });

    it('should refuse bad resolution bodies with 400, moving nothing, and a second different decision with 409', async () => {
      const { client, craftsman, job, payment } = await paidJob('in_progress', 10_000);
      const disputeId = await opened(client, job.id);
      const moderator = await newModerator(t);
      await resolve(moderator, disputeId, { outcome: 'release_to_craftsman' }).expect(403);
      await resolve(client, disputeId, { outcome: 'refund_client' }).expect(403);

      const invalid: Array<Record<string, unknown>> = [
        { outcome: 'split', clientAmount: -1_000, craftsmanAmount: 11_000 },
        { outcome: 'split', clientAmount: 4_000.5, craftsmanAmount: 5_999.5 },
        { outcome: 'split', clientAmount: '4000', craftsmanAmount: '6000' },
        { outcome: 'refund_client', clientAmount: 10_000 },
        { outcome: 'split', clientAmount: 4_000, craftsmanAmount: 6_000, extra: 1 },
        { outcome: 'pay_everyone' },
        { outcome: 'refund_client', note: '' },
      ];
      for (const body of invalid) {
        const refused = await resolve(admin, disputeId, body);
        expect({ body, status: refused.status, code: refused.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      for (const body of [
        { outcome: 'split', clientAmount: 5_000, craftsmanAmount: 6_000 },
        { outcome: 'split', clientAmount: 4_000, craftsmanAmount: 5_999 },
        { outcome: 'split', clientAmount: 10_000 },
        { outcome: 'split' },
      ]) {
        const refused = await resolve(admin, disputeId, body);
        expect({ body, status: refused.status, code: refused.body.code }).toEqual({
          body,
          status: 400,
          code: 'SPLIT_MISMATCH',
        });
      }
      expect((await jobOf(client, job.id)).status).toBe('disputed');
      expect((await paymentOf(t, client, payment.id)).status).toBe('held');
      expect((await balanceOf(t, craftsman)).balance).toBe(0);

      await resolve(admin, disputeId, {
        outcome: 'split',
        clientAmount: 10_000,
        craftsmanAmount: 0,
      }).expect(200);
      const other = await resolve(admin, disputeId, { outcome: 'release_to_craftsman' }).expect(
        409,
      );
      expect(other.body.code).toBe('DISPUTE_CLOSED');
      const same = await resolve(admin, disputeId, {
        outcome: 'split',
        clientAmount: 10_000,
        craftsmanAmount: 0,
      }).expect(409);
      expect(same.body.code).toBe('DISPUTE_CLOSED');
      await t.app.get(CronService).sweepMoney();
      expect(await paymentOf(t, client, payment.id)).toMatchObject({
        status: 'refunded',
        refundedAmount: 10_000,
      });
      expect(gateways.fawry.charges.get(payment.id)?.refunds).toEqual([
        expect.objectContaining({ amount: 10_000 }),
      ]);
      expect(await balanceOf(t, craftsman)).toMatchObject({ balance: 0, feesOwed: 0 });
      expect((await jobOf(client, job.id)).status).toBe('completed');
    });

    it('should give the craftsman the whole price minus its fee on a split of 0 to the client', async () => {
      const { client, craftsman, job, payment } = await paidJob('in_progress', 12_345);
      const disputeId = await opened(craftsman, job.id);
      await resolve(admin, disputeId, {
        outcome: 'split',
        clientAmount: 0,
        craftsmanAmount: 12_345,
      }).expect(200);
      // 10 % of 12,345 = 1,234.5 → 1,235
      expect((await balanceOf(t, craftsman)).balance).toBe(12_345 - 1_235);
      expect((await paymentOf(t, client, payment.id)).status).toBe('released');
      expect(gateways.fawry.charges.get(payment.id)?.refunds ?? []).toEqual([]);
    });
  });

  describe('cancellations and payments not yet paid', () => {
    it('should refund in full a payment made after the client cancelled the hired job', async () => {
      const { client, job } = await hiredJob(t, { price: 30_000 });
      const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
        .body as Payment;
      await move(t, client, job.id, 'cancelled');
      await payAtFawry(payment);
      await t.app.get(CronService).sweepMoney();
      await t.app.get(CronService).sweepMoney();
      expect(await paymentOf(t, client, payment.id)).toMatchObject({
        status: 'refunded',
        refundedAmount: 30_000,
      });
      expect(gateways.fawry.charges.get(payment.id)?.refunds).toEqual([
        expect.objectContaining({ amount: 30_000 }),
      ]);
    });

    it('should refuse cancelling a job once on the way, by the client or the craftsman, and keep its payment held', async () => {
      const { client, craftsman, job, payment } = await paidJob('on_the_way', 10_000);
      const refused = await move(t, client, job.id, 'cancelled', 409);
      expect(refused.body.code).toBe('INVALID_STATUS_TRANSITION');
      // an illegal move whoever asks: 409 before any question of who
      const byCraftsman = await move(t, craftsman, job.id, 'cancelled', 409);
      expect(byCraftsman.body.code).toBe('INVALID_STATUS_TRANSITION');
      await move(t, craftsman, job.id, 'in_progress');
      await move(t, client, job.id, 'cancelled', 409);
      await t.http.delete(`/api/jobs/${job.id}`).set(as(client)).expect(409);
      expect((await jobOf(client, job.id)).status).toBe('in_progress');
      expect((await paymentOf(t, client, payment.id)).status).toBe('held');
    });

    it('should refund a payment that arrives after a dispute on a job with a pending payment was resolved with a refund', async () => {
      const { client, craftsman, job } = await hiredJob(t, { price: 40_000 });
      const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
        .body as Payment;
      const disputeId = await opened(craftsman, job.id);
      // nothing is held: a split has nothing to split
      const split = await resolve(admin, disputeId, {
        outcome: 'split',
        clientAmount: 20_000,
        craftsmanAmount: 20_000,
      }).expect(400);
      expect(split.body.code).toBe('SPLIT_MISMATCH');
      await resolve(admin, disputeId, { outcome: 'refund_client' }).expect(200);
      expect((await jobOf(client, job.id)).status).toBe('cancelled');

      await payAtFawry(payment);
      await t.app.get(CronService).sweepMoney();
      await t.app.get(CronService).sweepMoney();
      expect(await paymentOf(t, client, payment.id)).toMatchObject({
        status: 'refunded',
        refundedAmount: 40_000,
      });
      expect((await balanceOf(t, craftsman)).balance).toBe(0);
    });

    it('should not leave a payment held for ever when it arrives after a dispute was resolved for the craftsman', async () => {
      const { client, craftsman, job } = await hiredJob(t, { price: 40_000 });
      const payment = (await initiate(t, client, { jobId: job.id, provider: 'fawry' }).expect(201))
        .body as Payment;
      const disputeId = await opened(client, job.id, 'no_show');
      await resolve(admin, disputeId, { outcome: 'release_to_craftsman' }).expect(200);
      expect((await jobOf(client, job.id)).status).toBe('completed');

      await payAtFawry(payment);
      await t.app.get(CronService).sweepMoney();
      await t.app.get(CronService).sweepMoney();
      const after = await paymentOf(t, client, payment.id);
      // the job is completed in the craftsman's favour: the money goes to him (or back): never stuck
      expect(['released', 'refunded']).toContain(after.status);
      if (after.status === 'released') {
        expect((await balanceOf(t, craftsman)).balance).toBe(36_000);
      }
    });
  });

  describe('cash jobs', () => {
    it('should charge no fee on a completed cash job when the dispute ends with no_payment', async () => {
      const { client, craftsman, job } = await completedCashJob();
      await t.app.get(CronService).sweepMoney();
      // 10 % of 20,000 owed at completion
      expect((await balanceOf(t, craftsman)).feesOwed).toBe(2_000);
      const disputeId = await opened(client, job.id);
      await resolve(admin, disputeId, { outcome: 'no_payment' }).expect(200);
      await t.app.get(CronService).sweepMoney();
      expect((await jobOf(client, job.id)).status).toBe('completed');
      // API.md/README: cash job, no_payment → "completed, no fee"
      expect((await balanceOf(t, craftsman)).feesOwed).toBe(0);
    });

    it('should charge the fee of a cash job once when a dispute about it ends for the craftsman', async () => {
      const { client, craftsman, job } = await completedCashJob();
      await t.app.get(CronService).sweepMoney();
      const disputeId = await opened(client, job.id);
      await resolve(admin, disputeId, { outcome: 'release_to_craftsman' }).expect(200);
      await t.app.get(CronService).sweepMoney();
      await t.app.get(CronService).sweepMoney();
      expect((await balanceOf(t, craftsman)).feesOwed).toBe(2_000);
    });
  });
});
