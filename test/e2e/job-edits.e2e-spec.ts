import type { Socket } from 'socket.io-client';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import * as marketplace from '../support/marketplace.js';
import { connectSocket, nextEvent } from '../support/socket.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Quote {
  id: string;
  price: number;
  status: string;
  confirmedAt: string | null;
  outdated: boolean;
}

interface Notification {
  type: string;
  title: string;
  message: string;
  data: Record<string, string>;
}

/**
 * Issue 11, item 15 (API.md "Quotes"): a material edit of an open job (title, description,
 * category, location) tells every craftsman who quoted it, and a quote made before the edit can't
 * be accepted (409 QUOTE_OUTDATED) until its craftsman confirms it, optionally at a new price.
 */
describe('Material job edits and quote confirmation', () => {
  let t: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.close());
  });

  async function socketOf(session: Session): Promise<Socket> {
    const socket = await connectSocket(t, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  async function quote(craftsman: Session, jobId: string, price = 50_000): Promise<Quote> {
    return (
      await t.http
        .post(`/api/jobs/${jobId}/quotes`)
        .set('Authorization', craftsman.bearer)
        .send({ price })
        .expect(201)
    ).body as Quote;
  }

  function edit(client: Session, jobId: string, body: Record<string, unknown>) {
    return t.http.put(`/api/jobs/${jobId}`).set('Authorization', client.bearer).send(body);
  }

  function accept(client: Session, jobId: string, quoteId: string) {
    return t.http
      .post(`/api/jobs/${jobId}/quotes/${quoteId}/accept`)
      .set('Authorization', client.bearer);
  }

  function confirm(who: Session, jobId: string, quoteId: string, body = {}) {
    return t.http
      .post(`/api/jobs/${jobId}/quotes/${quoteId}/confirm`)
      .set('Authorization', who.bearer)
      .send(body);
  }

  async function notificationsOf(session: Session, type: string): Promise<Notification[]> {
    const response = await t.http
      .get('/api/notifications?limit=100')
      .set('Authorization', session.bearer)
      .expect(200);
    return (response.body.data as Notification[]).filter((item) => item.type === type);
  }

  async function quotesOf(client: Session, jobId: string): Promise<Quote[]> {
    const response = await t.http
      .get(`/api/jobs/${jobId}/quotes`)
      .set('Authorization', client.bearer)
      .expect(200);
    return response.body.data as Quote[];
  }

  /** A client's job quoted by two craftsmen. */
  async function quotedJob() {
    const client = await newClient(t);
    const job = await marketplace.postJob(t, client, {
      address: '12 Tahrir St, Cairo',
      location: { lat: 30.04, lng: 31.23 },
    });
    const first = await newCraftsman(t);
    const second = await newCraftsman(t);
    const firstQuote = await quote(first, job.id, 50_000);
    const secondQuote = await quote(second, job.id, 60_000);
    return { client, jobId: job.id, first, second, firstQuote, secondQuote };
  }

  it.each([
    ['title', { title: 'Leaking bathroom sink and a broken tap' }],
    ['description', { description: 'Also the tap in the bathroom drips, please bring parts.' }],
    ['category', { category: 'Electrical' }],
    ['location', { location: { lat: 30.1, lng: 31.3 } }],
  ])(
    'should tell every quoting craftsman of a %s change, in-app and on the socket',
    async (field, change) => {
      const { client, jobId, first, second } = await quotedJob();
      const firstSocket = await socketOf(first);
      const live = nextEvent<{ id: string; materialEditAt: string | null }>(
        firstSocket,
        'job.updated',
      );

      const edited = await edit(client, jobId, change).expect(200);

      expect(edited.body.materialEditAt).toEqual(expect.stringMatching(/^\d{4}-/));
      expect(await live).toEqual(
        expect.objectContaining({ id: jobId, materialEditAt: edited.body.materialEditAt }),
      );
      for (const craftsman of [first, second]) {
        const [notification] = await notificationsOf(craftsman, 'job.updated');
        expect(notification).toEqual(
          expect.objectContaining({
            title: 'A job you quoted changed',
            message: expect.stringContaining(`changed the ${field} of`),
            data: expect.objectContaining({ jobId, deepLink: `/jobs/${jobId}` }),
          }),
        );
      }
      expect(await notificationsOf(client, 'job.updated')).toEqual([]);
    },
  );

  it('should refuse to hire a quote made before a material edit with 409 QUOTE_OUTDATED', async () => {
    const { client, jobId, firstQuote } = await quotedJob();
    await edit(client, jobId, { title: 'Leaking bathroom sink' }).expect(200);

    const refused = await accept(client, jobId, firstQuote.id).expect(409);

    expect(refused.body).toEqual({
      statusCode: 409,
      code: 'QUOTE_OUTDATED',
      message: expect.any(String),
    });
    const job = await marketplace.getJob<{ status: string; craftsman: unknown }>(t, client, jobId);
    expect(job).toEqual(expect.objectContaining({ status: 'quoted', craftsman: null }));
    expect((await quotesOf(client, jobId)).map((listed) => listed.outdated)).toEqual([true, true]);
  });

  it('should let the craftsman confirm at a new price, tell the client, and then be hired at it', async () => {
    const { client, jobId, first, firstQuote } = await quotedJob();
    await edit(client, jobId, { description: 'Two sinks leak now, and the tap is loose.' });
    const clientSocket = await socketOf(client);
    const live = nextEvent<Quote>(clientSocket, 'quote.confirmed');

    const confirmed = await confirm(first, jobId, firstQuote.id, { price: 65_000 }).expect(200);

    expect(confirmed.body).toEqual(
      expect.objectContaining({
        id: firstQuote.id,
        price: 65_000,
        status: 'pending',
        outdated: false,
        confirmedAt: expect.stringMatching(/^\d{4}-/),
      }),
    );
    expect(await live).toEqual(expect.objectContaining({ id: firstQuote.id, price: 65_000 }));
    const [notification] = await notificationsOf(client, 'quote.confirmed');
    expect(notification.message).toContain('EGP 650.00 (was EGP 500.00)');
    const hired = await accept(client, jobId, firstQuote.id).expect(200);
    expect(hired.body).toEqual(expect.objectContaining({ status: 'hired', jobPrice: 65_000 }));
  });

  it('should keep the price when confirming without one', async () => {
    const { client, jobId, first, firstQuote } = await quotedJob();
    await edit(client, jobId, { category: 'Electrical' }).expect(200);

    const confirmed = await confirm(first, jobId, firstQuote.id).expect(200);

    expect(confirmed.body.price).toBe(50_000);
    await accept(client, jobId, firstQuote.id).expect(200);
  });

  it('should accept a quote made after the edit without confirmation', async () => {
    const client = await newClient(t);
    const job = await marketplace.postJob(t, client);
    await edit(client, job.id, { title: 'Leaking bathroom sink' }).expect(200);
    const craftsman = await newCraftsman(t);
    const late = await quote(craftsman, job.id);

    expect(late.outdated).toBe(false);
    await accept(client, job.id, late.id).expect(200);
  });

  it.each([
    ['the address', { address: '14 Tahrir St, Cairo' }],
    ['the budget', { budget: 70_000 }],
    ['the photos', { photos: ['https://img.example.com/sink.jpg'] }],
    ['the same title again', { title: 'Leaking kitchen sink' }],
  ])('should not outdate quotes or notify anyone when changing %s', async (_name, change) => {
    const { client, jobId, first, firstQuote } = await quotedJob();

    const edited = await edit(client, jobId, change).expect(200);

    expect(edited.body.materialEditAt).toBeNull();
    expect(await notificationsOf(first, 'job.updated')).toEqual([]);
    await accept(client, jobId, firstQuote.id).expect(200);
  });

  it('should answer 403 to anyone but the quote’s craftsman, and change nothing', async () => {
    const { client, jobId, second, firstQuote } = await quotedJob();
    await edit(client, jobId, { title: 'Leaking bathroom sink' }).expect(200);

    for (const intruder of [second, client]) {
      const response = await confirm(intruder, jobId, firstQuote.id, { price: 1 }).expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
    const [, listed] = await quotesOf(client, jobId);
    expect(listed).toEqual(expect.objectContaining({ id: firstQuote.id, price: 50_000 }));
  });

  it('should answer 409 JOB_NOT_OPEN once the job is hired or cancelled', async () => {
    const { client, jobId, first, firstQuote, secondQuote } = await quotedJob();
    await accept(client, jobId, secondQuote.id).expect(200);
    const other = await marketplace.postJob(t, client);
    const otherQuote = await quote(first, other.id);
    await t.http.delete(`/api/jobs/${other.id}`).set('Authorization', client.bearer).expect(200);

    const hired = await confirm(first, jobId, firstQuote.id).expect(409);
    const cancelled = await confirm(first, other.id, otherQuote.id).expect(409);

    expect([hired.body.code, cancelled.body.code]).toEqual(['JOB_NOT_OPEN', 'JOB_NOT_OPEN']);
  });

  it('should answer 404 for a quote of another job, and 400 for a bad price', async () => {
    const { client, jobId, first, firstQuote } = await quotedJob();
    const other = await marketplace.postJob(t, client);

    await confirm(first, other.id, firstQuote.id).expect(404);
    const bad = await confirm(first, jobId, firstQuote.id, { price: 0 }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('should outdate a confirmed quote again at the next material edit', async () => {
    const { client, jobId, first, firstQuote } = await quotedJob();
    await edit(client, jobId, { title: 'Leaking bathroom sink' }).expect(200);
    await confirm(first, jobId, firstQuote.id).expect(200);
    await edit(client, jobId, { title: 'Leaking bathroom and kitchen sinks' }).expect(200);

    const refused = await accept(client, jobId, firstQuote.id).expect(409);

    expect(refused.body.code).toBe('QUOTE_OUTDATED');
    expect(await notificationsOf(first, 'job.updated')).toHaveLength(2);
  });
});
