import type { Socket } from 'socket.io-client';
import { JobStatusChangedEvent } from '../../src/modules/jobs/events/job-status-changed.event.js';
import { JobStatus } from '../../src/modules/jobs/job-status.js';
import { DomainEvents } from '../../src/common/events/domain-events.js';
import { ReviewPublicationService } from '../../src/modules/reviews/review-publication.service.js';
import { ReviewsRepository } from '../../src/modules/reviews/reviews.repository.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { hire, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import { connectSocket } from '../support/socket.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 24 * 3600 * 1000;
const WINDOW = 14 * DAY;

interface Review {
  id: string;
  job: string;
  reviewer: string;
  reviewee: string;
  rating: number;
  comment: string;
  status: 'hidden' | 'published';
  revealAt: string;
  publishedAt: string | null;
  privateNote?: string;
  response?: { text: string };
}

describe('Reviews (double-blind)', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let other: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const env = {
      FEE_DEBT_LIMIT: '100000000',
      REVIEW_WINDOW: 'P14D',
      REVIEW_REMINDER_BEFORE: 'P3D',
    };
    t = await createTestApp({ env, clock });
    // a second instance on the same database: two schedules at once
    other = await createTestApp({ env, clock, sameDatabaseAs: t });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await other.close();
    await t.close();
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  async function move(job: string, by: Session, status: string): Promise<void> {
    await t.http.patch(`/api/jobs/${job}/status`).set(as(by)).send({ status }).expect(200);
  }

  /** A cash job of `client` with `craftsman` hired, done and completed; answers its completedAt. */
  async function completedJob(
    client: Session,
    craftsman: Session,
  ): Promise<{ id: string; completedAt: Date }> {
    const job = await postJob(t, client);
    await hire(t, client, job.id, craftsman);
    await move(job.id, craftsman, 'on_the_way');
    await move(job.id, craftsman, 'in_progress');
    const completed = await t.http
      .patch(`/api/jobs/${job.id}/status`)
      .set(as(client))
      .send({ status: 'completed' })
      .expect(200);
    return { id: job.id, completedAt: new Date(completed.body.completedAt as string) };
  }

  async function parties() {
    const [client, craftsman] = await Promise.all([newClient(t), newCraftsman(t)]);
    return { client, craftsman, job: await completedJob(client, craftsman) };
  }

  function review(by: Session, body: Record<string, unknown>) {
    return t.http.post('/api/reviews').set(as(by)).send(body);
  }

  async function profile(user: Session, viewer: Session) {
    const response = await t.http.get(`/api/users/${user.user.id}`).set(as(viewer)).expect(200);
    return response.body as { rating: number; ratingCount: number };
  }

  async function jobReviews(job: string, viewer: Session): Promise<Review[]> {
    const response = await t.http.get(`/api/jobs/${job}/reviews`).set(as(viewer)).expect(200);
    return response.body.data as Review[];
  }

  async function notificationsOf(user: Session) {
    const response = await t.http
      .get('/api/notifications')
      .query({ limit: 100 })
      .set(as(user))
      .expect(200);
    return response.body.data as Array<{ type: string; title: string; message: string }>;
  }

  const sweep = (app: TestApp) => app.app.get(ReviewPublicationService).sweep();

  it('should keep a review hidden from the other side until both reviewed, then publish both', async () => {
    const { client, craftsman, job } = await parties();

    const first = await review(client, {
      jobId: job.id,
      rating: 4,
      comment: 'Neat work',
      privateNote: 'for staff',
    }).expect(201);

    expect(first.body).toMatchObject({
      job: job.id,
      reviewer: client.user.id,
      reviewee: craftsman.user.id,
      rating: 4,
      comment: 'Neat work',
      status: 'hidden',
      revealAt: new Date(job.completedAt.getTime() + WINDOW).toISOString(),
    });
    expect(first.body).not.toHaveProperty('privateNote');
    expect(await jobReviews(job.id, craftsman)).toEqual([]);
    expect((await jobReviews(job.id, client)).map((r) => r.id)).toEqual([first.body.id]);

    const second = await review(craftsman, { jobId: job.id, rating: 5 }).expect(201);

    expect(second.body.status).toBe('published');
    const seen = await jobReviews(job.id, craftsman);
    expect(seen.map((r) => [r.id, r.status]).sort()).toEqual(
      [
        [first.body.id, 'published'],
        [second.body.id, 'published'],
      ].sort(),
    );
    expect(seen.every((r) => r.privateNote === undefined)).toBe(true);
    expect(await profile(craftsman, client)).toMatchObject({ rating: 4, ratingCount: 1 });
    expect(await profile(client, craftsman)).toMatchObject({ rating: 5, ratingCount: 1 });
  });

  it('should publish once, each aggregate +1, when both sides review at the same moment', async () => {
    const { client, craftsman, job } = await parties();

    const [a, b] = await Promise.all([
      review(client, { jobId: job.id, rating: 3 }),
      review(craftsman, { jobId: job.id, rating: 5 }),
    ]);

    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await jobReviews(job.id, client)).map((r) => r.status)).toEqual([
      'published',
      'published',
    ]);
    expect(await profile(craftsman, client)).toMatchObject({ rating: 3, ratingCount: 1 });
    expect(await profile(client, craftsman)).toMatchObject({ rating: 5, ratingCount: 1 });
    // a later sweep finds nothing more to do
    await Promise.all([sweep(t), sweep(other)]);
    expect(await profile(craftsman, client)).toMatchObject({ rating: 3, ratingCount: 1 });
    for (const user of [client, craftsman]) {
      const published = (await notificationsOf(user)).filter((n) => n.type === 'reviews.published');
      expect(published).toHaveLength(1);
    }
  });

  it('should publish at revealAt once when two instances sweep at the same moment', async () => {
    const { client, craftsman, job } = await parties();
    const { body } = await review(client, { jobId: job.id, rating: 2 }).expect(201);

    await Promise.all([sweep(t), sweep(other)]);
    expect((await jobReviews(job.id, client))[0].status).toBe('hidden');

    clock.advance(new Date(body.revealAt as string).getTime() - clock.now().getTime() + 1000);
    await Promise.all([sweep(t), sweep(other), sweep(t), sweep(other)]);

    const [published] = await jobReviews(job.id, craftsman);
    expect(published).toMatchObject({ id: body.id, status: 'published', rating: 2 });
    expect(await profile(craftsman, client)).toMatchObject({ rating: 2, ratingCount: 1 });
    expect(await profile(client, craftsman)).toMatchObject({ rating: 0, ratingCount: 0 });
    const toCraftsman = (await notificationsOf(craftsman)).filter(
      (n) => n.type === 'reviews.published',
    );
    expect(toCraftsman).toHaveLength(1);
  });

  it('should finish publications a crash cut short, counting each review once', async () => {
    const craftsman = await newCraftsman(t);
    const [firstClient, secondClient] = await Promise.all([newClient(t), newClient(t)]);
    const firstJob = await completedJob(firstClient, craftsman);
    const secondJob = await completedJob(secondClient, craftsman);
    const first = (await review(firstClient, { jobId: firstJob.id, rating: 4 }).expect(201))
      .body as Review;
    const second = (await review(secondClient, { jobId: secondJob.id, rating: 1 }).expect(201))
      .body as Review;

    // one publisher died right after publishing (before announcing and counting); another after
    // counting, before marking its review counted
    const reviews = t.app.get(ReviewsRepository);
    await reviews.publish(first.id, clock.now());
    await reviews.publish(second.id, clock.now());
    await t.app.get(UsersService).countPublishedReview(craftsman.user.id, second.id, 1);
    expect(await profile(craftsman, firstClient)).toMatchObject({ rating: 1, ratingCount: 1 });

    // the sweeps of two instances, once the grace for a live publisher has passed
    clock.advance(2 * 60_000);
    await Promise.all([sweep(t), sweep(other)]);
    await Promise.all([sweep(t), sweep(other)]);

    expect(await profile(craftsman, firstClient)).toMatchObject({ rating: 2.5, ratingCount: 2 });
    const published = (await notificationsOf(craftsman)).filter(
      (n) => n.type === 'reviews.published',
    );
    expect(published).toHaveLength(2);
  });

  it('should count 50 concurrent publications about one craftsman exactly: +50 and the exact mean', async () => {
    const craftsman = await newCraftsman(t);
    const client = await newClient(t);
    const jobs: string[] = [];
    for (let i = 0; i < 50; i += 5) {
      jobs.push(
        ...(
          await Promise.all(Array.from({ length: 5 }, () => completedJob(client, craftsman)))
        ).map((job) => job.id),
      );
    }
    const ratings = jobs.map((_, i) => (i % 5) + 1);
    for (const [i, job] of jobs.entries()) {
      await review(client, { jobId: job, rating: ratings[i] }).expect(201);
    }
    expect(await profile(craftsman, client)).toMatchObject({ rating: 0, ratingCount: 0 });

    // the craftsman's 50 reviews at once: each completes a pair, 100 publications at once
    const answers = await Promise.all(
      jobs.map((job) => review(craftsman, { jobId: job, rating: 4 })),
    );

    expect(answers.map((answer) => answer.status)).toEqual(jobs.map(() => 201));
    const sum = ratings.reduce((total, rating) => total + rating, 0);
    expect(await profile(craftsman, client)).toEqual(
      expect.objectContaining({ ratingCount: 50, rating: Math.round((sum / 50) * 10) / 10 }),
    );
    expect(await profile(client, craftsman)).toMatchObject({ rating: 4, ratingCount: 50 });
    const stored = await t.connection
      .collection('users')
      .findOne({ _id: new (await import('mongoose')).Types.ObjectId(craftsman.user.id) });
    expect(stored).toMatchObject({ ratingSum: sum, ratingCount: 50 });
    const page = await t.http
      .get(`/api/users/${craftsman.user.id}/reviews`)
      .query({ limit: 100 })
      .set(as(client))
      .expect(200);
    expect(page.body.pagination).toEqual({ page: 1, limit: 100, totalPages: 1, totalItems: 50 });
  }, 120_000);

  it('should move no aggregate when a hidden review is edited, and use the edit at publication', async () => {
    const { client, craftsman, job } = await parties();
    const { body } = await review(client, { jobId: job.id, rating: 1 }).expect(201);

    const edited = await t.http
      .put(`/api/reviews/${body.id}`)
      .set(as(client))
      .send({ rating: 5, comment: 'Changed my mind' })
      .expect(200);

    expect(edited.body).toMatchObject({ rating: 5, comment: 'Changed my mind', status: 'hidden' });
    expect(await profile(craftsman, client)).toMatchObject({ rating: 0, ratingCount: 0 });
    await t.http.put(`/api/reviews/${body.id}`).set(as(craftsman)).send({ rating: 1 }).expect(403);

    await review(craftsman, { jobId: job.id, rating: 3 }).expect(201);

    expect(await profile(craftsman, client)).toMatchObject({ rating: 5, ratingCount: 1 });
    const refused = await t.http
      .put(`/api/reviews/${body.id}`)
      .set(as(client))
      .send({ rating: 2 })
      .expect(409);
    expect(refused.body.code).toBe('REVIEW_PUBLISHED');
  });

  it('should reveal no hidden score anywhere: profile, lists, notifications, sockets', async () => {
    const { client, craftsman, job } = await parties();
    const socket = await connectSocket(t, craftsman.accessToken);
    sockets.push(socket);
    const received: unknown[] = [];
    socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));

    const secret = 'SECRET-comment-7f3a';
    const { body } = await review(client, { jobId: job.id, rating: 2, comment: secret }).expect(
      201,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(await profile(craftsman, craftsman)).toMatchObject({ rating: 0, ratingCount: 0 });
    const about = await t.http
      .get(`/api/users/${craftsman.user.id}/reviews`)
      .set(as(craftsman))
      .expect(200);
    expect(about.body.data).toEqual([]);
    expect(await jobReviews(job.id, craftsman)).toEqual([]);
    await t.http
      .post(`/api/reviews/${body.id}/response`)
      .set(as(craftsman))
      .send({ text: 'Thanks' })
      .expect(409)
      .expect((r) => expect(r.body.code).toBe('REVIEW_NOT_PUBLISHED'));
    const notifications = await notificationsOf(craftsman);
    const told = notifications.find((n) => n.type === 'review.received');
    expect(told).toBeDefined();
    for (const seen of [notifications, received]) {
      const text = JSON.stringify(seen);
      expect(text).not.toContain(secret);
      expect(text).not.toContain('"rating"');
      expect(text).not.toMatch(/\b2 ?(stars?|\/ ?5)\b/i);
    }
    expect(received.some((r) => (r as { event: string }).event === 'notification')).toBe(true);
    // browse/search read the same stored rating
    const search = await t.http
      .get('/api/users')
      .query({ role: 'craftsman', q: craftsman.user.firstName as string, limit: 100 })
      .set(as(client))
      .expect(200);
    const listed = (search.body.data as Array<{ id: string; rating: number }>).find(
      (u) => u.id === craftsman.user.id,
    );
    expect(listed?.rating ?? 0).toBe(0);
  });

  it('should accept a review at revealAt − 1 s and refuse one at revealAt + 1 s', async () => {
    const { client, craftsman, job } = await parties();
    const revealAt = job.completedAt.getTime() + WINDOW;

    clock.advance(revealAt - 1000 - clock.now().getTime());
    const accepted = await review(client, { jobId: job.id, rating: 4 }).expect(201);
    expect(accepted.body.revealAt).toBe(new Date(revealAt).toISOString());

    clock.advance(revealAt + 1000 - clock.now().getTime());
    const refused = await review(craftsman, { jobId: job.id, rating: 4 }).expect(409);
    expect(refused.body.code).toBe('REVIEW_WINDOW_CLOSED');
  });

  it('should refuse a non-party (403), a second review (409 ALREADY_REVIEWED) and a job not completed', async () => {
    const { client, craftsman, job } = await parties();
    const stranger = await newClient(t);
    const otherCraftsman = await newCraftsman(t);

    for (const outsider of [stranger, otherCraftsman]) {
      const refused = await review(outsider, { jobId: job.id, rating: 3 }).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
    }
    await t.http.get(`/api/jobs/${job.id}/reviews`).set(as(stranger)).expect(403);

    const [a, b] = await Promise.all([
      review(client, { jobId: job.id, rating: 3 }),
      review(client, { jobId: job.id, rating: 3 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((a.status === 409 ? a : b).body.code).toBe('ALREADY_REVIEWED');
    await review(craftsman, { jobId: job.id, rating: 6 }).expect(400);

    const open = await postJob(t, client);
    await hire(t, client, open.id, craftsman);
    const early = await review(client, { jobId: open.id, rating: 3 }).expect(409);
    expect(early.body.code).toBe('JOB_NOT_COMPLETED');
  });

  it('should let the reviewee answer a published review once', async () => {
    const { client, craftsman, job } = await parties();
    const { body } = await review(client, { jobId: job.id, rating: 4 }).expect(201);
    await review(craftsman, { jobId: job.id, rating: 4 }).expect(201);

    await t.http
      .post(`/api/reviews/${body.id}/response`)
      .set(as(client))
      .send({ text: 'Mine' })
      .expect(403);
    const answered = await t.http
      .post(`/api/reviews/${body.id}/response`)
      .set(as(craftsman))
      .send({ text: 'Thank you!' })
      .expect(201);
    expect(answered.body.response).toMatchObject({ text: 'Thank you!' });
    const again = await t.http
      .post(`/api/reviews/${body.id}/response`)
      .set(as(craftsman))
      .send({ text: 'Again' })
      .expect(409);
    expect(again.body.code).toBe('ALREADY_RESPONDED');
  });

  it('should hold publication while the job is disputed and publish when it leaves disputed', async () => {
    const { client, craftsman, job } = await parties();
    const { body } = await review(client, { jobId: job.id, rating: 1 }).expect(201);
    await move(job.id, craftsman, 'disputed');

    clock.advance(new Date(body.revealAt as string).getTime() - clock.now().getTime() + 1000);
    await Promise.all([sweep(t), sweep(other)]);

    expect(await jobReviews(job.id, craftsman)).toEqual([]);
    expect(await profile(craftsman, client)).toMatchObject({ rating: 0, ratingCount: 0 });
    const frozen = await review(craftsman, { jobId: job.id, rating: 5 }).expect(409);
    expect(frozen.body.code).toBe('JOB_NOT_COMPLETED');

    // the dispute's resolution (not this file's subject) completes the job again
    const { Types } = await import('mongoose');
    await t.connection
      .collection('jobs')
      .updateOne({ _id: new Types.ObjectId(job.id) }, { $set: { status: 'completed' } });
    await t.app
      .get(DomainEvents)
      .publish(
        new JobStatusChangedEvent(
          job.id,
          client.user.id,
          craftsman.user.id,
          JobStatus.Disputed,
          JobStatus.Completed,
          null,
          clock.now(),
        ),
      );

    const [published] = await jobReviews(job.id, craftsman);
    expect(published).toMatchObject({ id: body.id, status: 'published', rating: 1 });
    expect(await profile(craftsman, client)).toMatchObject({ rating: 1, ratingCount: 1 });
  });

  it('should remind a side that has not reviewed, once, REVIEW_REMINDER_BEFORE before revealAt', async () => {
    const { client, craftsman, job } = await parties();
    await review(client, { jobId: job.id, rating: 5 }).expect(201);
    const revealAt = job.completedAt.getTime() + WINDOW;

    clock.advance(revealAt - 3 * DAY + 1000 - clock.now().getTime());
    const service = (app: TestApp) => app.app.get(ReviewPublicationService);
    await Promise.all([service(t).sendReminders(), service(other).sendReminders()]);
    await service(t).sendReminders();

    const reminders = (n: Awaited<ReturnType<typeof notificationsOf>>) =>
      n.filter((x) => x.type === 'review.reminder');
    expect(reminders(await notificationsOf(craftsman))).toHaveLength(1);
    expect(reminders(await notificationsOf(client))).toHaveLength(0);
  });
});
