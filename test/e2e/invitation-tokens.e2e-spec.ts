import { createHash, randomBytes } from 'node:crypto';
import { FakeClock } from '../support/fake-clock.js';
import {
  newClient,
  newCraftsman,
  secretKeysIn,
  uniqueEmail,
  type Session,
} from '../support/session.js';
import { type ReceivedMail, TestMailbox } from '../support/smtp.js';
import * as marketplace from '../support/marketplace.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import type { Paginated } from '../../src/common/pagination/paginated.js';

const ISO_DATE = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
const OBJECT_ID = expect.stringMatching(/^[0-9a-f]{24}$/);
const HOUR_MS = 3600 * 1000;

/** What the invitation endpoints answer, as far as these tests read it. */
interface Invitation {
  id: string;
  job: { id: string; title: string; category: string; status: string } | null;
  client: { id: string; firstName: string; lastName: string } | null;
  craftsman: { id: string; firstName: string; lastName: string } | null;
  inviteeEmail: string | null;
  status: string;
  source: string;
  message: string;
  rejectionReason: string | null;
  rejectionReasonCode: string | null;
  expiresAt: string;
  viewedAt: string | null;
  respondedAt: string | null;
}

function tokenIn(mail: ReceivedMail): string {
  const token = /token=([\w-]+)/.exec(mail.text)?.[1];
  if (!token) {
    throw new Error(`no token in the mail "${mail.subject}"`);
  }
  return token;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A token of the right shape that no invitation has. */
function unknownToken(): string {
  return randomBytes(32).toString('base64url');
}

describe('Invitation tokens (emailed links, claim at sign-up, resend)', () => {
  let t: TestApp;
  const mailbox = new TestMailbox();
  const clock = new FakeClock();

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      env: { SMTP_URL: mailbox.url, PUBLIC_APP_URL: 'https://app.example.com' },
      clock,
    });
  });

  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    mailbox.received.splice(0);
  });

  async function postJob(owner: Session, title = 'Leaking kitchen sink'): Promise<string> {
    return (await marketplace.postJob(t, owner, { title })).id;
  }

  async function invite(
    owner: Session,
    jobId: string,
    body: { craftsmanId?: string; email?: string; phone?: string; message?: string },
  ): Promise<Invitation> {
    const response = await t.http
      .post(`/api/jobs/${jobId}/invite`)
      .set('Authorization', owner.bearer)
      .send(body)
      .expect(201);
    return response.body as Invitation;
  }

  async function getInvitation(viewer: Session, id: string): Promise<Invitation> {
    const response = await t.http
      .get(`/api/invitations/${id}`)
      .set('Authorization', viewer.bearer)
      .expect(200);
    return response.body as Invitation;
  }

  /** An invitation to an address nobody registered, and the token its email carries. */
  async function inviteEmail(
    owner: Session,
    email: string,
    title = 'Leaking kitchen sink',
  ): Promise<{ jobId: string; invitation: Invitation; token: string }> {
    const jobId = await postJob(owner, title);
    const invitation = await invite(owner, jobId, { email });
    const mail = await mailbox.waitFor(email.toLowerCase(), (m) => m.text.includes(title));
    return { jobId, invitation, token: tokenIn(mail) };
  }

  /** Lets a mail that should not come a moment to arrive anyway. */
  function settle(ms = 300): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  describe('POST /jobs/:jobId/invite with the email of nobody registered', () => {
    it('should create an invitation to the lower-cased address and email it a link with a token', async () => {
      const client = await newClient(t, { firstName: 'Mona' });
      const jobId = await postJob(client, 'Replace the bathroom mixer tap');

      const response = await t.http
        .post(`/api/jobs/${jobId}/invite`)
        .set('Authorization', client.bearer)
        .send({ email: 'New.Comer@Example.COM', message: 'Can you come this week?' })
        .expect(201);
      const mail = await mailbox.waitFor('new.comer@example.com');
      await settle();

      expect(response.body).toEqual(
        expect.objectContaining({
          id: OBJECT_ID,
          job: expect.objectContaining({ id: jobId, title: 'Replace the bathroom mixer tap' }),
          client: expect.objectContaining({ id: client.user.id, firstName: 'Mona' }),
          craftsman: null,
          inviteeEmail: 'new.comer@example.com',
          status: 'pending',
          message: 'Can you come this week?',
          expiresAt: ISO_DATE,
        }),
      );
      expect(secretKeysIn(response.body)).toEqual([]);
      expect(JSON.stringify(response.body)).not.toMatch(/token/i);
      expect(mailbox.to('new.comer@example.com')).toHaveLength(1);
      expect(mail.text).toContain('Replace the bathroom mixer tap');
      expect(mail.text).toMatch(/https:\/\/app\.example\.com\/invitations\/respond\?token=[\w-]+/);
      expect(tokenIn(mail)).toHaveLength(43);
    });

    it('should store only the sha256 hex hash of the token, never the token', async () => {
      const client = await newClient(t);
      const { token } = await inviteEmail(client, 'hash.check@example.com');

      const stored = await t.connection.collection('invitations').find({}).toArray();

      expect(stored).toHaveLength(1);
      expect(stored[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored[0].tokenHash).toBe(sha256(token));
      expect(JSON.stringify(stored)).not.toContain(token);
      expect(Object.keys(stored[0]).filter((key) => /token/i.test(key))).toEqual(['tokenHash']);
    });
  });

  describe('GET /invitations/by-token/:token', () => {
    it('should preview the invitation without signing in', async () => {
      const client = await newClient(t, { firstName: 'Mona', lastName: 'Khaled' });
      const { invitation, token } = await inviteEmail(
        client,
        'preview@example.com',
        'Fix the water heater',
      );

      const response = await t.http.get(`/api/invitations/by-token/${token}`).expect(200);

      expect(response.body).toEqual({
        jobTitle: 'Fix the water heater',
        category: 'Plumbing',
        clientFirstName: 'Mona',
        status: 'pending',
        expiresAt: invitation.expiresAt,
        registrationRequired: true,
      });
    });

    it('should answer 404 NOT_FOUND for an unknown token', async () => {
      const response = await t.http.get(`/api/invitations/by-token/${unknownToken()}`).expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
    });

    it('should not change the invitation’s status, however often it is opened', async () => {
      const client = await newClient(t);
      const { invitation, token } = await inviteEmail(client, 'scanner@example.com');

      await t.http.get(`/api/invitations/by-token/${token}`).expect(200);
      const second = await t.http.get(`/api/invitations/by-token/${token}`).expect(200);

      expect(second.body.status).toBe('pending');
      expect((await getInvitation(client, invitation.id)).status).toBe('pending');
    });
  });

  describe('POST /invitations/respond-by-token', () => {
    it('should answer 409 REGISTRATION_REQUIRED to accepting an invitation to an unregistered email', async () => {
      const client = await newClient(t);
      const { invitation, token } = await inviteEmail(client, 'unregistered@example.com');

      const response = await t.http
        .post('/api/invitations/respond-by-token')
        .send({ token, response: 'accepted' })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'REGISTRATION_REQUIRED',
        message: expect.any(String),
      });
      expect((await getInvitation(client, invitation.id)).status).toBe('pending');
    });

    it('should let the unregistered invitee decline with a reason code, once', async () => {
      const client = await newClient(t);
      const { invitation, token } = await inviteEmail(client, 'decliner@example.com');

      const rejected = await t.http
        .post('/api/invitations/respond-by-token')
        .send({ token, response: 'rejected', reasonCode: 'busy' })
        .expect(200);
      const again = await t.http
        .post('/api/invitations/respond-by-token')
        .send({ token, response: 'rejected', reasonCode: 'too_far' })
        .expect(409);
      const accept = await t.http
        .post('/api/invitations/respond-by-token')
        .send({ token, response: 'accepted' })
        .expect(409);

      expect(rejected.body.invitation).toEqual(
        expect.objectContaining({
          id: invitation.id,
          status: 'rejected',
          rejectionReasonCode: 'busy',
        }),
      );
      const seen = await getInvitation(client, invitation.id);
      expect(seen.status).toBe('rejected');
      expect(seen.rejectionReasonCode).toBe('busy');
      expect(seen.respondedAt).toEqual(ISO_DATE);
      expect(again.body).toEqual({
        statusCode: 409,
        code: 'INVITATION_NOT_PENDING',
        message: expect.any(String),
        details: expect.anything(),
      });
      expect(accept.body.code).toBe('INVITATION_NOT_PENDING');
    });

    it('should answer 404 for an unknown token', async () => {
      const response = await t.http
        .post('/api/invitations/respond-by-token')
        .send({ token: unknownToken(), response: 'rejected' })
        .expect(404);

      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('should email a craftsman invited by id at his account address, and accept by its token', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const jobId = await postJob(client, 'Unblock the shower drain');
      const invitation = await invite(client, jobId, { craftsmanId: craftsman.user.id });
      const mail = await mailbox.waitFor(craftsman.user.email, (m) =>
        m.text.includes('Unblock the shower drain'),
      );

      const response = await t.http
        .post('/api/invitations/respond-by-token')
        .send({ token: tokenIn(mail), response: 'accepted' })
        .expect(200);
      const conversations = await t.http
        .get('/api/conversations')
        .set('Authorization', craftsman.bearer)
        .expect(200);

      expect(invitation.craftsman?.id).toBe(craftsman.user.id);
      expect(invitation.inviteeEmail).toBeNull();
      expect(mail.text).toContain('Unblock the shower drain');
      expect(mail.text).toContain('https://app.example.com/invitations/respond?token=');
      expect(response.body).toEqual({
        invitation: expect.objectContaining({
          id: invitation.id,
          status: 'accepted',
          craftsman: expect.objectContaining({ id: craftsman.user.id }),
        }),
        conversationId: OBJECT_ID,
      });
      expect((conversations.body as Paginated<{ id: string }>).data.map((c) => c.id)).toEqual([
        response.body.conversationId,
      ]);
      expect((await getInvitation(client, invitation.id)).status).toBe('accepted');
    });
  });

  describe('POST /auth/register with an invitation', () => {
    it('should give a craftsman signing up with an invite token that invitation only: the others to the address wait for its verified owner', async () => {
      const firstClient = await newClient(t, { firstName: 'Mona' });
      const secondClient = await newClient(t, { firstName: 'Salma' });
      const first = await inviteEmail(firstClient, 'newbie@example.com', 'Fix the kitchen tap');
      const second = await inviteEmail(secondClient, 'newbie@example.com', 'Install a new boiler');

      const registered = await t.http
        .post('/api/auth/register')
        .send({
          email: 'karim.at.work@example.com',
          password: 'correct-horse-1',
          role: 'craftsman',
          firstName: 'Karim',
          lastName: 'Adel',
          inviteToken: second.token,
        })
        .expect(201);
      const craftsmanId = registered.body.user.id as string;
      const received = await t.http
        .get('/api/invitations/received')
        .set('Authorization', `Bearer ${registered.body.accessToken}`)
        .expect(200);

      const page = received.body as Paginated<Invitation>;
      expect(page.data.map((invitation) => invitation.id)).toEqual([second.invitation.id]);
      expect(page.data[0]).toEqual(
        expect.objectContaining({
          craftsman: expect.objectContaining({ id: craftsmanId }),
          inviteeEmail: 'newbie@example.com',
          status: 'pending',
        }),
      );
      const seenByFirst = await getInvitation(firstClient, first.invitation.id);
      const seenBySecond = await getInvitation(secondClient, second.invitation.id);
      expect(seenByFirst.craftsman).toBeNull();
      expect(seenByFirst.inviteeEmail).toBe('newbie@example.com');
      expect(seenBySecond.craftsman?.id).toBe(craftsmanId);
    });

    it('should give a craftsman signing up with the invited address itself nothing before he verifies it, and every pending invitation after', async () => {
      const firstClient = await newClient(t);
      const secondClient = await newClient(t);
      const first = await inviteEmail(firstClient, 'same.address@example.com');
      const second = await inviteEmail(secondClient, 'same.address@example.com');

      const craftsman = await newCraftsman(t, { email: 'Same.Address@example.com' });
      const receivedList = () =>
        t.http.get('/api/invitations/received').set('Authorization', craftsman.bearer).expect(200);
      const before = (await receivedList()).body as Paginated<Invitation>;
      const verification = await mailbox.waitFor(
        'same.address@example.com',
        (mail) => mail.subject === 'Confirm your email address',
      );
      await t.http
        .post('/api/auth/verify-email')
        .send({ token: tokenIn(verification) })
        .expect(200);
      const after = (await receivedList()).body as Paginated<Invitation>;

      expect(before.data).toEqual([]);
      expect(after.data.map((invitation) => invitation.id).sort()).toEqual(
        [first.invitation.id, second.invitation.id].sort(),
      );
      expect(after.data.every((invitation) => invitation.craftsman?.id === craftsman.user.id)).toBe(
        true,
      );
      expect((await getInvitation(firstClient, first.invitation.id)).craftsman?.id).toBe(
        craftsman.user.id,
      );
    });

    it('should let the invitee accept by the emailed token once he has signed up with it', async () => {
      const client = await newClient(t);
      const { invitation, token } = await inviteEmail(client, 'joiner@example.com');
      const registered = await t.http
        .post('/api/auth/register')
        .send({
          email: 'joiner.work@example.com',
          password: 'correct-horse-1',
          role: 'craftsman',
          firstName: 'Karim',
          lastName: 'Adel',
          inviteToken: token,
        })
        .expect(201);

      const preview = await t.http.get(`/api/invitations/by-token/${token}`).expect(200);
      const accepted = await t.http
        .post('/api/invitations/respond-by-token')
        .send({ token, response: 'accepted' })
        .expect(200);

      expect(preview.body.registrationRequired).toBe(false);
      expect(accepted.body).toEqual({
        invitation: expect.objectContaining({
          id: invitation.id,
          status: 'accepted',
          craftsman: expect.objectContaining({ id: registered.body.user.id }),
        }),
        conversationId: OBJECT_ID,
      });
    });

    it('should refuse an invite token to a client sign-up with VALIDATION_FAILED on inviteToken', async () => {
      const inviter = await newClient(t);
      const { token } = await inviteEmail(inviter, 'wrong.role@example.com');

      const response = await t.http
        .post('/api/auth/register')
        .send({
          email: 'wrong.role@example.com',
          password: 'correct-horse-1',
          role: 'client',
          firstName: 'Nour',
          lastName: 'Hassan',
          inviteToken: token,
        })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'inviteToken', message: expect.any(String) }],
      });
      expect(
        await t.connection.collection('users').countDocuments({ email: 'wrong.role@example.com' }),
      ).toBe(0);
    });

    it('should answer 400 INVALID_TOKEN for an unknown invite token and create no account', async () => {
      const email = uniqueEmail('craftsman');

      const response = await t.http
        .post('/api/auth/register')
        .send({
          email,
          password: 'correct-horse-1',
          role: 'craftsman',
          firstName: 'Karim',
          lastName: 'Adel',
          inviteToken: unknownToken(),
        })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'INVALID_TOKEN',
        message: expect.any(String),
      });
      expect(await t.connection.collection('users').countDocuments({ email })).toBe(0);
    });
  });

  describe('POST /invitations/:id/resend', () => {
    it('should answer 429 RATE_LIMITED with a retry time right after the invitation was sent', async () => {
      const client = await newClient(t);
      const { invitation } = await inviteEmail(client, 'too.soon@example.com');

      const response = await t.http
        .post(`/api/invitations/${invitation.id}/resend`)
        .set('Authorization', client.bearer)
        .expect(429);

      expect(response.body).toEqual({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: expect.any(String),
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(response.body.details.retryAfterSeconds).toBeGreaterThan(0);
      expect(response.body.details.retryAfterSeconds).toBeLessThanOrEqual(24 * 3600);
    });

    it('should resend a day later with a new token that replaces the old one', async () => {
      const client = await newClient(t);
      const { invitation, token: oldToken } = await inviteEmail(client, 'resend.me@example.com');

      clock.advance(23 * HOUR_MS);
      const early = await t.http
        .post(`/api/invitations/${invitation.id}/resend`)
        .set('Authorization', client.bearer)
        .expect(429);
      clock.advance(2 * HOUR_MS);
      const resent = await t.http
        .post(`/api/invitations/${invitation.id}/resend`)
        .set('Authorization', client.bearer)
        .expect(200);
      const mail = await mailbox.waitFor('resend.me@example.com', (m) => tokenIn(m) !== oldToken);
      const newToken = tokenIn(mail);

      expect(early.body.details.retryAfterSeconds).toBeGreaterThan(0);
      expect(early.body.details.retryAfterSeconds).toBeLessThanOrEqual(3600);
      expect(resent.body).toEqual(
        expect.objectContaining({
          id: invitation.id,
          status: 'pending',
          inviteeEmail: 'resend.me@example.com',
        }),
      );
      expect(mailbox.to('resend.me@example.com')).toHaveLength(2);
      expect(newToken).toHaveLength(43);
      expect(mail.text).toContain('https://app.example.com/invitations/respond?token=');
      await t.http.get(`/api/invitations/by-token/${oldToken}`).expect(404);
      const preview = await t.http.get(`/api/invitations/by-token/${newToken}`).expect(200);
      expect(preview.body.status).toBe('pending');
      const stored = await t.connection.collection('invitations').findOne({});
      expect(stored?.tokenHash).toBe(sha256(newToken));
      // and once more only after another day
      await t.http
        .post(`/api/invitations/${invitation.id}/resend`)
        .set('Authorization', client.bearer)
        .expect(429);
    });

    it('should answer 409 INVITATION_NOT_PENDING for an invitation no longer pending', async () => {
      const client = await newClient(t);
      const { invitation } = await inviteEmail(client, 'cancelled@example.com');
      await t.http
        .post(`/api/invitations/${invitation.id}/cancel`)
        .set('Authorization', client.bearer)
        .expect(200);
      clock.advance(25 * HOUR_MS);

      const response = await t.http
        .post(`/api/invitations/${invitation.id}/resend`)
        .set('Authorization', client.bearer)
        .expect(409);

      expect(response.body.code).toBe('INVITATION_NOT_PENDING');
    });

    it('should answer 403 FORBIDDEN to another client', async () => {
      const client = await newClient(t);
      const stranger = await newClient(t);
      const { invitation } = await inviteEmail(client, 'not.yours@example.com');
      clock.advance(25 * HOUR_MS);

      const response = await t.http
        .post(`/api/invitations/${invitation.id}/resend`)
        .set('Authorization', stranger.bearer)
        .expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      expect(mailbox.to('not.yours@example.com')).toHaveLength(1);
    });
  });
});
