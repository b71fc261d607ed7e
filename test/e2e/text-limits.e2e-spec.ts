import { newClient, newCraftsman, type Session } from '../support/session.js';
import * as marketplace from '../support/marketplace.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** One code point, two UTF-16 units: the limits count it once, as people do. */
const EMOJI = '😀';

/**
 * Issue 11, item 14: every limit on people's text is counted in Unicode code points, the same on
 * the request and in the database, so text within the limit is stored intact (never a 500) and
 * text over it is a 400 naming the field.
 */
describe('Text limits in code points', () => {
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

  /** A client and a craftsman with a conversation (the craftsman accepted an invitation). */
  async function conversation(): Promise<{ client: Session; conversationId: string }> {
    const client = await newClient(t);
    const craftsman = await newCraftsman(t);
    const job = await marketplace.postJob(t, client);
    const invitation = await marketplace.inviteCraftsman(t, client, job.id, craftsman);
    const accepted = await t.http
      .post(`/api/invitations/${invitation.id}/accept`)
      .set('Authorization', craftsman.bearer)
      .expect(200);
    return { client, conversationId: accepted.body.conversationId as string };
  }

  function send(sender: Session, conversationId: string, text: string) {
    return t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set('Authorization', sender.bearer)
      .send({ text });
  }

  function expectTooLong(body: unknown, field: string): void {
    expect(body).toEqual(
      expect.objectContaining({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        details: [{ field, message: expect.stringContaining('characters') }],
      }),
    );
  }

  describe('chat messages (1..4000)', () => {
    it('should store a message of 2,001 emoji (4,002 UTF-16 units) intact', async () => {
      const { client, conversationId } = await conversation();
      const text = EMOJI.repeat(2001);

      const response = await send(client, conversationId, text).expect(201);

      expect(response.body.text).toBe(text);
      const listed = await t.http
        .get(`/api/conversations/${conversationId}/messages`)
        .set('Authorization', client.bearer)
        .expect(200);
      expect(listed.body.data[0].text).toBe(text);
    });

    it('should store a message of exactly 4,000 emoji', async () => {
      const { client, conversationId } = await conversation();

      const response = await send(client, conversationId, EMOJI.repeat(4000)).expect(201);

      expect(response.body.text).toBe(EMOJI.repeat(4000));
    });

    it.each([
      ['4,001 emoji', EMOJI.repeat(4001)],
      ['4,001 letters', 'a'.repeat(4001)],
    ])('should answer 400 VALIDATION_FAILED to %s and store nothing', async (_name, text) => {
      const { client, conversationId } = await conversation();

      const response = await send(client, conversationId, text).expect(400);

      expectTooLong(response.body, 'text');
      expect(await t.connection.collection('messages').countDocuments({})).toBe(0);
    });

    it('should cut the conversation’s preview between characters, never inside an emoji', async () => {
      const { client, conversationId } = await conversation();
      await send(client, conversationId, `a${EMOJI.repeat(200)}`).expect(201);

      const listed = await t.http
        .get('/api/conversations')
        .set('Authorization', client.bearer)
        .expect(200);

      // 120 characters: the letter and 119 whole emoji (UTF-16 slicing left half of one)
      expect(listed.body.data[0].lastMessagePreview).toBe(`a${EMOJI.repeat(119)}`);
    });
  });

  describe('jobs (title 3..120, description 10..5000)', () => {
    it('should store a title of 120 emoji and a description of 5,000 emoji intact', async () => {
      const client = await newClient(t);
      const title = EMOJI.repeat(120);
      const description = EMOJI.repeat(5000);

      const job = await marketplace.postJob(t, client, { title, description });

      const stored = await marketplace.getJob<{ title: string; description: string }>(
        t,
        client,
        job.id,
      );
      expect(stored).toEqual(expect.objectContaining({ title, description }));
    });

    it('should count a title of two emoji as too short and 121 as too long', async () => {
      const client = await newClient(t);
      for (const title of [EMOJI.repeat(2), EMOJI.repeat(121)]) {
        const response = await t.http
          .post('/api/jobs')
          .set('Authorization', client.bearer)
          .send({ title, description: 'Water drips under the sink.', category: 'Plumbing' })
          .expect(400);
        expectTooLong(response.body, 'title');
      }
      expect(await t.connection.collection('jobs').countDocuments({})).toBe(0);
    });

    it('should keep the limits when a job is edited', async () => {
      const client = await newClient(t);
      const job = await marketplace.postJob(t, client);

      await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', client.bearer)
        .send({ description: EMOJI.repeat(5000) })
        .expect(200);
      const refused = await t.http
        .put(`/api/jobs/${job.id}`)
        .set('Authorization', client.bearer)
        .send({ description: EMOJI.repeat(5001) })
        .expect(400);

      expectTooLong(refused.body, 'description');
    });
  });

  describe('quote notes (up to 2000)', () => {
    it('should store notes of 2,000 emoji and refuse 2,001', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);

      const refused = await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set('Authorization', craftsman.bearer)
        .send({ price: 50_000, notes: EMOJI.repeat(2001) })
        .expect(400);
      const stored = await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set('Authorization', craftsman.bearer)
        .send({ price: 50_000, notes: EMOJI.repeat(2000) })
        .expect(201);

      expectTooLong(refused.body, 'notes');
      expect(stored.body.notes).toBe(EMOJI.repeat(2000));
    });
  });

  describe('profiles (names 1..60, bio up to 2000)', () => {
    it('should store a bio of 2,000 emoji and names of 60', async () => {
      const craftsman = await newCraftsman(t);
      const firstName = EMOJI.repeat(60);
      const bio = EMOJI.repeat(2000);

      const response = await t.http
        .put('/api/users/me')
        .set('Authorization', craftsman.bearer)
        .send({ firstName, craftsmanInfo: { bio } })
        .expect(200);

      expect(response.body.firstName).toBe(firstName);
      expect(response.body.craftsmanInfo.bio).toBe(bio);
    });
  });

  describe('invitations (message up to 1000, rejection reason up to 500)', () => {
    it('should store an invitation message of 1,000 emoji and a rejection reason of 500', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);
      const message = EMOJI.repeat(1000);
      const reason = EMOJI.repeat(500);

      const invitation = await marketplace
        .invite(t, client, job.id, { craftsmanId: craftsman.user.id, message })
        .expect(201);
      const rejected = await t.http
        .post(`/api/invitations/${invitation.body.id}/reject`)
        .set('Authorization', craftsman.bearer)
        .send({ reason })
        .expect(200);

      expect(invitation.body.message).toBe(message);
      expect(rejected.body.rejectionReason).toBe(reason);
    });
  });
});
