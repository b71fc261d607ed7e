import { randomBytes } from 'node:crypto';
import { FakeClock } from '../support/fake-clock.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import * as marketplace from '../support/marketplace.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import type { Paginated } from '../../src/common/pagination/paginated.js';

const ISO_DATE = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
const OBJECT_ID = expect.stringMatching(/^[0-9a-f]{24}$/);
const DAY_MS = 24 * 3600 * 1000;

/** What POST /jobs/:jobId/invite-links answers. */
interface InviteLink {
  id: string;
  url: string;
  token: string;
  expiresAt: string;
  maxUses: number;
  uses: number;
}

interface Invitation {
  id: string;
  job: { id: string } | null;
  client: { id: string } | null;
  craftsman: { id: string } | null;
  status: string;
  source: string;
}

describe('Invite links', () => {
  let t: TestApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  async function postJob(owner: Session): Promise<string> {
    return (await marketplace.postJob(t, owner)).id;
  }

  async function createLink(
    owner: Session,
    jobId: string,
    body: { maxUses?: number; expiresInDays?: number } = {},
  ): Promise<InviteLink> {
    const response = await t.http
      .post(`/api/jobs/${jobId}/invite-links`)
      .set('Authorization', owner.bearer)
      .send(body)
      .expect(201);
    return response.body as InviteLink;
  }

  function accept(craftsman: Session, token: string) {
    return t.http.post(`/api/invite-links/${token}/accept`).set('Authorization', craftsman.bearer);
  }

  /** A client with an open job and a link to it. */
  async function jobWithLink(
    body: { maxUses?: number; expiresInDays?: number } = {},
  ): Promise<{ client: Session; jobId: string; link: InviteLink }> {
    const client = await newClient(t);
    const jobId = await postJob(client);
    return { client, jobId, link: await createLink(client, jobId, body) };
  }

  describe('POST /jobs/:jobId/invite-links', () => {
    it('should create a link for 10 uses over 30 days by default, showing its token', async () => {
      const client = await newClient(t);
      const jobId = await postJob(client);

      const response = await t.http
        .post(`/api/jobs/${jobId}/invite-links`)
        .set('Authorization', client.bearer)
        .send({})
        .expect(201);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: OBJECT_ID,
          url: expect.any(String),
          token: expect.any(String),
          expiresAt: ISO_DATE,
          maxUses: 10,
          uses: 0,
        }),
      );
      const link = response.body as InviteLink;
      expect(link.token.length).toBeGreaterThanOrEqual(32);
      expect(link.url).toContain(link.token);
      const expectedExpiry = clock.now().getTime() + 30 * DAY_MS;
      expect(Math.abs(new Date(link.expiresAt).getTime() - expectedExpiry)).toBeLessThan(60_000);
    });

    it('should take maxUses and expiresInDays', async () => {
      const client = await newClient(t);
      const jobId = await postJob(client);

      const link = await createLink(client, jobId, { maxUses: 3, expiresInDays: 7 });

      expect(link.maxUses).toBe(3);
      expect(link.uses).toBe(0);
      const expectedExpiry = clock.now().getTime() + 7 * DAY_MS;
      expect(Math.abs(new Date(link.expiresAt).getTime() - expectedExpiry)).toBeLessThan(60_000);
    });

    it('should answer 403 FORBIDDEN to another client', async () => {
      const client = await newClient(t);
      const stranger = await newClient(t);
      const jobId = await postJob(client);

      const response = await t.http
        .post(`/api/jobs/${jobId}/invite-links`)
        .set('Authorization', stranger.bearer)
        .send({})
        .expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('should answer 409 JOB_NOT_OPEN for a cancelled job', async () => {
      const client = await newClient(t);
      const jobId = await postJob(client);
      await t.http.delete(`/api/jobs/${jobId}`).set('Authorization', client.bearer).expect(200);

      const response = await t.http
        .post(`/api/jobs/${jobId}/invite-links`)
        .set('Authorization', client.bearer)
        .send({})
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'JOB_NOT_OPEN',
        message: expect.any(String),
      });
    });

    it.each([0, 1001])('should refuse maxUses %d with VALIDATION_FAILED', async (maxUses) => {
      const client = await newClient(t);
      const jobId = await postJob(client);

      const response = await t.http
        .post(`/api/jobs/${jobId}/invite-links`)
        .set('Authorization', client.bearer)
        .send({ maxUses })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'maxUses', message: expect.any(String) }],
      });
      expect(await t.connection.collection('invite_links').countDocuments({})).toBe(0);
    });
  });

  describe('POST /invite-links/:token/accept', () => {
    it('should give the craftsman an accepted invitation and the conversation with the client', async () => {
      const { client, jobId, link } = await jobWithLink();
      const craftsman = await newCraftsman(t);

      const response = await accept(craftsman, link.token).expect(201);
      const listed = await t.http
        .get(`/api/jobs/${jobId}/invitations`)
        .set('Authorization', client.bearer)
        .expect(200);

      expect(response.body).toEqual({
        invitation: expect.objectContaining({
          id: OBJECT_ID,
          job: expect.objectContaining({ id: jobId }),
          client: expect.objectContaining({ id: client.user.id }),
          craftsman: expect.objectContaining({ id: craftsman.user.id }),
          status: 'accepted',
          source: 'invite_link',
        }),
        conversationId: OBJECT_ID,
      });
      const page = listed.body as Paginated<Invitation>;
      expect(page.data).toEqual([
        expect.objectContaining({
          id: response.body.invitation.id,
          status: 'accepted',
          source: 'invite_link',
          craftsman: expect.objectContaining({ id: craftsman.user.id }),
        }),
      ]);
      const conversations = await t.http
        .get('/api/conversations')
        .set('Authorization', client.bearer)
        .expect(200);
      expect((conversations.body as Paginated<{ id: string }>).data.map((c) => c.id)).toEqual([
        response.body.conversationId,
      ]);
    });

    it('should answer 403 FORBIDDEN to a client', async () => {
      const { link } = await jobWithLink();
      const otherClient = await newClient(t);

      const response = await accept(otherClient, link.token).expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('should answer 404 NOT_FOUND for an unknown token', async () => {
      const craftsman = await newCraftsman(t);

      const response = await accept(craftsman, randomBytes(32).toString('base64url')).expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
    });

    it('should honour maxUses when many craftsmen accept at once', async () => {
      const { client, jobId, link } = await jobWithLink({ maxUses: 3 });
      const craftsmen = await Promise.all(Array.from({ length: 8 }, () => newCraftsman(t)));

      const responses = await Promise.all(
        craftsmen.map((craftsman) => accept(craftsman, link.token)),
      );

      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(3);
      expect(statuses.filter((status) => status === 410)).toHaveLength(5);
      for (const refused of responses.filter((r) => r.status === 410)) {
        expect(refused.body).toEqual({
          statusCode: 410,
          code: 'INVITE_LINK_EXHAUSTED',
          message: expect.any(String),
        });
      }
      const listed = await t.http
        .get(`/api/jobs/${jobId}/invitations`)
        .set('Authorization', client.bearer)
        .expect(200);
      expect((listed.body as Paginated<Invitation>).pagination.totalItems).toBe(3);
      const stored = await t.connection.collection('invite_links').findOne({});
      expect(stored?.uses).toBe(3);
    });

    it('should answer 409 ALREADY_INVITED to the same craftsman twice, without using up the link', async () => {
      const { link } = await jobWithLink({ maxUses: 2 });
      const craftsman = await newCraftsman(t);
      const second = await newCraftsman(t);
      const third = await newCraftsman(t);

      await accept(craftsman, link.token).expect(201);
      const again = await accept(craftsman, link.token).expect(409);
      await accept(second, link.token).expect(201);
      const exhausted = await accept(third, link.token).expect(410);

      expect(again.body).toEqual({
        statusCode: 409,
        code: 'ALREADY_INVITED',
        message: expect.any(String),
      });
      expect(exhausted.body.code).toBe('INVITE_LINK_EXHAUSTED');
    });

    it('should answer 410 INVITE_LINK_EXPIRED once the link is revoked', async () => {
      const { client, jobId, link } = await jobWithLink();
      const craftsman = await newCraftsman(t);

      const revoked = await t.http
        .delete(`/api/jobs/${jobId}/invite-links/${link.id}`)
        .set('Authorization', client.bearer)
        .expect(200);
      const response = await accept(craftsman, link.token).expect(410);

      expect(revoked.body).toEqual(expect.objectContaining({ id: link.id, revoked: true }));
      expect(response.body).toEqual({
        statusCode: 410,
        code: 'INVITE_LINK_EXPIRED',
        message: expect.any(String),
      });
    });

    it('should answer 409 JOB_NOT_OPEN when the job was cancelled after the link was made', async () => {
      const { client, jobId, link } = await jobWithLink();
      const craftsman = await newCraftsman(t);
      await t.http.delete(`/api/jobs/${jobId}`).set('Authorization', client.bearer).expect(200);

      const response = await accept(craftsman, link.token).expect(409);

      expect(response.body.code).toBe('JOB_NOT_OPEN');
      expect(await t.connection.collection('invitations').countDocuments({})).toBe(0);
    });

    it('should answer 410 INVITE_LINK_EXPIRED past expiresInDays', async () => {
      const { link } = await jobWithLink({ expiresInDays: 2 });
      const craftsman = await newCraftsman(t);
      clock.advanceDays(2);
      clock.advance(60_000);

      const response = await accept(craftsman, link.token).expect(410);

      expect(response.body.code).toBe('INVITE_LINK_EXPIRED');
    });
  });

  describe('DELETE /jobs/:jobId/invite-links/:linkId', () => {
    it('should answer 404 NOT_FOUND for a link of another job or no link at all', async () => {
      const { client, link } = await jobWithLink();
      const otherJob = await postJob(client);

      await t.http
        .delete(`/api/jobs/${otherJob}/invite-links/${link.id}`)
        .set('Authorization', client.bearer)
        .expect(404);
      const unknown = await t.http
        .delete(`/api/jobs/${otherJob}/invite-links/65a1b2c3d4e5f60718293a4b`)
        .set('Authorization', client.bearer)
        .expect(404);

      expect(unknown.body.code).toBe('NOT_FOUND');
    });

    it('should answer 403 to another client and leave the link working', async () => {
      const { jobId, link } = await jobWithLink();
      const stranger = await newClient(t);
      const craftsman = await newCraftsman(t);

      await t.http
        .delete(`/api/jobs/${jobId}/invite-links/${link.id}`)
        .set('Authorization', stranger.bearer)
        .expect(403);

      await accept(craftsman, link.token).expect(201);
    });
  });
});
