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

/** Known places in Cairo, and how far each is from Tahrir Square. */
const TAHRIR_SQUARE = { lat: 30.0444, lng: 31.2357 };
const MAADI = { lat: 29.9602, lng: 31.2569 }; // ~9.58 km
const GIZA_PYRAMIDS = { lat: 29.9792, lng: 31.1342 }; // ~12.17 km
const ALEXANDRIA = { lat: 31.2001, lng: 29.9187 }; // ~180 km

const ISO_DATE = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

type Status =
  | 'posted'
  | 'quoted'
  | 'hired'
  | 'on_the_way'
  | 'in_progress'
  | 'completed'
  | 'disputed'
  | 'cancelled';

/** Who asks for a move, as the state machine sees him. */
type Who =
  | 'the owner'
  | 'the hired craftsman'
  | 'an admin'
  | 'a moderator'
  | 'another client'
  | 'another craftsman';

/** A user as a job embeds him. */
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
  client: Summary | null;
  title: string;
  description: string;
  category: string;
  address?: string;
  location?: { lat: number; lng: number };
  photos: string[];
  paymentType: string;
  budget?: number;
  status: Status;
  craftsman: Summary | null;
  jobPrice?: number;
  hiredAt?: string;
  acceptedQuote: string | null;
  quotesCount: number;
  distanceKm?: number;
  statusHistory: Array<{ from?: Status; to: Status; by: string | null; at: string }>;
  createdAt: string;
  updatedAt: string;
}

interface Quote {
  id: string;
  job: { id: string; title: string; category: string; status: Status } | null;
  status: 'pending' | 'accepted' | 'declined';
}

/** A job that passes validation; tests override what they are about. */
const SINK = {
  title: 'Leaking kitchen sink',
  description: 'Water drips under the kitchen sink all day long.',
  category: 'Plumbing',
};

