import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  secretKeysIn,
  type Session,
} from '../support/session.js';
import * as marketplace from '../support/marketplace.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import type { Paginated } from '../../src/common/pagination/paginated.js';

const ISO_DATE = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

/** A user as jobs and quotes embed him. */
interface Summary {
  id: string;
  role: string;
  firstName: string;
  lastName: string;
  rating: number;
  ratingCount: number;
}

/** What the jobs endpoints answer, as far as these tests read it. */
interface Job {
  id: string;
  title: string;
  category: string;
  address?: string;
  status: string;
  craftsman: Summary | null;
  jobPrice?: number;
  hiredAt?: string;
  acceptedQuote: string | null;
  quotesCount: number;
  statusHistory: Array<{ from?: string; to: string; by: string | null; at: string }>;
}

/** What the quotes endpoints answer, as far as these tests read it. */
interface Quote {
  id: string;
  job: { id: string; title: string; category: string; status: string } | null;
  craftsman: Summary | null;
  price: number;
  notes: string;
  estimatedDays?: number;
  status: 'pending' | 'accepted' | 'declined';
  createdAt: string;
}

const SINK = {
  title: 'Leaking kitchen sink',
  description: 'Water drips under the kitchen sink all day long.',
  category: 'Plumbing',
  address: '12 Tahrir St, Cairo',
};

