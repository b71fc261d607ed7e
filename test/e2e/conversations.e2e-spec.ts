import { newClient, newCraftsman, type Session } from '../support/session.js';
import * as marketplace from '../support/marketplace.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import type { Paginated } from '../../src/common/pagination/paginated.js';

const ISO_DATE = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
const OBJECT_ID = expect.stringMatching(/^[0-9a-f]{24}$/);

interface Summary {
  id: string;
  role: string;
  firstName: string;
  lastName: string;
}

interface Message {
  id: string;
  conversation: string;
  sender: string;
  text: string;
  createdAt: string;
}

interface Conversation {
  id: string;
  client: Summary | null;
  craftsman: Summary | null;
  lastActivityAt: string;
  lastMessagePreview: string;
  createdAt: string;
}

describe('Conversations (/api/conversations)', () => {
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

  async function postJob(owner: Session, title = 'Leaking kitchen sink'): Promise<string> {
    return (await marketplace.postJob(t, owner, { title })).id;
  }

  async function inviteById(client: Session, jobId: string, craftsman: Session): Promise<string> {
    const response = await t.http
      .post(`/api/jobs/${jobId}/invite`)
      .set('Authorization', client.bearer)
      .send({ craftsmanId: craftsman.user.id })
      .expect(201);
    return response.body.id as string;
  }

  async function acceptInvitation(craftsman: Session, invitationId: string) {
    const response = await t.http
      .post(`/api/invitations/${invitationId}/accept`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    return response.body as { invitation: { id: string; status: string }; conversationId: string };
  }

  /** A new job, the craftsman invited to it and accepting: their conversation's id. */
  async function openConversation(client: Session, craftsman: Session): Promise<string> {
    const jobId = await postJob(client);
    const invitationId = await inviteById(client, jobId, craftsman);
    return (await acceptInvitation(craftsman, invitationId)).conversationId;
  }

  function idsIn(body: unknown): string[] {
    return (body as Paginated<Conversation>).data.map((conversation) => conversation.id);
  }

  function send(sender: Session, conversationId: string, text: unknown) {
    return t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set('Authorization', sender.bearer)
      .send({ text });
  }

  async function sent(sender: Session, conversationId: string, text: string): Promise<Message> {
    return (await send(sender, conversationId, text).expect(201)).body as Message;
  }

  describe('opened by an accepted invitation', () => {
    it('should answer the conversation id on accepting, and reuse it for another job of the same pair', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const firstJob = await postJob(client, 'Leaking kitchen sink');
      const secondJob = await postJob(client, 'Blocked bathroom drain');
      const firstInvitation = await inviteById(client, firstJob, craftsman);
      const secondInvitation = await inviteById(client, secondJob, craftsman);

      const first = await acceptInvitation(craftsman, firstInvitation);
      const second = await acceptInvitation(craftsman, secondInvitation);

      expect(first).toEqual({
        invitation: expect.objectContaining({ id: firstInvitation, status: 'accepted' }),
        conversationId: OBJECT_ID,
      });
      expect(second.invitation.status).toBe('accepted');
      expect(second.conversationId).toBe(first.conversationId);
      expect(await t.connection.collection('conversations').countDocuments({})).toBe(1);
    });

    it('should open a separate conversation for each client–craftsman pair', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const otherCraftsman = await newCraftsman(t);

      const first = await openConversation(client, craftsman);
      const second = await openConversation(client, otherCraftsman);

      expect(second).not.toBe(first);
    });
  });

  describe('POST /conversations/:id/messages', () => {
    it('should let either participant write', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);

      const fromClient = await send(client, conversationId, 'When can you come?').expect(201);
      const fromCraftsman = await send(craftsman, conversationId, 'Tomorrow at 10').expect(201);

      expect(fromClient.body).toEqual({
        id: OBJECT_ID,
        conversation: conversationId,
        sender: client.user.id,
        text: 'When can you come?',
        createdAt: ISO_DATE,
      });
      expect(fromCraftsman.body).toEqual({
        id: OBJECT_ID,
        conversation: conversationId,
        sender: craftsman.user.id,
        text: 'Tomorrow at 10',
        createdAt: ISO_DATE,
      });
    });

    it('should take a text of exactly 4000 characters', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);

      const response = await send(client, conversationId, 'x'.repeat(4000)).expect(201);

      expect(response.body.text).toHaveLength(4000);
    });

    it.each([
      ['an empty text', ''],
      ['a blank text', '   '],
      ['a text over 4000 characters', 'x'.repeat(4001)],
      ['a text that is not a string', 42],
    ])('should refuse %s with VALIDATION_FAILED', async (_label, text) => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);

      const response = await send(client, conversationId, text).expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: expect.arrayContaining([{ field: 'text', message: expect.any(String) }]),
      });
      expect(await t.connection.collection('messages').countDocuments({})).toBe(0);
    });

    it('should answer 400 for a missing text or an unknown field', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);

      const missing = await t.http
        .post(`/api/conversations/${conversationId}/messages`)
        .set('Authorization', client.bearer)
        .send({})
        .expect(400);
      const extra = await t.http
        .post(`/api/conversations/${conversationId}/messages`)
        .set('Authorization', client.bearer)
        .send({ text: 'Hello', sender: craftsman.user.id })
        .expect(400);

      expect(missing.body.details).toEqual([{ field: 'text', message: expect.any(String) }]);
      expect(extra.body.details).toEqual([
        { field: 'sender', message: 'property sender should not exist' },
      ]);
    });

    it('should answer 403 FORBIDDEN to anyone but the two participants', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const otherClient = await newClient(t);
      const otherCraftsman = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);

      const byClient = await send(otherClient, conversationId, 'Let me in').expect(403);
      const byCraftsman = await send(otherCraftsman, conversationId, 'Let me in').expect(403);

      expect(byClient.body).toEqual({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: expect.any(String),
      });
      expect(byCraftsman.body.code).toBe('FORBIDDEN');
      expect(await t.connection.collection('messages').countDocuments({})).toBe(0);
    });

    it('should answer 401 without a token', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);

      const response = await t.http
        .post(`/api/conversations/${conversationId}/messages`)
        .send({ text: 'Hello' })
        .expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('should answer 404 NOT_FOUND for an unknown conversation', async () => {
      const client = await newClient(t);

      const response = await send(client, '65a1b2c3d4e5f60718293a4b', 'Hello').expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
    });

    it('should answer 404 "Resource not found (invalid ID)" for a malformed id', async () => {
      const client = await newClient(t);

      const response = await send(client, 'not-an-id', 'Hello').expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'Resource not found (invalid ID)',
      });
    });
  });

  describe('GET /conversations/:id/messages', () => {
    it('should page through the messages newest first', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);
      const first = await sent(client, conversationId, 'one');
      const second = await sent(craftsman, conversationId, 'two');
      const third = await sent(client, conversationId, 'three');

      const pageOne = await t.http
        .get(`/api/conversations/${conversationId}/messages?page=1&limit=2`)
        .set('Authorization', craftsman.bearer)
        .expect(200);
      const pageTwo = await t.http
        .get(`/api/conversations/${conversationId}/messages?page=2&limit=2`)
        .set('Authorization', client.bearer)
        .expect(200);

      expect(pageOne.body).toEqual({
        data: [third, second],
        pagination: {
          page: 1,
          limit: 2,
          totalPages: 2,
          totalItems: 3,
          nextCursor: expect.any(String),
        },
      });
      expect(pageTwo.body).toEqual({
        data: [first],
        pagination: { page: 2, limit: 2, totalPages: 2, totalItems: 3, nextCursor: null },
      });
    });

    it('should answer an empty page for a conversation with no messages yet', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);

      const response = await t.http
        .get(`/api/conversations/${conversationId}/messages`)
        .set('Authorization', client.bearer)
        .expect(200);

      expect(response.body).toEqual({
        data: [],
        pagination: expect.objectContaining({ page: 1, totalItems: 0 }),
      });
    });

    it('should answer 403 to a third user, 404 for unknown and malformed ids', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const stranger = await newCraftsman(t);
      const conversationId = await openConversation(client, craftsman);
      await sent(client, conversationId, 'private');

      const forbidden = await t.http
        .get(`/api/conversations/${conversationId}/messages`)
        .set('Authorization', stranger.bearer)
        .expect(403);
      const unknown = await t.http
        .get('/api/conversations/65a1b2c3d4e5f60718293a4b/messages')
        .set('Authorization', client.bearer)
        .expect(404);
      const malformed = await t.http
        .get('/api/conversations/123/messages')
        .set('Authorization', client.bearer)
        .expect(404);

      expect(forbidden.body.code).toBe('FORBIDDEN');
      expect(JSON.stringify(forbidden.body)).not.toContain('private');
      expect(unknown.body.code).toBe('NOT_FOUND');
      expect(malformed.body.message).toBe('Resource not found (invalid ID)');
    });
  });

  describe('GET /conversations', () => {
    it('should list the own conversations, most recent activity first, with both parties and the last message', async () => {
      const client = await newClient(t, { firstName: 'Mona', lastName: 'Khaled' });
      const karim = await newCraftsman(t, { firstName: 'Karim', lastName: 'Adel' });
      const omar = await newCraftsman(t, { firstName: 'Omar', lastName: 'Said' });
      const withKarim = await openConversation(client, karim);
      const withOmar = await openConversation(client, omar);
      await sent(client, withOmar, 'Are you free on Sunday?');
      await sent(karim, withKarim, 'I can come tomorrow morning');

      const response = await t.http
        .get('/api/conversations')
        .set('Authorization', client.bearer)
        .expect(200);

      expect(response.body).toEqual({
        data: [
          expect.objectContaining({
            id: withKarim,
            client: expect.objectContaining({
              id: client.user.id,
              firstName: 'Mona',
              lastName: 'Khaled',
            }),
            craftsman: expect.objectContaining({
              id: karim.user.id,
              firstName: 'Karim',
              lastName: 'Adel',
            }),
            lastMessagePreview: 'I can come tomorrow morning',
            lastActivityAt: ISO_DATE,
          }),
          expect.objectContaining({
            id: withOmar,
            craftsman: expect.objectContaining({ id: omar.user.id, firstName: 'Omar' }),
            lastMessagePreview: 'Are you free on Sunday?',
          }),
        ],
        pagination: { page: 1, limit: 10, totalPages: 1, totalItems: 2, nextCursor: null },
      });
      const summaries = (response.body as Paginated<Conversation>).data.flatMap((c) => [
        c.client,
        c.craftsman,
      ]);
      for (const summary of summaries) {
        expect(summary).not.toHaveProperty('email');
        expect(summary).not.toHaveProperty('phone');
      }
    });

    it('should move a conversation to the top when a message is sent in it', async () => {
      const client = await newClient(t);
      const karim = await newCraftsman(t);
      const omar = await newCraftsman(t);
      const withKarim = await openConversation(client, karim);
      const withOmar = await openConversation(client, omar);
      await sent(client, withKarim, 'first');
      await sent(client, withOmar, 'second');

      const before = await t.http
        .get('/api/conversations')
        .set('Authorization', client.bearer)
        .expect(200);
      await sent(karim, withKarim, 'third');
      const after = await t.http
        .get('/api/conversations')
        .set('Authorization', client.bearer)
        .expect(200);

      expect(idsIn(before.body)).toEqual([withOmar, withKarim]);
      expect(idsIn(after.body)).toEqual([withKarim, withOmar]);
      expect(after.body.data[0].lastMessagePreview).toBe('third');
    });

    it('should paginate', async () => {
      const client = await newClient(t);
      const craftsmen = [await newCraftsman(t), await newCraftsman(t), await newCraftsman(t)];
      for (const craftsman of craftsmen) {
        await openConversation(client, craftsman);
      }

      const response = await t.http
        .get('/api/conversations?page=2&limit=2')
        .set('Authorization', client.bearer)
        .expect(200);

      expect((response.body as Paginated<Conversation>).data).toHaveLength(1);
      expect(response.body.pagination).toEqual({
        page: 2,
        limit: 2,
        totalPages: 2,
        totalItems: 3,
        nextCursor: null,
      });
    });

    it('should show each user only the conversations he takes part in', async () => {
      const client = await newClient(t);
      const karim = await newCraftsman(t);
      const omar = await newCraftsman(t);
      const outsider = await newClient(t);
      const withKarim = await openConversation(client, karim);
      const withOmar = await openConversation(client, omar);

      const forKarim = await t.http
        .get('/api/conversations')
        .set('Authorization', karim.bearer)
        .expect(200);
      const forOmar = await t.http
        .get('/api/conversations')
        .set('Authorization', omar.bearer)
        .expect(200);
      const forOutsider = await t.http
        .get('/api/conversations')
        .set('Authorization', outsider.bearer)
        .expect(200);

      expect(idsIn(forKarim.body)).toEqual([withKarim]);
      expect(idsIn(forOmar.body)).toEqual([withOmar]);
      expect(forOutsider.body).toEqual({
        data: [],
        pagination: expect.objectContaining({ totalItems: 0 }),
      });
    });

    it('should answer 401 without a token', async () => {
      await t.http.get('/api/conversations').expect(401);
    });
  });
});