describe('Jobs (/api/jobs)', () => {
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

  async function browse(
    viewer: Session,
    query: Record<string, string | number | boolean> = {},
  ): Promise<Paginated<Job>> {
    const response = await t.http
      .get('/api/jobs')
      .query(query)
      .set('Authorization', viewer.bearer)
      .expect(200);
    return response.body as Paginated<Job>;
  }

  const idsIn = (page: Paginated<Job>) => page.data.map((job) => job.id);

  function move(actor: Session, jobId: string, status: unknown) {
    return t.http
      .patch(`/api/jobs/${jobId}/status`)
      .set('Authorization', actor.bearer)
      .send({ status });
  }

  function cancel(actor: Session, jobId: string) {
    return t.http.delete(`/api/jobs/${jobId}`).set('Authorization', actor.bearer);
  }

  async function submitQuote(craftsman: Session, jobId: string, price = 50_000): Promise<Quote> {
    const response = await t.http
      .post(`/api/jobs/${jobId}/quotes`)
      .set('Authorization', craftsman.bearer)
      .send({ price })
      .expect(201);
    return response.body as Quote;
  }

  async function acceptQuote(owner: Session, jobId: string, quoteId: string): Promise<Job> {
    const response = await t.http
      .post(`/api/jobs/${jobId}/quotes/${quoteId}/accept`)
      .set('Authorization', owner.bearer)
      .expect(200);
    return response.body as Job;
  }

  async function myQuotes(craftsman: Session): Promise<Paginated<Quote>> {
    const response = await t.http
      .get('/api/quotes/mine')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    return response.body as Paginated<Quote>;
  }

  /** The craftsman quotes the owner's job and the owner accepts: the job is hired. */
  async function hire(owner: Session, craftsman: Session, jobId: string, price = 50_000) {
    const quote = await submitQuote(craftsman, jobId, price);
    return acceptQuote(owner, jobId, quote.id);
  }

  interface Parties {
    owner: Session;
    craftsman: Session;
    job: Job;
  }

  /**
   * A job brought to `status` through the API, by the moves its parties make: quoted by the
   * craftsman, hired by the owner, then on the way, in progress and completed; disputed by the
   * craftsman and cancelled by the owner once hired.
   */
  async function jobIn(status: Status, body: Record<string, unknown> = {}): Promise<Parties> {
    const owner = await newClient(t, { firstName: 'Mona', lastName: 'Khaled' });
    const craftsman = await newCraftsman(t, { firstName: 'Karim', lastName: 'Saleh' });
    const job = await postJob(owner, body);
    const path: Array<[Status, Session]> = [
      ['on_the_way', craftsman],
      ['in_progress', craftsman],
      ['completed', owner],
    ];
    if (status !== 'posted') {
      const quote = await submitQuote(craftsman, job.id);
      if (status !== 'quoted') {
        await acceptQuote(owner, job.id, quote.id);
      }
    }
    if (status === 'disputed') {
      await move(craftsman, job.id, 'disputed').expect(200);
    } else if (status === 'cancelled') {
      await move(owner, job.id, 'cancelled').expect(200);
    } else {
      const steps = path.slice(0, path.findIndex(([to]) => to === status) + 1);
      for (const [to, actor] of steps) {
        await move(actor, job.id, to).expect(200);
      }
    }
    const now = await getJob(owner, job.id);
    expect(now.status).toBe(status);
    return { owner, craftsman, job: now };
  }

  function sessionFor(who: Who, parties: Parties): Promise<Session> {
    switch (who) {
      case 'the owner':
        return Promise.resolve(parties.owner);
      case 'the hired craftsman':
        return Promise.resolve(parties.craftsman);
      case 'an admin':
        return loginAsAdmin(t);
      case 'a moderator':
        return newModerator(t);
      case 'another client':
        return newClient(t, { firstName: 'Other', lastName: 'Client' });
      case 'another craftsman':
        return newCraftsman(t, { firstName: 'Other', lastName: 'Craftsman' });
    }
  }

  describe('POST /jobs', () => {
    it('should post the job as posted, with the client’s summary and no craftsman', async () => {
      const owner = await newClient(t, { firstName: 'Mona', lastName: 'Khaled' });

      const response = await t.http
        .post('/api/jobs')
        .set('Authorization', owner.bearer)
        .send({
          ...SINK,
          address: '12 Tahrir St, Cairo',
          location: TAHRIR_SQUARE,
          photos: ['https://files.example.com/sink.jpg'],
          paymentType: 'escrow',
          budget: 75_000,
        })
        .expect(201);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^[0-9a-f]{24}$/),
          title: 'Leaking kitchen sink',
          description: SINK.description,
          category: 'Plumbing',
          address: '12 Tahrir St, Cairo',
          location: TAHRIR_SQUARE,
          photos: ['https://files.example.com/sink.jpg'],
          paymentType: 'escrow',
          budget: 75_000,
          status: 'posted',
          craftsman: null,
          acceptedQuote: null,
          quotesCount: 0,
          statusHistory: [{ to: 'posted', by: owner.user.id, at: ISO_DATE }],
          createdAt: ISO_DATE,
          updatedAt: ISO_DATE,
        }),
      );
      expect(response.body.client).toEqual(
        expect.objectContaining({
          id: owner.user.id,
          role: 'client',
          firstName: 'Mona',
          lastName: 'Khaled',
          rating: 0,
          ratingCount: 0,
        }),
      );
      expect(response.body.client).not.toHaveProperty('email');
      expect(response.body.client).not.toHaveProperty('phone');
      expect(secretKeysIn(response.body)).toEqual([]);
      expect(await getJob(owner, response.body.id)).toEqual(response.body);
    });

    it('should store the category in the catalog’s spelling, matched case-insensitively', async () => {
      const owner = await newClient(t);

      const lower = await postJob(owner, { category: 'plumbing' });
      const upper = await postJob(owner, { category: 'AC REPAIR' });

      expect(lower.category).toBe('Plumbing');
      expect(upper.category).toBe('AC Repair');
      expect((await getJob(owner, lower.id)).category).toBe('Plumbing');
    });

    it('should answer 400 VALIDATION_FAILED on category for a category not in the catalog', async () => {
      const owner = await newClient(t);

      const response = await t.http
        .post('/api/jobs')
        .set('Authorization', owner.bearer)
        .send({ ...SINK, category: 'Juggling' })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'category', message: expect.stringContaining('Juggling') }],
      });
      expect((await browse(owner, { mine: true })).pagination.totalItems).toBe(0);
    });

    it.each([
      ['zero', 0],
      ['negative', -5],
      ['a fraction', 12.5],
      ['over 100000000', 1e12],
      ['a string', '100'],
    ])(
      'should answer 400 VALIDATION_FAILED on budget for a budget that is %s',
      async (_label, budget) => {
        const owner = await newClient(t);

        const response = await t.http
          .post('/api/jobs')
          .set('Authorization', owner.bearer)
          .send({ ...SINK, budget })
          .expect(400);

        expect(response.body).toEqual({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: [{ field: 'budget', message: expect.any(String) }],
        });
        expect((await browse(owner, { mine: true })).pagination.totalItems).toBe(0);
      },
    );

    it('should accept a budget of exactly 100000000', async () => {
      const owner = await newClient(t);

      const job = await postJob(owner, { budget: 100_000_000 });

      expect(job.budget).toBe(100_000_000);
    });

    it('should refuse an unknown body field, such as a status, and post nothing', async () => {
      const owner = await newClient(t);

      const response = await t.http
        .post('/api/jobs')
        .set('Authorization', owner.bearer)
        .send({ ...SINK, status: 'hired' })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'status', message: 'property status should not exist' }],
      });
      expect((await browse(owner, { mine: true })).pagination.totalItems).toBe(0);
    });

    it('should refuse a body missing its required fields with one detail per field', async () => {
      const owner = await newClient(t);

      const response = await t.http
        .post('/api/jobs')
        .set('Authorization', owner.bearer)
        .send({})
        .expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(
        ['category', 'description', 'title'],
      );
    });

    it('should answer 403 FORBIDDEN to a craftsman and 401 UNAUTHENTICATED without a token', async () => {
      const craftsman = await newCraftsman(t);

      const forbidden = await t.http
        .post('/api/jobs')
        .set('Authorization', craftsman.bearer)
        .send(SINK)
        .expect(403);
      const anonymous = await t.http.post('/api/jobs').send(SINK).expect(401);

      expect(forbidden.body).toEqual({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: expect.any(String),
      });
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      expect((await browse(craftsman)).pagination.totalItems).toBe(0);
    });
  });

  describe('GET /jobs/:jobId', () => {
    it('should show an open job to any signed-in user, its address to the owner only', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner, { address: '12 Tahrir St, Cairo' });
      const craftsman = await newCraftsman(t);
      const otherClient = await newClient(t);

      const asOwner = await getJob(owner, job.id);
      const asCraftsman = await getJob(craftsman, job.id);
      const asOtherClient = await getJob(otherClient, job.id);

      expect(asOwner.address).toBe('12 Tahrir St, Cairo');
      expect(asCraftsman).toEqual(expect.objectContaining({ id: job.id, title: SINK.title }));
      expect(asCraftsman).not.toHaveProperty('address');
      expect(asOtherClient).not.toHaveProperty('address');
      expect(secretKeysIn(asCraftsman)).toEqual([]);
    });

    it('should show the address to the hired craftsman and to staff', async () => {
      const { owner, craftsman, job } = await jobIn('hired', { address: '12 Tahrir St, Cairo' });
      const admin = await loginAsAdmin(t);
      const moderator = await newModerator(t);

      expect((await getJob(owner, job.id)).address).toBe('12 Tahrir St, Cairo');
      expect((await getJob(craftsman, job.id)).address).toBe('12 Tahrir St, Cairo');
      expect((await getJob(admin, job.id)).address).toBe('12 Tahrir St, Cairo');
      expect((await getJob(moderator, job.id)).address).toBe('12 Tahrir St, Cairo');
    });

    it('should show a hired job to its owner, its hired craftsman and an admin only', async () => {
      const { owner, craftsman, job } = await jobIn('hired');
      const admin = await loginAsAdmin(t);
      const otherCraftsman = await newCraftsman(t);
      const otherClient = await newClient(t);

      expect((await getJob(owner, job.id)).status).toBe('hired');
      expect((await getJob(craftsman, job.id)).status).toBe('hired');
      expect((await getJob(admin, job.id)).status).toBe('hired');
      for (const outsider of [otherCraftsman, otherClient]) {
        const response = await t.http
          .get(`/api/jobs/${job.id}`)
          .set('Authorization', outsider.bearer)
          .expect(403);
        expect(response.body).toEqual({
          statusCode: 403,
          code: 'FORBIDDEN',
          message: expect.any(String),
        });
      }
    });

    it('should hide a hired job from a craftsman whose quote was declined', async () => {
      const { owner, craftsman: loser, job } = await jobIn('quoted');
      const winner = await newCraftsman(t);
      await hire(owner, winner, job.id, 40_000);

      await t.http.get(`/api/jobs/${job.id}`).set('Authorization', loser.bearer).expect(403);
      await t.http.get(`/api/jobs/${job.id}`).set('Authorization', winner.bearer).expect(200);
    });

    it('should answer 404 NOT_FOUND for an unknown id', async () => {
      const viewer = await newClient(t);

      const response = await t.http
        .get('/api/jobs/65a1b2c3d4e5f60718293a4b')
        .set('Authorization', viewer.bearer)
        .expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
    });

    it('should answer 404 "Resource not found (invalid ID)" for a malformed id', async () => {
      const viewer = await newClient(t);

      const response = await t.http
        .get('/api/jobs/not-an-id')
        .set('Authorization', viewer.bearer)
        .expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'Resource not found (invalid ID)',
      });
    });

    it('should answer 401 UNAUTHENTICATED without a token', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);

      const response = await t.http.get(`/api/jobs/${job.id}`).expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('PUT /jobs/:jobId', () => {
    it('should change only the fields sent while the job is open', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner, { budget: 50_000, address: '12 Tahrir St, Cairo' });

      const response = await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', owner.bearer)
        .send({ budget: 90_000, category: 'tiling' })
        .expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: job.id,
          title: SINK.title,
          description: SINK.description,
          address: '12 Tahrir St, Cairo',
          category: 'Tiling',
          budget: 90_000,
          status: 'posted',
        }),
      );
      expect(await getJob(owner, job.id)).toEqual(
        expect.objectContaining({ budget: 90_000, category: 'Tiling', title: SINK.title }),
      );
    });

    it('should let the owner edit a quoted job too', async () => {
      const { owner, job } = await jobIn('quoted');

      const response = await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', owner.bearer)
        .send({ description: 'The sink and the tap under it both leak.' })
        .expect(200);

      expect(response.body.description).toBe('The sink and the tap under it both leak.');
      expect(response.body.status).toBe('quoted');
    });

    it('should make a new title searchable and the old one not', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await postJob(owner);

      await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', owner.bearer)
        .send({ title: 'Broken water heater' })
        .expect(200);

      expect(idsIn(await browse(craftsman, { q: 'heater' }))).toEqual([job.id]);
      expect(idsIn(await browse(craftsman, { q: 'leak' }))).toEqual([]);
    });

    it('should answer 403 FORBIDDEN to another client or a craftsman and change nothing', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      const otherClient = await newClient(t);
      const craftsman = await newCraftsman(t);

      for (const intruder of [otherClient, craftsman]) {
        const response = await t.http
          .put(`/api/jobs/${job.id}`)
          .set('Authorization', intruder.bearer)
          .send({ title: 'Hijacked title' })
          .expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
      expect((await getJob(owner, job.id)).title).toBe(SINK.title);
    });

    it('should answer 409 JOB_NOT_OPEN once the job is hired and change nothing', async () => {
      const { owner, job } = await jobIn('hired');

      const response = await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', owner.bearer)
        .send({ title: 'Too late to rename' })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'JOB_NOT_OPEN',
        message: expect.any(String),
      });
      expect((await getJob(owner, job.id)).title).toBe(SINK.title);
    });

    it('should answer 409 JOB_NOT_OPEN for a cancelled job', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      await cancel(owner, job.id).expect(200);

      const response = await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', owner.bearer)
        .send({ budget: 10_000 })
        .expect(409);

      expect(response.body.code).toBe('JOB_NOT_OPEN');
    });

    it('should refuse an unknown category or an unknown field and change nothing', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);

      const badCategory = await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', owner.bearer)
        .send({ category: 'Juggling' })
        .expect(400);
      const unknownField = await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', owner.bearer)
        .send({ title: 'New title', craftsman: owner.user.id })
        .expect(400);

      expect(badCategory.body.details).toEqual([
        { field: 'category', message: expect.any(String) },
      ]);
      expect(unknownField.body.details).toEqual([
        { field: 'craftsman', message: 'property craftsman should not exist' },
      ]);
      expect(await getJob(owner, job.id)).toEqual(
        expect.objectContaining({ title: SINK.title, category: 'Plumbing' }),
      );
    });
  });

  describe('GET /jobs', () => {
    it('should list the open jobs of everyone, newest first, paginated', async () => {
      const mona = await newClient(t);
      const laila = await newClient(t);
      const craftsman = await newCraftsman(t);
      const posted = await postJob(mona, { title: 'Paint the living room', category: 'Painting' });
      const quoted = await postJob(laila, { title: 'Fix the front door lock' });
      await submitQuote(craftsman, quoted.id);
      await jobIn('hired');
      await jobIn('cancelled');
      const newest = await postJob(laila, { title: 'Replace the bathroom tiles' });

      const body = await browse(craftsman);

      expect(idsIn(body)).toEqual([newest.id, quoted.id, posted.id]);
      expect(body.data.map((job) => job.status)).toEqual(['posted', 'quoted', 'posted']);
      expect(body.pagination).toEqual({
        page: 1,
        limit: 10,
        totalPages: 1,
        totalItems: 3,
        nextCursor: null,
      });
      expect(secretKeysIn(body)).toEqual([]);
    });

    it('should honour page and limit', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      const jobs = [
        await postJob(owner, { title: 'First job here' }),
        await postJob(owner, { title: 'Second job here' }),
        await postJob(owner, { title: 'Third job here' }),
      ];

      const first = await browse(craftsman, { page: 1, limit: 2 });
      const second = await browse(craftsman, { page: 2, limit: 2 });

      expect(idsIn(first)).toEqual([jobs[2].id, jobs[1].id]);
      expect(first.pagination).toEqual({
        page: 1,
        limit: 2,
        totalPages: 2,
        totalItems: 3,
        nextCursor: expect.any(String),
      });
      expect(idsIn(second)).toEqual([jobs[0].id]);
      expect(second.pagination).toEqual({
        page: 2,
        limit: 2,
        totalPages: 2,
        totalItems: 3,
        nextCursor: null,
      });
    });

    it('should filter by category, whatever its case', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      const plumbing = await postJob(owner, { category: 'Plumbing' });
      await postJob(owner, { title: 'Paint the living room', category: 'Painting' });

      expect(idsIn(await browse(craftsman, { category: 'Plumbing' }))).toEqual([plumbing.id]);
      expect(idsIn(await browse(craftsman, { category: 'plumbing' }))).toEqual([plumbing.id]);
      expect(idsIn(await browse(craftsman, { category: 'Juggling' }))).toEqual([]);
    });

    it('should match q against the start of title words, case-insensitively', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      const sink = await postJob(owner, { title: 'Leaking kitchen sink' });
      await postJob(owner, { title: 'Bleak wall needs colour', category: 'Painting' });
      await postJob(owner, { title: 'Kitchen cabinet door', category: 'Carpentry' });

      expect(idsIn(await browse(craftsman, { q: 'leak' }))).toEqual([sink.id]);
      expect(idsIn(await browse(craftsman, { q: 'LEAK' }))).toEqual([sink.id]);
      expect(idsIn(await browse(craftsman, { q: 'kitch leak' }))).toEqual([sink.id]);
      expect(idsIn(await browse(craftsman, { q: 'eak' }))).toEqual([]);
      expect((await browse(craftsman, { q: 'kitchen' })).pagination.totalItems).toBe(2);
    });

    it('should list only quoted jobs with status=quoted', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      await postJob(owner);
      const quoted = await postJob(owner, { title: 'Fix the front door lock' });
      await submitQuote(craftsman, quoted.id);

      const body = await browse(craftsman, { status: 'quoted' });

      expect(idsIn(body)).toEqual([quoted.id]);
      expect(body.data[0].status).toBe('quoted');
    });

    it.each(['hired', 'cancelled', 'completed'])(
      'should answer 400 VALIDATION_FAILED on status for status=%s without mine',
      async (status) => {
        const craftsman = await newCraftsman(t);

        const response = await t.http
          .get('/api/jobs')
          .query({ status })
          .set('Authorization', craftsman.bearer)
          .expect(400);

        expect(response.body).toEqual({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: [{ field: 'status', message: expect.any(String) }],
        });
      },
    );

    it('should answer 400 VALIDATION_FAILED on status for an unknown status', async () => {
      const client = await newClient(t);

      const response = await t.http
        .get('/api/jobs')
        .query({ status: 'finished', mine: true })
        .set('Authorization', client.bearer)
        .expect(400);

      expect(response.body.details).toEqual([{ field: 'status', message: expect.any(String) }]);
    });

    it('should list a client’s own jobs in any status with mine=true', async () => {
      const { owner, job: hired } = await jobIn('hired');
      const posted = await postJob(owner, { title: 'Paint the living room', category: 'Painting' });
      const cancelled = await postJob(owner, { title: 'Fix the front door lock' });
      await cancel(owner, cancelled.id).expect(200);
      const someoneElse = await newClient(t);
      await postJob(someoneElse, { title: 'Not my own job' });

      const mine = await browse(owner, { mine: true });
      const mineHired = await browse(owner, { mine: true, status: 'hired' });

      expect(idsIn(mine)).toEqual([cancelled.id, posted.id, hired.id]);
      expect(mine.data.map((job) => job.status)).toEqual(['cancelled', 'posted', 'hired']);
      expect(mine.pagination.totalItems).toBe(3);
      expect(idsIn(mineHired)).toEqual([hired.id]);
    });

    it('should list the jobs a craftsman was hired for with mine=true, not those he only quoted', async () => {
      const { owner, craftsman, job: hired } = await jobIn('hired');
      const onlyQuoted = await postJob(owner, { title: 'Fix the front door lock' });
      await submitQuote(craftsman, onlyQuoted.id);
      const otherCraftsman = await newCraftsman(t);

      const mine = await browse(craftsman, { mine: true });

      expect(idsIn(mine)).toEqual([hired.id]);
      expect(mine.data[0].craftsman?.id).toBe(craftsman.user.id);
      expect(mine.data[0].address).toBe(hired.address);
      expect((await browse(otherCraftsman, { mine: true })).data).toEqual([]);
    });

    it('should list the jobs within radiusKm of lat,lng, nearest first, with their distance', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      const giza = await postJob(owner, { title: 'Giza job here', location: GIZA_PYRAMIDS });
      const tahrir = await postJob(owner, { title: 'Tahrir job here', location: TAHRIR_SQUARE });
      await postJob(owner, { title: 'Alexandria job here', location: ALEXANDRIA });
      const maadi = await postJob(owner, { title: 'Maadi job here', location: MAADI });
      await postJob(owner, { title: 'Nowhere job here' });
      const { job: hiredNearby } = await jobIn('hired', { location: TAHRIR_SQUARE });

      const body = await browse(craftsman, { ...TAHRIR_SQUARE, radiusKm: 15 });

      expect(idsIn(body)).toEqual([tahrir.id, maadi.id, giza.id]);
      expect(idsIn(body)).not.toContain(hiredNearby.id);
      // others' jobs: from each one's ~1 km grid cell, rounded up to 0.5 km (exact: 0, 9.58, 12.17)
      const distances = body.data.map((job) => job.distanceKm);
      expect(distances).toEqual([0.5, 9, 12.5]);
      expect(body.pagination).toEqual({
        page: 1,
        limit: 10,
        totalPages: 1,
        totalItems: 3,
        nextCursor: null,
      });
    });

    it('should combine distance with the other filters and page the nearest-first list', async () => {
      const owner = await newClient(t);
      const craftsman = await newCraftsman(t);
      await postJob(owner, { title: 'Giza job here', location: GIZA_PYRAMIDS });
      await postJob(owner, { title: 'Tahrir job here', location: TAHRIR_SQUARE });
      const maadi = await postJob(owner, { title: 'Maadi job here', location: MAADI });
      await postJob(owner, {
        title: 'Maadi painting job',
        category: 'Painting',
        location: MAADI,
      });

      const second = await browse(craftsman, {
        ...TAHRIR_SQUARE,
        radiusKm: 15,
        category: 'Plumbing',
        page: 2,
        limit: 1,
      });

      expect(idsIn(second)).toEqual([maadi.id]);
      expect(second.pagination).toEqual({
        page: 2,
        limit: 1,
        totalPages: 3,
        totalItems: 3,
        nextCursor: null,
      });
    });

    it('should answer 401 UNAUTHENTICATED without a token', async () => {
      const response = await t.http.get('/api/jobs').expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('PATCH /jobs/:jobId/status', () => {
    const allowed: Array<[Status, Status, Who]> = [
      ['hired', 'on_the_way', 'the hired craftsman'],
      ['on_the_way', 'in_progress', 'the hired craftsman'],
      ['in_progress', 'completed', 'the owner'],
      ['posted', 'cancelled', 'the owner'],
      ['quoted', 'cancelled', 'the owner'],
      ['hired', 'cancelled', 'the owner'],
      ['hired', 'disputed', 'the owner'],
      ['on_the_way', 'disputed', 'the owner'],
      ['in_progress', 'disputed', 'the owner'],
      ['completed', 'disputed', 'the owner'],
      ['hired', 'disputed', 'the hired craftsman'],
      ['on_the_way', 'disputed', 'the hired craftsman'],
      ['in_progress', 'disputed', 'the hired craftsman'],
      ['completed', 'disputed', 'the hired craftsman'],
      ['hired', 'on_the_way', 'an admin'],
      ['on_the_way', 'in_progress', 'an admin'],
      ['in_progress', 'completed', 'an admin'],
      ['completed', 'disputed', 'an admin'],
      ['posted', 'cancelled', 'a moderator'],
      ['hired', 'cancelled', 'a moderator'],
      ['in_progress', 'completed', 'a moderator'],
    ];

    it.each(allowed)(
      'should move a job from %s to %s when %s asks, recording the move',
      async (from, to, who) => {
        const parties = await jobIn(from);
        const actor = await sessionFor(who, parties);
        const before = parties.job.statusHistory;

        const response = await move(actor, parties.job.id, to).expect(200);

        expect(response.body.status).toBe(to);
        expect(response.body.statusHistory).toEqual([
          ...before,
          { from, to, by: actor.user.id, at: ISO_DATE },
        ]);
        // a staff member's id is for staff: the parties read that staff moved it
        const byStaff = who === 'an admin' || who === 'a moderator';
        expect(await getJob(parties.owner, parties.job.id)).toEqual(
          expect.objectContaining({
            status: to,
            statusHistory: [
              ...before,
              byStaff
                ? { from, to, by: null, byStaff: true, at: ISO_DATE }
                : { from, to, by: actor.user.id, at: ISO_DATE },
            ],
          }),
        );
      },
    );

    it('should take the job from posted to completed through every step', async () => {
      const { owner, craftsman, job } = await jobIn('completed');

      expect(job.statusHistory.map(({ from, to, by }) => ({ from, to, by }))).toEqual([
        { from: undefined, to: 'posted', by: owner.user.id },
        { from: 'posted', to: 'quoted', by: null },
        { from: 'quoted', to: 'hired', by: null },
        { from: 'hired', to: 'on_the_way', by: craftsman.user.id },
        { from: 'on_the_way', to: 'in_progress', by: craftsman.user.id },
        { from: 'in_progress', to: 'completed', by: owner.user.id },
      ]);
    });

    const illegal: Array<[Status, Status, Who]> = [
      ['posted', 'on_the_way', 'the owner'],
      ['posted', 'completed', 'the owner'],
      ['posted', 'hired', 'the owner'],
      ['posted', 'quoted', 'the owner'],
      ['posted', 'hired', 'an admin'],
      ['quoted', 'hired', 'the owner'],
      ['quoted', 'in_progress', 'the owner'],
      ['hired', 'completed', 'the owner'],
      ['hired', 'in_progress', 'the hired craftsman'],
      ['on_the_way', 'hired', 'the hired craftsman'],
      ['completed', 'cancelled', 'the owner'],
      ['completed', 'in_progress', 'an admin'],
      ['cancelled', 'posted', 'the owner'],
      ['cancelled', 'hired', 'the hired craftsman'],
      ['cancelled', 'disputed', 'the owner'],
      ['cancelled', 'cancelled', 'the owner'],
      ['cancelled', 'posted', 'an admin'],
      ['disputed', 'completed', 'the owner'],
      ['disputed', 'cancelled', 'the owner'],
      ['disputed', 'in_progress', 'the hired craftsman'],
      ['disputed', 'completed', 'a moderator'],
    ];

    it.each(illegal)(
      'should answer 409 INVALID_STATUS_TRANSITION for %s → %s asked by %s',
      async (from, to, who) => {
        const parties = await jobIn(from);
        const actor = await sessionFor(who, parties);

        const response = await move(actor, parties.job.id, to).expect(409);

        expect(response.body).toEqual({
          statusCode: 409,
          code: 'INVALID_STATUS_TRANSITION',
          message: expect.any(String),
          details: { from, to },
        });
        expect(await getJob(parties.owner, parties.job.id)).toEqual(parties.job);
      },
    );

    const forbidden: Array<[Status, Status, Who]> = [
      ['hired', 'on_the_way', 'the owner'],
      ['on_the_way', 'in_progress', 'the owner'],
      ['in_progress', 'completed', 'the hired craftsman'],
      ['hired', 'cancelled', 'the hired craftsman'],
      ['posted', 'cancelled', 'another client'],
      ['quoted', 'cancelled', 'another craftsman'],
      ['hired', 'on_the_way', 'another craftsman'],
      ['hired', 'disputed', 'another client'],
      ['in_progress', 'completed', 'another client'],
      ['completed', 'disputed', 'another craftsman'],
      ['cancelled', 'posted', 'another client'],
    ];

    it.each(forbidden)(
      'should answer 403 FORBIDDEN for %s → %s asked by %s, and not move the job',
      async (from, to, who) => {
        const parties = await jobIn(from);
        const actor = await sessionFor(who, parties);

        const response = await move(actor, parties.job.id, to).expect(403);

        expect(response.body).toEqual({
          statusCode: 403,
          code: 'FORBIDDEN',
          message: expect.any(String),
        });
        expect(await getJob(parties.owner, parties.job.id)).toEqual(parties.job);
      },
    );

    it('should answer 403 FORBIDDEN to a craftsman who only quoted the job', async () => {
      const { owner, job } = await jobIn('quoted');
      const bidder = await newCraftsman(t);
      await submitQuote(bidder, job.id);

      const response = await move(bidder, job.id, 'cancelled').expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      expect((await getJob(owner, job.id)).status).toBe('quoted');
    });

    it.each([
      ['an unknown status', { status: 'finished' }],
      ['a status in the wrong case', { status: 'CANCELLED' }],
      ['no status', {}],
      ['a number', { status: 3 }],
    ])('should answer 400 VALIDATION_FAILED on status for %s', async (_label, body) => {
      const owner = await newClient(t);
      const job = await postJob(owner);

      const response = await t.http
        .patch(`/api/jobs/${job.id}/status`)
        .set('Authorization', owner.bearer)
        .send(body)
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'status', message: expect.any(String) }],
      });
      expect((await getJob(owner, job.id)).status).toBe('posted');
    });

    it('should answer 404 for an unknown or a malformed job id', async () => {
      const owner = await newClient(t);

      const unknown = await move(owner, '65a1b2c3d4e5f60718293a4b', 'cancelled').expect(404);
      const malformed = await move(owner, 'not-an-id', 'cancelled').expect(404);

      expect(unknown.body.code).toBe('NOT_FOUND');
      expect(malformed.body.message).toBe('Resource not found (invalid ID)');
    });

    it('should answer 401 UNAUTHENTICATED without a token', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);

      await t.http.patch(`/api/jobs/${job.id}/status`).send({ status: 'cancelled' }).expect(401);

      expect((await getJob(owner, job.id)).status).toBe('posted');
    });

    it('should let exactly one of two racing moves win, and record only that one', async () => {
      for (let round = 0; round < 3; round += 1) {
        const { owner, craftsman, job } = await jobIn('hired');

        const [cancelled, onTheWay] = await Promise.all([
          move(owner, job.id, 'cancelled'),
          move(craftsman, job.id, 'on_the_way'),
        ]);

        expect([cancelled.status, onTheWay.status].sort()).toEqual([200, 409]);
        const winner = cancelled.status === 200 ? cancelled : onTheWay;
        const loser = cancelled.status === 200 ? onTheWay : cancelled;
        expect(loser.body.code).toBe('INVALID_STATUS_TRANSITION');
        const after = await getJob(owner, job.id);
        expect(after.status).toBe(winner.body.status);
        expect(after.statusHistory).toHaveLength(job.statusHistory.length + 1);
        expect(after.statusHistory.at(-1)).toEqual(
          expect.objectContaining({ from: 'hired', to: winner.body.status }),
        );
      }
    });
  });

  describe('DELETE /jobs/:jobId', () => {
    it.each<[Status]>([['posted'], ['quoted'], ['hired']])(
      'should let the owner cancel a %s job',
      async (from) => {
        const { owner, job } = await jobIn(from);

        const response = await cancel(owner, job.id).expect(200);

        expect(response.body).toEqual(expect.objectContaining({ id: job.id, status: 'cancelled' }));
        expect(response.body.statusHistory).toEqual([
          ...job.statusHistory,
          { from, to: 'cancelled', by: owner.user.id, at: ISO_DATE },
        ]);
        expect((await getJob(owner, job.id)).status).toBe('cancelled');
      },
    );

    it('should decline the job’s pending quotes', async () => {
      const owner = await newClient(t);
      const job = await postJob(owner);
      const karim = await newCraftsman(t);
      const hany = await newCraftsman(t);
      await submitQuote(karim, job.id);
      await submitQuote(hany, job.id);

      await cancel(owner, job.id).expect(200);

      for (const craftsman of [karim, hany]) {
        const mine = await myQuotes(craftsman);
        expect(mine.data).toEqual([
          expect.objectContaining({
            status: 'declined',
            job: expect.objectContaining({ id: job.id, status: 'cancelled' }),
          }),
        ]);
      }
    });

    it('should decline the pending quotes when cancelled through PATCH as well', async () => {
      const { owner, craftsman, job } = await jobIn('quoted');

      await move(owner, job.id, 'cancelled').expect(200);

      expect((await myQuotes(craftsman)).data.map((quote) => quote.status)).toEqual(['declined']);
    });

    it('should answer 403 FORBIDDEN to the hired craftsman and to another client', async () => {
      const { owner, craftsman, job } = await jobIn('hired');
      const otherClient = await newClient(t);

      await cancel(craftsman, job.id).expect(403);
      const response = await cancel(otherClient, job.id).expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      expect((await getJob(owner, job.id)).status).toBe('hired');
    });

    it.each<[Status]>([['on_the_way'], ['completed'], ['cancelled'], ['disputed']])(
      'should answer 409 INVALID_STATUS_TRANSITION for a job that is %s',
      async (from) => {
        const { owner, job } = await jobIn(from);

        const response = await cancel(owner, job.id).expect(409);

        expect(response.body).toEqual({
          statusCode: 409,
          code: 'INVALID_STATUS_TRANSITION',
          message: expect.any(String),
          details: { from, to: 'cancelled' },
        });
        expect((await getJob(owner, job.id)).status).toBe(from);
      },
    );

    it('should answer 404 for an unknown or a malformed job id', async () => {
      const owner = await newClient(t);

      await cancel(owner, '65a1b2c3d4e5f60718293a4b').expect(404);
      const malformed = await cancel(owner, 'not-an-id').expect(404);

      expect(malformed.body.message).toBe('Resource not found (invalid ID)');
    });
  });

  describe('DELETE /admin/jobs/:jobId', () => {
    // API.md's Admin section: admins only, unless a row names moderators (this one does not)
    const staff: Array<[string, (t: TestApp) => Promise<Session>]> = [['an admin', loginAsAdmin]];
    const cancellable: Status[] = ['posted', 'quoted', 'hired'];
    const cases = staff.flatMap(([label, signIn]) =>
      cancellable.map((from) => [label, from, signIn] as const),
    );

    it.each(cases)('should let %s cancel a %s job', async (_label, from, signIn) => {
      const { owner, craftsman, job } = await jobIn(from);
      const actor = await signIn(t);

      const response = await t.http
        .delete(`/api/admin/jobs/${job.id}`)
        .set('Authorization', actor.bearer)
        .expect(200);

      expect(response.body).toEqual(expect.objectContaining({ id: job.id, status: 'cancelled' }));
      expect(response.body.statusHistory.at(-1)).toEqual({
        from,
        to: 'cancelled',
        by: actor.user.id,
        at: ISO_DATE,
      });
      expect((await getJob(owner, job.id)).status).toBe('cancelled');
      if (from === 'quoted') {
        expect((await myQuotes(craftsman)).data[0].status).toBe('declined');
      }
    });

    it('should answer 403 FORBIDDEN to a moderator, a client (even the owner) and a craftsman', async () => {
      const { owner, craftsman, job } = await jobIn('quoted');

      for (const intruder of [await newModerator(t), owner, craftsman]) {
        const response = await t.http
          .delete(`/api/admin/jobs/${job.id}`)
          .set('Authorization', intruder.bearer)
          .expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
      await t.http.delete(`/api/admin/jobs/${job.id}`).expect(401);
      expect((await getJob(owner, job.id)).status).toBe('quoted');
    });

    it('should answer 409 INVALID_STATUS_TRANSITION for a completed job', async () => {
      const { owner, job } = await jobIn('completed');
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .delete(`/api/admin/jobs/${job.id}`)
        .set('Authorization', admin.bearer)
        .expect(409);

      expect(response.body.details).toEqual({ from: 'completed', to: 'cancelled' });
      expect((await getJob(owner, job.id)).status).toBe('completed');
    });

    it('should answer 404 NOT_FOUND for an unknown job', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .delete('/api/admin/jobs/65a1b2c3d4e5f60718293a4b')
        .set('Authorization', admin.bearer)
        .expect(404);

      expect(response.body.code).toBe('NOT_FOUND');
    });
  });
});
