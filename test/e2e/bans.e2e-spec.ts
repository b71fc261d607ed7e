import { loginAsAdmin, login, newClient, newCraftsman, type Session } from '../support/session.js';
import * as marketplace from '../support/marketplace.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { CronService } from '../../src/modules/cron/cron.service.js';
import { InvitationsRepository } from '../../src/modules/invitations/invitations.repository.js';
import { QuotesRepository } from '../../src/modules/quotes/quotes.repository.js';

interface Notification {
  type: string;
  message: string;
  data: Record<string, string>;
}

/**
 * Issue 11, item 13 (API.md "Quotes", banned users): a ban acts on everything the banned user has
 * in flight, and no step of the marketplace accepts a banned party, also when the ban lands in
 * the middle of that step or the process died before the ban's effects were applied.
 */
describe('Bans and what the banned user has in flight', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
  });

  function ban(user: Session) {
    return t.http
      .patch(`/api/admin/users/${user.user.id}/ban`)
      .set('Authorization', admin.bearer)
      .send({ reason: 'Fraudulent behaviour' });
  }

  async function quote(craftsman: Session, jobId: string, price = 50_000): Promise<string> {
    const response = await t.http
      .post(`/api/jobs/${jobId}/quotes`)
      .set('Authorization', craftsman.bearer)
      .send({ price })
      .expect(201);
    return response.body.id as string;
  }

  function accept(client: Session, jobId: string, quoteId: string) {
    return t.http
      .post(`/api/jobs/${jobId}/quotes/${quoteId}/accept`)
      .set('Authorization', client.bearer);
  }

  async function quotesOf(client: Session, jobId: string) {
    const response = await t.http
      .get(`/api/jobs/${jobId}/quotes`)
      .set('Authorization', client.bearer)
      .expect(200);
    return response.body.data as Array<{ id: string; status: string }>;
  }

  async function invitation(viewer: Session, id: string) {
    const response = await t.http
      .get(`/api/invitations/${id}`)
      .set('Authorization', viewer.bearer)
      .expect(200);
    return response.body as { id: string; status: string };
  }

  async function notificationsOf(session: Session, type: string): Promise<Notification[]> {
    const response = await t.http
      .get('/api/notifications?limit=100')
      .set('Authorization', session.bearer)
      .expect(200);
    return (response.body.data as Notification[]).filter((item) => item.type === type);
  }

  async function stored(collection: string, id: string) {
    const { Types } = await import('mongoose');
    return t.connection.collection(collection).findOne({ _id: new Types.ObjectId(id) });
  }

  describe('a banned craftsman', () => {
    it('should not be hired: 422 CRAFTSMAN_SUSPENDED, the job stays open without him', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);
      const quoteId = await quote(craftsman, job.id);
      await ban(craftsman).expect(200);

      const refused = await accept(client, job.id, quoteId).expect(422);

      expect(refused.body).toEqual({
        statusCode: 422,
        code: 'CRAFTSMAN_SUSPENDED',
        message: expect.any(String),
      });
      const after = await marketplace.getJob<{ status: string; craftsman: unknown }>(
        t,
        client,
        job.id,
      );
      expect(after).toEqual(expect.objectContaining({ status: 'quoted', craftsman: null }));
    });

    it('should have his pending quotes withdrawn, each client told, other quotes left alone', async () => {
      const [firstClient, secondClient] = [await newClient(t), await newClient(t)];
      const craftsman = await newCraftsman(t);
      const other = await newCraftsman(t);
      const firstJob = await marketplace.postJob(t, firstClient);
      const secondJob = await marketplace.postJob(t, secondClient);
      const first = await quote(craftsman, firstJob.id);
      const second = await quote(craftsman, secondJob.id);
      const othersQuote = await quote(other, firstJob.id);

      await ban(craftsman).expect(200);

      expect(await quotesOf(firstClient, firstJob.id)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: first, status: 'withdrawn' }),
          expect.objectContaining({ id: othersQuote, status: 'pending' }),
        ]),
      );
      expect(await quotesOf(secondClient, secondJob.id)).toEqual([
        expect.objectContaining({ id: second, status: 'withdrawn' }),
      ]);
      const [told] = await notificationsOf(firstClient, 'quote.withdrawn');
      expect(told.message).toContain('craftsman suspended');
      expect(told.data).toEqual(expect.objectContaining({ quoteId: first }));
      await accept(firstClient, firstJob.id, othersQuote).expect(200);
    });

    it('should have his pending invitations cancelled, his accepted ones kept', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const pendingJob = await marketplace.postJob(t, client);
      const acceptedJob = await marketplace.postJob(t, client, { title: 'Broken light switch' });
      const pending = await marketplace.inviteCraftsman(t, client, pendingJob.id, craftsman);
      const accepted = await marketplace.inviteCraftsman(t, client, acceptedJob.id, craftsman);
      await t.http
        .post(`/api/invitations/${accepted.id}/accept`)
        .set('Authorization', craftsman.bearer)
        .expect(200);

      await ban(craftsman).expect(200);

      expect((await invitation(client, pending.id)).status).toBe('cancelled');
      expect((await stored('invitations', pending.id))?.cancellationReason).toBe(
        'craftsman_suspended',
      );
      expect((await invitation(client, accepted.id)).status).toBe('accepted');
    });

    it('should not be written to; the conversation stays readable', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);
      const invited = await marketplace.inviteCraftsman(t, client, job.id, craftsman);
      const { body } = await t.http
        .post(`/api/invitations/${invited.id}/accept`)
        .set('Authorization', craftsman.bearer)
        .expect(200);
      await ban(craftsman).expect(200);

      const refused = await t.http
        .post(`/api/conversations/${body.conversationId}/messages`)
        .set('Authorization', client.bearer)
        .send({ text: 'Are you coming tomorrow?' })
        .expect(422);

      expect(refused.body.code).toBe('CRAFTSMAN_SUSPENDED');
      await t.http
        .get(`/api/conversations/${body.conversationId}/messages`)
        .set('Authorization', client.bearer)
        .expect(200);
    });

    it('should take back an acceptance when the ban lands between its check and its write', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);
      const invited = await marketplace.inviteCraftsman(t, client, job.id, craftsman);
      const repository = t.app.get(InvitationsRepository);
      const respond = repository.respond.bind(repository);
      // the ban is stored (and its listeners ran) just after the invitation became accepted
      repository.respond = async (...args) => {
        const answered = await respond(...args);
        await ban(craftsman).expect(200);
        return answered;
      };
      try {
        const refused = await t.http
          .post(`/api/invitations/${invited.id}/accept`)
          .set('Authorization', craftsman.bearer)
          .expect(422);
        expect(refused.body.code).toBe('CRAFTSMAN_SUSPENDED');
      } finally {
        repository.respond = respond;
      }

      expect((await invitation(client, invited.id)).status).toBe('cancelled');
      expect(await notificationsOf(client, 'invitation.accepted')).toEqual([]);
    });
  });

  describe('a banned client', () => {
    it('should have his open jobs closed: cancelled, out of browsing, quotes declined, invitations cancelled, links revoked', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const invited = await newCraftsman(t);
      const linkUser = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);
      const quoteId = await quote(craftsman, job.id);
      const pending = await marketplace.inviteCraftsman(t, client, job.id, invited);
      const link = await t.http
        .post(`/api/jobs/${job.id}/invite-links`)
        .set('Authorization', client.bearer)
        .send({})
        .expect(201);
      const hiredJob = await marketplace.postJob(t, client, { title: 'Broken light switch' });
      await marketplace.hire(t, client, hiredJob.id, await newCraftsman(t));

      await ban(client).expect(200);

      expect((await stored('jobs', job.id))?.status).toBe('cancelled');
      expect((await stored('jobs', hiredJob.id))?.status).toBe('hired');
      const browsing = await t.http
        .get('/api/jobs')
        .set('Authorization', craftsman.bearer)
        .expect(200);
      expect(browsing.body.data).toEqual([]);
      expect((await stored('quotes', quoteId))?.status).toBe('declined');
      expect((await invitation(invited, pending.id)).status).toBe('cancelled');
      const viaLink = await t.http
        .post(`/api/invite-links/${link.body.token}/accept`)
        .set('Authorization', linkUser.bearer)
        .expect(410);
      expect(viaLink.body.code).toBe('INVITE_LINK_EXPIRED');
      await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set('Authorization', invited.bearer)
        .send({ price: 10_000 })
        .expect(409);
    });
  });

  describe('races and crashes', () => {
    it('should undo a hire when the ban lands between the accept’s check and its write', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);
      const quoteId = await quote(craftsman, job.id);
      const repository = t.app.get(QuotesRepository);
      const markAccepted = repository.markAccepted.bind(repository);
      // the ban is stored (and all its listeners ran) just after the quote became accepted
      repository.markAccepted = async (id, at) => {
        const marked = await markAccepted(id, at);
        await ban(craftsman).expect(200);
        return marked;
      };
      try {
        const refused = await accept(client, job.id, quoteId).expect(422);
        expect(refused.body.code).toBe('CRAFTSMAN_SUSPENDED');
      } finally {
        repository.markAccepted = markAccepted;
      }

      const after = await marketplace.getJob<{
        status: string;
        craftsman: unknown;
        acceptedQuote: unknown;
        statusHistory: Array<{ to: string }>;
      }>(t, client, job.id);
      expect(after).toEqual(
        expect.objectContaining({ status: 'quoted', craftsman: null, acceptedQuote: null }),
      );
      expect(after.statusHistory.map((change) => change.to)).toEqual(['posted', 'quoted']);
      expect((await stored('quotes', quoteId))?.status).toBe('withdrawn');
      expect(
        await t.connection.collection('notifications').countDocuments({ type: 'quote.accepted' }),
      ).toBe(0);
    });

    it('should settle a ban whose effects a crash left undone, once, however often the sweep runs', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);
      const quoteId = await quote(craftsman, job.id);
      const invited = await marketplace.inviteCraftsman(
        t,
        client,
        (await marketplace.postJob(t, client, { title: 'Broken light switch' })).id,
        craftsman,
      );
      const { Types } = await import('mongoose');
      // stored two minutes ago by an instance that died before publishing it
      await t.connection.collection('users').updateOne(
        { _id: new Types.ObjectId(craftsman.user.id) },
        {
          $set: {
            bannedAt: new Date(Date.now() - 120_000),
            banReason: 'Fraud',
            tokensValidAfter: new Date(Date.now() - 120_000),
            banSettled: false,
          },
        },
      );

      await t.app.get(CronService).settleBans();
      await t.app.get(CronService).settleBans();

      expect((await stored('quotes', quoteId))?.status).toBe('withdrawn');
      expect((await stored('invitations', invited.id))?.status).toBe('cancelled');
      expect((await stored('users', craftsman.user.id))?.banSettled).toBe(true);
      expect(await notificationsOf(client, 'quote.withdrawn')).toHaveLength(1);
    });
  });

  describe('unbanning', () => {
    it('should bring nothing back: the quote stays withdrawn and can’t be confirmed or accepted', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client);
      const quoteId = await quote(craftsman, job.id);
      await ban(craftsman).expect(200);
      await t.http
        .patch(`/api/admin/users/${craftsman.user.id}/unban`)
        .set('Authorization', admin.bearer)
        .expect(200);
      const again = await login(t, craftsman.user.email, craftsman.password);

      const confirmed = await t.http
        .post(`/api/jobs/${job.id}/quotes/${quoteId}/confirm`)
        .set('Authorization', again.bearer)
        .send({})
        .expect(409);
      const accepted = await accept(client, job.id, quoteId).expect(409);

      expect([confirmed.body.code, accepted.body.code]).toEqual([
        'QUOTE_NOT_PENDING',
        'QUOTE_NOT_PENDING',
      ]);
    });
  });
});