describe('Quotes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  function postJob(owner: Session, body: Record<string, unknown> = {}): Promise<Job> {
    return marketplace.postJob<Job>(t, owner, { ...SINK, ...body });
  }

  function getJob(viewer: Session, jobId: string): Promise<Job> {
    return marketplace.getJob<Job>(t, viewer, jobId);
  }

  function quoteRequest(craftsman: Session, jobId: string, body: Record<string, unknown>) {
    return t.http
      .post(`/api/jobs/${jobId}/quotes`)
      .set('Authorization', craftsman.bearer)
      .send(body);
  }

  async function submitQuote(
    craftsman: Session,
    jobId: string,
    body: Record<string, unknown> = {},
  ): Promise<Quote> {
    const response = await quoteRequest(craftsman, jobId, { price: 50_000, ...body }).expect(201);
    return response.body as Quote;
  }

  function acceptRequest(owner: Session, jobId: string, quoteId: string) {
    return t.http
      .post(`/api/jobs/${jobId}/quotes/${quoteId}/accept`)
      .set('Authorization', owner.bearer);
  }

  async function acceptQuote(owner: Session, jobId: string, quoteId: string): Promise<Job> {
    const response = await acceptRequest(owner, jobId, quoteId).expect(200);
    return response.body as Job;
  }

  async function quotesOf(
    viewer: Session,
    jobId: string,
    query: Record<string, number> = {},
  ): Promise<Paginated<Quote>> {
    const response = await t.http
      .get(`/api/jobs/${jobId}/quotes`)
      .query(query)
      .set('Authorization', viewer.bearer)
      .expect(200);
    return response.body as Paginated<Quote>;
  }

  async function myQuotes(
    craftsman: Session,
    query: Record<string, number> = {},
  ): Promise<Paginated<Quote>> {
    const response = await t.http
      .get('/api/quotes/mine')
      .query(query)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    return response.body as Paginated<Quote>;
  }

  const idsIn = (page: Paginated<{ id: string }>) => page.data.map((item) => item.id);
  const statusById = (page: Paginated<Quote>) =>
    Object.fromEntries(page.data.map((quote) => [quote.id, quote.status]));

  /** A client's job with a quote by each of the given craftsmen, in that order. */
  async function quotedJob(prices: number[]) {
    const owner = await newClient(t, { firstName: 'Mona', lastName: 'Khaled' });
    const job = await postJob(owner);
    const craftsmen: Session[] = [];
    const quotes: Quote[] = [];
    for (const [index, price] of prices.entries()) {
      const craftsman = await newCraftsman(t, {
        firstName: `Craftsman${index}`,
        lastName: 'Saleh',
      });
      craftsmen.push(craftsman);
      quotes.push(await submitQuote(craftsman, job.id, { price }));
    }
    return { owner, job, craftsmen, quotes };
  }

  describe('POST /jobs/:jobId/quotes', () => {
    it('should store a pending quote with the job and the craftsman’s summary', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      const craftsman = await newCraftsman(t, { firstName: 'Karim', lastName: 'Saleh' });

      const response = await quoteRequest(craftsman, job.id, {
        price: 45_000,
        notes: 'I can come tomorrow morning',
        estimatedDays: 2,
      }).expect(201);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^[0-9a-f]{24}$/),
          job: { id: job.id, title: SINK.title, category: 'Plumbing', status: 'quoted' },
          price: 45_000,
          notes: 'I can come tomorrow morning',
          estimatedDays: 2,
          status: 'pending',
          createdAt: ISO_DATE,
        }),
      );
      expect(response.body.craftsman).toEqual(
        expect.objectContaining({
          id: craftsman.user.id,
          role: 'craftsman',
          firstName: 'Karim',
          lastName: 'Saleh',
          rating: 0,
          ratingCount: 0,
        }),
      );
      expect(response.body.craftsman).not.toHaveProperty('email');
      expect(secretKeysIn(response.body)).toEqual([]);
      expect(idsIn(await myQuotes(craftsman))).toEqual([response.body.id]);
    });

    it('should move the job from posted to quoted on the first quote and count every quote', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);

      await submitQuote(await newCraftsman(t), job.id);
      const afterFirst = await getJob(owner, job.id);
      await submitQuote(await newCraftsman(t), job.id);
      await submitQuote(await newCraftsman(t), job.id);
      const afterThird = await getJob(owner, job.id);

      expect(afterFirst.status).toBe('quoted');
      expect(afterFirst.quotesCount).toBe(1);
      expect(afterFirst.statusHistory).toEqual([
        { to: 'posted', by: owner.user.id, at: ISO_DATE },
        { from: 'posted', to: 'quoted', by: null, at: ISO_DATE },
      ]);
      expect(afterThird.status).toBe('quoted');
      expect(afterThird.quotesCount).toBe(3);
      expect(afterThird.statusHistory).toEqual(afterFirst.statusHistory);
    });

    it('should answer 409 ALREADY_QUOTED to a second quote by the same craftsman', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      const craftsman = await newCraftsman(t);
      await submitQuote(craftsman, job.id, { price: 50_000 });

      const response = await quoteRequest(craftsman, job.id, { price: 40_000 }).expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'ALREADY_QUOTED',
        message: expect.any(String),
      });
      const quotes = await quotesOf(owner, job.id);
      expect(quotes.data.map((quote) => quote.price)).toEqual([50_000]);
      expect((await getJob(owner, job.id)).quotesCount).toBe(1);
    });

    it('should store exactly one quote for ten concurrent quotes by one craftsman', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      const craftsman = await newCraftsman(t);

      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          quoteRequest(craftsman, job.id, { price: 10_000 + index }),
        ),
      );

      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(9);
      expect(
        responses.filter((response) => response.status === 409).map((r) => r.body.code),
      ).toEqual(Array.from({ length: 9 }, () => 'ALREADY_QUOTED'));
      const winner = responses.find((response) => response.status === 201)!;
      const stored = await quotesOf(owner, job.id);
      expect(idsIn(stored)).toEqual([winner.body.id]);
      expect(stored.pagination.totalItems).toBe(1);
      expect((await myQuotes(craftsman)).pagination.totalItems).toBe(1);
      expect(await getJob(owner, job.id)).toEqual(
        expect.objectContaining({ status: 'quoted', quotesCount: 1 }),
      );
    });

    it('should answer 409 JOB_NOT_OPEN for a hired job', async () => {
      const { owner, job, quotes } = await quotedJob([50_000]);
      await acceptQuote(owner, job.id, quotes[0].id);
      const latecomer = await newCraftsman(t);

      const response = await quoteRequest(latecomer, job.id, { price: 30_000 }).expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'JOB_NOT_OPEN',
        message: expect.any(String),
      });
      expect((await quotesOf(owner, job.id)).pagination.totalItems).toBe(1);
      expect((await myQuotes(latecomer)).data).toEqual([]);
    });

    it('should answer 409 JOB_NOT_OPEN for a cancelled job', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      await t.http.delete(`/api/jobs/${job.id}`).set('Authorization', owner.bearer).expect(200);
      const craftsman = await newCraftsman(t);

      const response = await quoteRequest(craftsman, job.id, { price: 30_000 }).expect(409);

      expect(response.body.code).toBe('JOB_NOT_OPEN');
      expect(await getJob(owner, job.id)).toEqual(
        expect.objectContaining({ status: 'cancelled', quotesCount: 0 }),
      );
    });

    it('should answer 404 for an unknown or a malformed job id', async () => {
      const craftsman = await newCraftsman(t);

      const unknown = await quoteRequest(craftsman, '65a1b2c3d4e5f60718293a4b', {
        price: 30_000,
      }).expect(404);
      const malformed = await quoteRequest(craftsman, 'not-an-id', { price: 30_000 }).expect(404);

      expect(unknown.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
      expect(malformed.body.message).toBe('Resource not found (invalid ID)');
      expect((await myQuotes(craftsman)).data).toEqual([]);
    });

    it.each([
      ['zero', 0],
      ['negative', -1],
      ['a fraction', 1.5],
      ['over 100000000', 200_000_000],
      ['a string', '12'],
      ['missing', undefined],
    ])(
      'should answer 400 VALIDATION_FAILED on price for a price that is %s',
      async (_label, price) => {
        const owner = await newClient(t);
        const job = await postJob(owner);
        const craftsman = await newCraftsman(t);

        const response = await quoteRequest(craftsman, job.id, { price }).expect(400);

        expect(response.body).toEqual({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: [{ field: 'price', message: expect.any(String) }],
        });
        expect(await getJob(owner, job.id)).toEqual(
          expect.objectContaining({ status: 'posted', quotesCount: 0 }),
        );
      },
    );

    it('should refuse an unknown body field', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      const craftsman = await newCraftsman(t);

      const response = await quoteRequest(craftsman, job.id, {
        price: 30_000,
        status: 'accepted',
      }).expect(400);

      expect(response.body.details).toEqual([
        { field: 'status', message: 'property status should not exist' },
      ]);
      expect((await getJob(owner, job.id)).status).toBe('posted');
    });

    it('should answer 403 FORBIDDEN to a client and an admin, 401 without a token', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      const admin = await loginAsAdmin(t);

      for (const intruder of [owner, admin]) {
        const response = await quoteRequest(intruder, job.id, { price: 30_000 }).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
      await t.http.post(`/api/jobs/${job.id}/quotes`).send({ price: 30_000 }).expect(401);
      expect(await getJob(owner, job.id)).toEqual(
        expect.objectContaining({ status: 'posted', quotesCount: 0 }),
      );
    });
  });

  describe('GET /jobs/:jobId/quotes', () => {
    it('should list the job’s quotes to its owner, newest first, paginated', async () => {
      const { owner, job, quotes } = await quotedJob([30_000, 40_000, 50_000]);
      const otherJob = await quotedJob([60_000]);

      const all = await quotesOf(owner, job.id);
      const second = await quotesOf(owner, job.id, { page: 2, limit: 2 });

      expect(idsIn(all)).toEqual([quotes[2].id, quotes[1].id, quotes[0].id]);
      expect(all.data.map((quote) => quote.price)).toEqual([50_000, 40_000, 30_000]);
      expect(all.pagination).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 3 });
      expect(idsIn(second)).toEqual([quotes[0].id]);
      expect(second.pagination).toEqual({ page: 2, limit: 2, totalPages: 2, totalItems: 3 });
      expect(idsIn(all)).not.toContain(otherJob.quotes[0].id);
      expect(secretKeysIn(all)).toEqual([]);
    });

    it('should answer 403 to admins and moderators too: the quotes are the owner’s (API.md)', async () => {
      const { job } = await quotedJob([30_000]);

      for (const staff of [await loginAsAdmin(t), await newModerator(t)]) {
        await t.http
          .get(`/api/jobs/${job.id}/quotes`)
          .set('Authorization', staff.bearer)
          .expect(403);
      }
    });

    it('should answer 403 FORBIDDEN to another client and to a craftsman, even one who quoted', async () => {
      const { job, craftsmen } = await quotedJob([30_000]);
      const otherClient = await newClient(t);

      for (const intruder of [otherClient, craftsmen[0], await newCraftsman(t)]) {
        const response = await t.http
          .get(`/api/jobs/${job.id}/quotes`)
          .set('Authorization', intruder.bearer)
          .expect(403);
        expect(response.body).toEqual({
          statusCode: 403,
          code: 'FORBIDDEN',
          message: expect.any(String),
        });
      }
    });

    it('should answer 404 NOT_FOUND for an unknown job', async () => {
      const owner = await newClient(t);

      const response = await t.http
        .get('/api/jobs/65a1b2c3d4e5f60718293a4b/quotes')
        .set('Authorization', owner.bearer)
        .expect(404);

      expect(response.body.code).toBe('NOT_FOUND');
    });
  });

  describe('GET /quotes/mine', () => {
    it('should list the craftsman’s quotes across jobs, newest first, paginated', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      const other = await newCraftsman(t);
      const jobs = [
        await postJob(owner, { title: 'Leaking kitchen sink' }),
        await postJob(owner, { title: 'Broken water heater' }),
        await postJob(owner, { title: 'Blocked bathroom drain' }),
      ];
      const mine = [];
      for (const job of jobs) {
        mine.push(await submitQuote(craftsman, job.id));
        await submitQuote(other, job.id);
      }

      const all = await myQuotes(craftsman);
      const firstPage = await myQuotes(craftsman, { page: 1, limit: 2 });

      expect(idsIn(all)).toEqual([mine[2].id, mine[1].id, mine[0].id]);
      expect(all.data.map((quote) => quote.job?.title)).toEqual([
        'Blocked bathroom drain',
        'Broken water heater',
        'Leaking kitchen sink',
      ]);
      expect(all.pagination).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 3 });
      expect(idsIn(firstPage)).toEqual([mine[2].id, mine[1].id]);
      expect(firstPage.pagination).toEqual({ page: 1, limit: 2, totalPages: 2, totalItems: 3 });
    });

    it('should show the quotes’ status changes and their jobs’ status', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      const rival = await newCraftsman(t);
      const won = await postJob(owner, { title: 'Leaking kitchen sink' });
      const lost = await postJob(owner, { title: 'Broken water heater' });
      const open = await postJob(owner, { title: 'Blocked bathroom drain' });
      const winning = await submitQuote(craftsman, won.id);
      const losing = await submitQuote(craftsman, lost.id);
      const rivals = await submitQuote(rival, lost.id);
      const waiting = await submitQuote(craftsman, open.id);

      await acceptQuote(owner, won.id, winning.id);
      await acceptQuote(owner, lost.id, rivals.id);

      const mine = await myQuotes(craftsman);
      expect(mine.data.map(({ id, status, job }) => ({ id, status, job: job?.status }))).toEqual([
        { id: waiting.id, status: 'pending', job: 'quoted' },
        { id: losing.id, status: 'declined', job: 'hired' },
        { id: winning.id, status: 'accepted', job: 'hired' },
      ]);
    });

    it('should answer 403 FORBIDDEN to a client and 401 without a token', async () => {
      const client = await newClient(t);

      const response = await t.http
        .get('/api/quotes/mine')
        .set('Authorization', client.bearer)
        .expect(403);
      await t.http.get('/api/quotes/mine').expect(401);

      expect(response.body.code).toBe('FORBIDDEN');
    });
  });

  describe('POST /jobs/:jobId/quotes/:quoteId/accept', () => {
    it('should hire the quote’s craftsman at its price and answer the hired job', async () => {
      const { owner, job, craftsmen, quotes } = await quotedJob([30_000, 45_000]);

      const response = await acceptRequest(owner, job.id, quotes[1].id).expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: job.id,
          status: 'hired',
          jobPrice: 45_000,
          hiredAt: ISO_DATE,
          acceptedQuote: quotes[1].id,
          quotesCount: 2,
        }),
      );
      expect(response.body.craftsman).toEqual(
        expect.objectContaining({
          id: craftsmen[1].user.id,
          role: 'craftsman',
          firstName: 'Craftsman1',
          lastName: 'Saleh',
          rating: 0,
          ratingCount: 0,
        }),
      );
      expect(response.body.statusHistory.at(-1)).toEqual({
        from: 'quoted',
        to: 'hired',
        by: null,
        at: ISO_DATE,
      });
      expect(secretKeysIn(response.body)).toEqual([]);
      expect(await getJob(owner, job.id)).toEqual(response.body);
    });

    it('should accept that quote and decline the job’s others, leaving other jobs’ quotes alone', async () => {
      const { owner, job, craftsmen, quotes } = await quotedJob([30_000, 45_000, 60_000]);
      const otherJob = await postJob(owner, { title: 'Broken water heater' });
      const elsewhere = await submitQuote(craftsmen[0], otherJob.id);

      await acceptQuote(owner, job.id, quotes[1].id);

      expect(statusById(await quotesOf(owner, job.id))).toEqual({
        [quotes[0].id]: 'declined',
        [quotes[1].id]: 'accepted',
        [quotes[2].id]: 'declined',
      });
      expect(statusById(await quotesOf(owner, otherJob.id))).toEqual({
        [elsewhere.id]: 'pending',
      });
      expect((await getJob(owner, otherJob.id)).status).toBe('quoted');
      expect(statusById(await myQuotes(craftsmen[0]))).toEqual({
        [quotes[0].id]: 'declined',
        [elsewhere.id]: 'pending',
      });
    });

    it('should answer 409 QUOTE_NOT_PENDING for another quote once one is accepted, keeping the hire', async () => {
      const { owner, job, craftsmen, quotes } = await quotedJob([30_000, 45_000]);
      const hired = await acceptQuote(owner, job.id, quotes[0].id);

      const response = await acceptRequest(owner, job.id, quotes[1].id).expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'QUOTE_NOT_PENDING',
        message: expect.any(String),
      });
      const after = await getJob(owner, job.id);
      expect(after).toEqual(hired);
      expect(after.craftsman?.id).toBe(craftsmen[0].user.id);
      expect(after.jobPrice).toBe(30_000);
      expect(statusById(await quotesOf(owner, job.id))).toEqual({
        [quotes[0].id]: 'accepted',
        [quotes[1].id]: 'declined',
      });
    });

    it('should answer 409 QUOTE_NOT_PENDING for a quote declined by cancelling the job', async () => {
      const { owner, job, quotes } = await quotedJob([30_000]);
      await t.http.delete(`/api/jobs/${job.id}`).set('Authorization', owner.bearer).expect(200);

      const response = await acceptRequest(owner, job.id, quotes[0].id).expect(409);

      expect(response.body.code).toBe('QUOTE_NOT_PENDING');
      expect(await getJob(owner, job.id)).toEqual(
        expect.objectContaining({ status: 'cancelled', craftsman: null, acceptedQuote: null }),
      );
    });

    it.each([
      ['cancelled', 'cancelled'],
      ['on the way', 'on_the_way'],
    ])(
      'should answer 409 JOB_NOT_OPEN to accepting the accepted quote again once the job is %s',
      async (_label, status) => {
        const { owner, job, craftsmen, quotes } = await quotedJob([30_000]);
        await acceptQuote(owner, job.id, quotes[0].id);
        const mover = status === 'cancelled' ? owner : craftsmen[0];
        await t.http
          .patch(`/api/jobs/${job.id}/status`)
          .set('Authorization', mover.bearer)
          .send({ status })
          .expect(200);

        const response = await acceptRequest(owner, job.id, quotes[0].id).expect(409);

        expect(response.body).toEqual({
          statusCode: 409,
          code: 'JOB_NOT_OPEN',
          message: expect.any(String),
        });
        expect((await getJob(owner, job.id)).status).toBe(status);
      },
    );

    it('should answer a retried accept with the same hired job and change nothing', async () => {
      const { owner, job, craftsmen, quotes } = await quotedJob([30_000, 45_000]);
      const first = await acceptQuote(owner, job.id, quotes[0].id);

      const retry = await acceptQuote(owner, job.id, quotes[0].id);

      expect(retry).toEqual(first);
      expect(retry.craftsman?.id).toBe(craftsmen[0].user.id);
      expect(retry.jobPrice).toBe(30_000);
      expect(retry.statusHistory.filter((change) => change.to === 'hired')).toHaveLength(1);
      expect(await getJob(owner, job.id)).toEqual(first);
      expect(statusById(await quotesOf(owner, job.id))).toEqual({
        [quotes[0].id]: 'accepted',
        [quotes[1].id]: 'declined',
      });
    });

    it('should answer 404 NOT_FOUND for a quote of another job and hire nobody', async () => {
      const { owner, job } = await quotedJob([30_000]);
      const other = await quotedJob([45_000]);

      const response = await acceptRequest(owner, job.id, other.quotes[0].id).expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
      expect((await getJob(owner, job.id)).status).toBe('quoted');
      expect((await getJob(other.owner, other.job.id)).status).toBe('quoted');
    });

    it('should answer 404 for an unknown or a malformed quote id', async () => {
      const { owner, job } = await quotedJob([30_000]);

      const unknown = await acceptRequest(owner, job.id, '65a1b2c3d4e5f60718293a4b').expect(404);
      const malformed = await acceptRequest(owner, job.id, 'not-an-id').expect(404);

      expect(unknown.body.code).toBe('NOT_FOUND');
      expect(malformed.body.message).toBe('Resource not found (invalid ID)');
      expect((await getJob(owner, job.id)).status).toBe('quoted');
    });

    it('should answer 403 FORBIDDEN to another client and to a craftsman, and hire nobody', async () => {
      const { owner, job, craftsmen, quotes } = await quotedJob([30_000]);
      const otherClient = await newClient(t);

      for (const intruder of [otherClient, craftsmen[0]]) {
        const response = await acceptRequest(intruder, job.id, quotes[0].id).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
      expect(await getJob(owner, job.id)).toEqual(
        expect.objectContaining({ status: 'quoted', craftsman: null }),
      );
      expect(statusById(await quotesOf(owner, job.id))).toEqual({ [quotes[0].id]: 'pending' });
    });

    it('should hire exactly once when two quotes of one job are accepted at the same moment', async () => {
      for (let round = 0; round < 3; round += 1) {
        const { owner, job, craftsmen, quotes } = await quotedJob([30_000, 45_000]);

        const responses = await Promise.all(
          quotes.map((quote) => acceptRequest(owner, job.id, quote.id)),
        );

        expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
        const winnerIndex = responses.findIndex((response) => response.status === 200);
        const loser = responses[1 - winnerIndex];
        expect(loser.body.code).toBe('JOB_NOT_OPEN');
        const after = await getJob(owner, job.id);
        expect(after).toEqual(
          expect.objectContaining({
            status: 'hired',
            acceptedQuote: quotes[winnerIndex].id,
            jobPrice: quotes[winnerIndex].price,
          }),
        );
        expect(after.craftsman?.id).toBe(craftsmen[winnerIndex].user.id);
        expect(after.statusHistory.filter((change) => change.to === 'hired')).toHaveLength(1);
        expect(statusById(await quotesOf(owner, job.id))).toEqual({
          [quotes[winnerIndex].id]: 'accepted',
          [quotes[1 - winnerIndex].id]: 'declined',
        });
      }
    });

    it('should let the hired craftsman see the job, address included, and list it as his', async () => {
      const { owner, job, craftsmen, quotes } = await quotedJob([30_000, 45_000]);
      await acceptQuote(owner, job.id, quotes[0].id);
      const [hired, declined] = craftsmen;

      const seen = await getJob(hired, job.id);
      const listed = await t.http
        .get('/api/jobs')
        .query({ mine: true })
        .set('Authorization', hired.bearer)
        .expect(200);

      expect(seen).toEqual(
        expect.objectContaining({ id: job.id, status: 'hired', address: SINK.address }),
      );
      expect(listed.body.data.map((item: Job) => item.id)).toEqual([job.id]);
      await t.http.get(`/api/jobs/${job.id}`).set('Authorization', declined.bearer).expect(403);
      const declinedMine = await t.http
        .get('/api/jobs')
        .query({ mine: true })
        .set('Authorization', declined.bearer)
        .expect(200);
      expect(declinedMine.body.data).toEqual([]);
    });
  });
});
