import { randomBytes } from 'node:crypto';
import { IdentityMigration } from '../../src/modules/users/migrations/identity.migration.js';
import { FakeClock } from '../support/fake-clock.js';
import * as marketplace from '../support/marketplace.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { type ReceivedMail, TestMailbox } from '../support/smtp.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';

const HOUR_MS = 3600 * 1000;
const isVerificationMail = (mail: ReceivedMail) => mail.subject === 'Confirm your email address';

function tokenIn(mail: ReceivedMail): string {
  const token = /token=([\w-]+)/.exec(mail.text)?.[1];
  if (!token) {
    throw new Error(`no token in the mail "${mail.subject}"`);
  }
  return token;
}

describe('Email verification (/api/auth/verify-email, /api/auth/resend-verification)', () => {
  let t: TestApp;
  const mailbox = new TestMailbox();
  const clock = new FakeClock();

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      env: {
        SMTP_URL: mailbox.url,
        PUBLIC_APP_URL: 'https://app.example.com',
        EMAIL_VERIFICATION_TTL: 'P2D',
        RESEND_VERIFICATION_RATE_LIMIT_PER_USER: '2',
      },
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

  /** The token of the newest verification mail to `email`. */
  async function verificationToken(email: string): Promise<string> {
    await mailbox.waitFor(email, isVerificationMail);
    const mails = mailbox.to(email).filter(isVerificationMail);
    return tokenIn(mails[mails.length - 1]);
  }

  function verify(token: string) {
    return t.http.post('/api/auth/verify-email').send({ token });
  }

  async function me(session: Session): Promise<Record<string, unknown>> {
    return (await t.http.get('/api/users/me').set('Authorization', session.bearer).expect(200))
      .body as Record<string, unknown>;
  }

  async function received(craftsman: Session): Promise<string[]> {
    const response = await t.http
      .get('/api/invitations/received')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    return (response.body.data as Array<{ id: string }>).map((invitation) => invitation.id);
  }

  /** An invitation to an address nobody has registered. */
  async function inviteAddress(client: Session, email: string): Promise<string> {
    const job = await marketplace.postJob(t, client);
    const response = await marketplace.invite(t, client, job.id, { email }).expect(201);
    expect(response.body.craftsman).toBeNull();
    return response.body.id as string;
  }

  describe('at sign-up', () => {
    it('should email a link with a token, store only its hash, and answer emailVerified false', async () => {
      const session = await newClient(t, { email: 'mona@example.com' });

      const token = await verificationToken('mona@example.com');
      const mail = mailbox.to('mona@example.com').find(isVerificationMail)!;
      const stored = await t.connection.collection('email_verification_tokens').findOne({});

      expect(session.user.emailVerified).toBe(false);
      expect(mail.text).toContain(`https://app.example.com/verify-email?token=${token}`);
      expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored)).not.toContain(token);
    });

    it('should create staff verified: the seeded admin and accounts made by create-admin', async () => {
      const admin = await loginAsAdmin(t);
      const moderator = await newModerator(t);

      expect(admin.user.emailVerified).toBe(true);
      expect(moderator.user.emailVerified).toBe(true);
      expect(mailbox.received.filter(isVerificationMail)).toEqual([]);
    });
  });

  describe('POST /auth/verify-email', () => {
    it('should verify the address with the emailed token, once', async () => {
      const session = await newCraftsman(t, { email: 'karim@example.com' });
      const token = await verificationToken('karim@example.com');

      const response = await verify(token).expect(200);
      const again = await verify(token).expect(400);

      expect(response.body).toEqual({
        message: expect.any(String),
        user: expect.objectContaining({ id: session.user.id, emailVerified: true }),
      });
      expect((await me(session)).emailVerified).toBe(true);
      expect(again.body).toEqual({
        statusCode: 400,
        code: 'INVALID_TOKEN',
        message: expect.any(String),
      });
    });

    it('should answer 400 INVALID_TOKEN for an unknown token', async () => {
      const response = await verify(randomBytes(32).toString('base64url')).expect(400);

      expect(response.body.code).toBe('INVALID_TOKEN');
    });

    it('should answer 400 INVALID_TOKEN for a token past EMAIL_VERIFICATION_TTL', async () => {
      const session = await newClient(t, { email: 'late@example.com' });
      const token = await verificationToken('late@example.com');
      clock.advance(48 * HOUR_MS + 60_000);

      const response = await verify(token).expect(400);

      expect(response.body.code).toBe('INVALID_TOKEN');
      expect((await me(session)).emailVerified).toBe(false);
    });
  });

  describe('pending email invitations', () => {
    it('should not give them to a craftsman who registered with the address but has not verified it', async () => {
      const client = await newClient(t);
      const invitationId = await inviteAddress(client, 'victim@example.com');

      const impostor = await newCraftsman(t, { email: 'victim@example.com' });

      expect(await received(impostor)).toEqual([]);
      const seenByClient = await t.http
        .get(`/api/invitations/${invitationId}`)
        .set('Authorization', client.bearer)
        .expect(200);
      expect(seenByClient.body).toEqual(
        expect.objectContaining({ craftsman: null, inviteeEmail: 'victim@example.com' }),
      );
    });

    it('should make an invitation by the address of an unverified craftsman wait for the verified owner', async () => {
      const craftsman = await newCraftsman(t, { email: 'unproven@example.com' });
      const client = await newClient(t);

      const invitationId = await inviteAddress(client, 'unproven@example.com');
      const before = await received(craftsman);
      await verify(await verificationToken('unproven@example.com')).expect(200);

      expect(before).toEqual([]);
      expect(await received(craftsman)).toEqual([invitationId]);
    });

    it('should give them to the craftsman once he verified the address', async () => {
      const firstClient = await newClient(t);
      const secondClient = await newClient(t);
      const first = await inviteAddress(firstClient, 'owner@example.com');
      const second = await inviteAddress(secondClient, 'owner@example.com');
      const craftsman = await newCraftsman(t, { email: 'Owner@Example.com' });

      await verify(await verificationToken('owner@example.com')).expect(200);

      expect((await received(craftsman)).sort()).toEqual([first, second].sort());
      const seenByFirst = await t.http
        .get(`/api/invitations/${first}`)
        .set('Authorization', firstClient.bearer)
        .expect(200);
      expect(seenByFirst.body.craftsman).toEqual(
        expect.objectContaining({ id: craftsman.user.id }),
      );
    });
  });

  describe('POST /auth/resend-verification', () => {
    it('should send a new link that works, the older one no longer', async () => {
      const session = await newClient(t, { email: 'again@example.com' });
      const first = await verificationToken('again@example.com');

      const response = await t.http
        .post('/api/auth/resend-verification')
        .set('Authorization', session.bearer)
        .expect(200);
      await mailbox.waitFor(
        'again@example.com',
        (mail) => isVerificationMail(mail) && tokenIn(mail) !== first,
      );
      const second = await verificationToken('again@example.com');

      expect(response.body).toEqual({ message: expect.any(String) });
      expect((await verify(first).expect(400)).body.code).toBe('INVALID_TOKEN');
      await verify(second).expect(200);
    });

    it('should answer 429 RATE_LIMITED past RESEND_VERIFICATION_RATE_LIMIT_PER_USER', async () => {
      const session = await newClient(t);
      const resend = () =>
        t.http.post('/api/auth/resend-verification').set('Authorization', session.bearer);

      await resend().expect(200);
      await resend().expect(200);
      const third = await resend().expect(429);

      expect(third.body).toEqual({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: expect.any(String),
        details: { retryAfterSeconds: expect.any(Number) },
      });
    });

    it('should send nothing to an address already verified', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .post('/api/auth/resend-verification')
        .set('Authorization', admin.bearer)
        .expect(200);

      expect(response.body.message).toMatch(/already verified/);
      expect(mailbox.received.filter(isVerificationMail)).toEqual([]);
    });

    it('should answer 401 without a token', async () => {
      await t.http.post('/api/auth/resend-verification').expect(401);
    });
  });

  describe('accounts older than email verification', () => {
    it('should count staff as verified and clients and craftsmen as not, after the start-up migration', async () => {
      const client = await newClient(t);
      await t.connection.collection('users').updateMany({}, { $unset: { emailVerified: '' } });

      const report = await t.app.get(IdentityMigration).run();
      const admin = await loginAsAdmin(t);

      expect(report.staffVerified).toBe(1);
      expect(admin.user.email).toBe(TEST_ADMIN.email);
      expect(admin.user.emailVerified).toBe(true);
      expect((await me(client)).emailVerified).toBe(false);
    });
  });
});
