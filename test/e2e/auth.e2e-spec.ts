import { JwtService } from '@nestjs/jwt';
import { type ReceivedMail, TestMailbox } from '../support/smtp.js';
import { connectError, connectSocket, disconnection } from '../support/socket.js';
import {
  login,
  loginAsAdmin,
  newClient,
  newCraftsman,
  register,
  secretKeysIn,
  uniqueEmail,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Sign-up sends a welcome email too: the tests pick the reset email out. */
const isResetMail = (mail: ReceivedMail) => mail.subject === 'Reset your password';

describe('Auth (/api/auth)', () => {
  let t: TestApp;
  const mailbox = new TestMailbox();

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      env: { SMTP_URL: mailbox.url, PUBLIC_APP_URL: 'https://app.example.com' },
    });
  });

  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  describe('POST /auth/register', () => {
    it('should create the account, sign it in and never show the password', async () => {
      const response = await t.http
        .post('/api/auth/register')
        .send({
          email: '  Mona.Khaled@Example.COM ',
          password: 'correct-horse-1',
          role: 'client',
          firstName: 'Mona',
          lastName: 'Khaled',
          phone: '+20 100-123 4567',
        })
        .expect(201);

      expect(response.body).toEqual({
        accessToken: expect.any(String),
        user: expect.objectContaining({
          id: expect.stringMatching(/^[0-9a-f]{24}$/),
          email: 'mona.khaled@example.com',
          phone: '+201001234567',
          role: 'client',
          firstName: 'Mona',
          lastName: 'Khaled',
          rating: 0,
          ratingCount: 0,
        }),
      });
      expect(secretKeysIn(response.body)).toEqual([]);
      const me = await t.http
        .get('/api/users/me')
        .set('Authorization', `Bearer ${response.body.accessToken}`)
        .expect(200);
      expect(me.body.id).toBe(response.body.user.id);
    });

    it('should store only an argon2 hash of the password', async () => {
      const session = await newClient(t, { password: 'plain-text-secret' });

      const stored = await t.connection.collection('users').findOne({ email: session.user.email });
      expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(JSON.stringify(stored)).not.toContain('plain-text-secret');
    });

    it('should give a craftsman an unverified, available craftsman profile', async () => {
      const session = await newCraftsman(t);

      expect(session.user.craftsmanInfo).toEqual(
        expect.objectContaining({ skills: [], available: true, verificationStatus: 'unverified' }),
      );
    });

    it('should refuse a bad body with one detail per bad field', async () => {
      const response = await t.http
        .post('/api/auth/register')
        .send({ email: 'not-an-email', password: 'short', role: 'client', firstName: '', extra: 1 })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: expect.arrayContaining([
          { field: 'email', message: 'email must be an email' },
          { field: 'password', message: expect.stringContaining('8') },
          { field: 'firstName', message: expect.any(String) },
          { field: 'lastName', message: expect.any(String) },
          { field: 'extra', message: 'property extra should not exist' },
        ]),
      });
      expect(response.body.details).toHaveLength(5);
      expect(await t.connection.collection('users').countDocuments({ role: 'client' })).toBe(0);
    });

    it.each(['admin', 'moderator'])('should refuse to self-register as %s', async (role) => {
      const response = await t.http
        .post('/api/auth/register')
        .send({
          email: uniqueEmail(),
          password: 'correct-horse-1',
          role,
          firstName: 'A',
          lastName: 'B',
        })
        .expect(400);

      expect(response.body.details).toEqual([{ field: 'role', message: expect.any(String) }]);
    });

    it('should answer 409 EMAIL_TAKEN for an email in use, whatever its case', async () => {
      await newClient(t, { email: 'taken@example.com' });

      const response = await t.http
        .post('/api/auth/register')
        .send({
          email: 'TAKEN@example.com',
          password: 'correct-horse-1',
          role: 'craftsman',
          firstName: 'A',
          lastName: 'B',
        })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'EMAIL_TAKEN',
        message: expect.any(String),
      });
    });

    it('should answer 409 PHONE_TAKEN for a phone in use, however it is written', async () => {
      await newClient(t, { phone: '+201001234567' });

      const response = await t.http
        .post('/api/auth/register')
        .send({
          email: uniqueEmail(),
          password: 'correct-horse-1',
          role: 'client',
          firstName: 'A',
          lastName: 'B',
          phone: '+20 100 123 4567',
        })
        .expect(409);

      expect(response.body.code).toBe('PHONE_TAKEN');
    });

    it('should let many accounts have no phone', async () => {
      await newClient(t);
      await newClient(t);
      await newCraftsman(t);
    });

    it('should create exactly one account for ten concurrent sign-ups with one email', async () => {
      const body = {
        email: 'race@example.com',
        password: 'correct-horse-1',
        role: 'client',
        firstName: 'A',
        lastName: 'B',
      };

      const statuses = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.http
            .post('/api/auth/register')
            .send(body)
            .then((r) => r.status),
        ),
      );

      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(9);
      expect(
        await t.connection.collection('users').countDocuments({ email: 'race@example.com' }),
      ).toBe(1);
    });
  });

  describe('POST /auth/login', () => {
    it('should sign in by email or by phone', async () => {
      const session = await newClient(t, {
        email: 'mona@example.com',
        phone: '01001234567',
        password: 'secret-pass-1',
      });

      const byEmail = await login(t, 'MONA@example.com', 'secret-pass-1');
      const byPhone = await login(t, '0100 123 4567', 'secret-pass-1');

      expect(byEmail.user.id).toBe(session.user.id);
      expect(byPhone.user.id).toBe(session.user.id);
      expect(secretKeysIn(byEmail.user)).toEqual([]);
    });

    it('should answer 401 INVALID_CREDENTIALS for a wrong password or an unknown account alike', async () => {
      await newClient(t, { email: 'mona@example.com' });

      const wrongPassword = await t.http
        .post('/api/auth/login')
        .send({ loginIdentifier: 'mona@example.com', password: 'wrong-password', type: 'clients' })
        .expect(401);
      const unknown = await t.http
        .post('/api/auth/login')
        .send({
          loginIdentifier: 'nobody@example.com',
          password: 'wrong-password',
          type: 'clients',
        })
        .expect(401);

      expect(wrongPassword.body).toEqual({
        statusCode: 401,
        code: 'INVALID_CREDENTIALS',
        message: expect.any(String),
      });
      expect(unknown.body).toEqual(wrongPassword.body);
    });

    it('should answer 403 ROLE_NOT_ALLOWED when the type does not fit the role', async () => {
      const client = await newClient(t);

      const asAdmin = await t.http
        .post('/api/auth/login')
        .send({ loginIdentifier: client.user.email, password: client.password, type: 'admins' })
        .expect(403);
      const adminAsClient = await t.http
        .post('/api/auth/login')
        .send({
          loginIdentifier: 'admin@craftsmen.test',
          password: 'admin-password-1',
          type: 'clients',
        })
        .expect(403);

      expect(asAdmin.body.code).toBe('ROLE_NOT_ALLOWED');
      expect(adminAsClient.body.code).toBe('ROLE_NOT_ALLOWED');
    });

    it('should sign in the seeded admin with type admins', async () => {
      const admin = await loginAsAdmin(t);

      expect(admin.user.role).toBe('admin');
    });

    it('should answer 403 ACCOUNT_BANNED with the reason and time to a banned user who knows his password', async () => {
      const client = await newClient(t);
      const admin = await loginAsAdmin(t);
      await t.http
        .patch(`/api/admin/users/${client.user.id}/ban`)
        .set('Authorization', admin.bearer)
        .send({ reason: 'Abusive messages' })
        .expect(200);

      const banned = await t.http
        .post('/api/auth/login')
        .send({ loginIdentifier: client.user.email, password: client.password, type: 'clients' })
        .expect(403);
      const wrongPassword = await t.http
        .post('/api/auth/login')
        .send({ loginIdentifier: client.user.email, password: 'not-his-password', type: 'clients' })
        .expect(401);

      expect(banned.body).toEqual({
        statusCode: 403,
        code: 'ACCOUNT_BANNED',
        message: expect.any(String),
        details: {
          reason: 'Abusive messages',
          bannedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      });
      expect(wrongPassword.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('should refuse a bad type with VALIDATION_FAILED', async () => {
      const response = await t.http
        .post('/api/auth/login')
        .send({ loginIdentifier: 'a@b.co', password: 'x', type: 'everyone' })
        .expect(400);

      expect(response.body.details).toEqual([{ field: 'type', message: expect.any(String) }]);
    });
  });

  describe('GET /auth/session', () => {
    it('should say who the token is', async () => {
      const session = await newCraftsman(t);

      const response = await t.http
        .get('/api/auth/session')
        .set('Authorization', session.bearer)
        .expect(200);

      expect(response.body).toEqual({
        userId: session.user.id,
        role: 'craftsman',
        expiresAt: expect.any(String),
      });
      expect(Date.parse(response.body.expiresAt) - Date.now()).toBeGreaterThan(
        6 * 24 * 3600 * 1000,
      );
    });
  });

  describe('tokens', () => {
    it('should answer 401 UNAUTHENTICATED without a token', async () => {
      const response = await t.http.get('/api/users/me').expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
      });
    });

    it.each([
      ['garbage', 'not.a.jwt'],
      [
        'a token signed with another secret',
        new JwtService({ secret: 'another-secret-another-secret-123' }).sign({
          sub: '65a1b2c3d4e5f60718293a4b',
          jti: 'x',
          iatMs: Date.now(),
        }),
      ],
    ])('should answer 401 for %s', async (_label, token) => {
      const response = await t.http
        .get('/api/users/me')
        .set('Authorization', `Bearer ${token}`)
        .expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('should answer 401 for an unsigned (alg none) token naming a real user', async () => {
      const session = await newClient(t);
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(
        JSON.stringify({
          sub: session.user.id,
          jti: 'forged',
          iatMs: Date.now(),
          exp: Math.floor(Date.now() / 1000) + 600,
        }),
      ).toString('base64url');

      await t.http
        .get('/api/users/me')
        .set('Authorization', `Bearer ${header}.${payload}.`)
        .expect(401);
    });

    it('should answer 401 for the token of a deleted account', async () => {
      const session = await newClient(t);
      await t.connection.collection('users').deleteOne({ email: session.user.email });

      const response = await t.http
        .get('/api/auth/session')
        .set('Authorization', session.bearer)
        .expect(401);

      expect(response.body.message).toMatch(/no longer exists/);
    });

    it('should answer 401 for an expired token', async () => {
      const session = await newClient(t);
      const expired = new JwtService({ secret: t.config.auth.jwtSecret }).sign(
        { sub: session.user.id, jti: 'old', iatMs: Date.now() - 7200_000 },
        { expiresIn: -60 },
      );

      const response = await t.http
        .get('/api/users/me')
        .set('Authorization', `Bearer ${expired}`)
        .expect(401);

      expect(response.body.message).toMatch(/expired/i);
    });
  });

  describe('POST /auth/logout', () => {
    it('should revoke that token only, over HTTP and the WebSocket handshake', async () => {
      const session = await newClient(t);
      const otherDevice = await login(t, session.user.email, session.password);

      await t.http.post('/api/auth/logout').set('Authorization', session.bearer).expect(200);

      const refused = await t.http
        .get('/api/users/me')
        .set('Authorization', session.bearer)
        .expect(401);
      expect(refused.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: 'Access token has been revoked',
      });
      expect((await connectError(t, session.accessToken)).data?.code).toBe('UNAUTHENTICATED');
      await t.http.get('/api/users/me').set('Authorization', otherDevice.bearer).expect(200);
    });

    it('should close the sockets opened with the revoked token', async () => {
      const session = await newClient(t);
      const socket = await connectSocket(t, session.accessToken);
      const closed = disconnection(socket);

      await t.http.post('/api/auth/logout').set('Authorization', session.bearer).expect(200);

      expect(await closed).toBe('io server disconnect');
    });
  });

  describe('WebSocket handshake', () => {
    it('should accept a valid token', async () => {
      const session = await newCraftsman(t);

      const socket = await connectSocket(t, session.accessToken);

      expect(socket.connected).toBe(true);
      socket.close();
    });

    it('should refuse a missing or invalid token with connect_error', async () => {
      expect(await connectError(t)).toEqual({
        message: expect.any(String),
        data: { code: 'UNAUTHENTICATED' },
      });
      expect((await connectError(t, 'not.a.jwt')).data?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('forgot and reset password', () => {
    it('should email a single-use link that sets a new password and signs out every device', async () => {
      const session = await newClient(t, {
        email: 'forgetful@example.com',
        password: 'old-password-1',
      });

      const answer = await t.http
        .post('/api/auth/forgot-password')
        .send({ email: 'Forgetful@example.com' })
        .expect(200);
      const mail = await mailbox.waitFor('forgetful@example.com', isResetMail);
      const token = /token=([\w-]+)/.exec(mail.text)?.[1];

      expect(answer.body).toEqual({ message: expect.any(String) });
      expect(mail.subject).toBe('Reset your password');
      expect(mail.text).toContain('https://app.example.com/reset-password?token=');
      expect(mail.html).toContain('https://app.example.com/reset-password?token=');
      expect(token).toHaveLength(43);

      await t.http
        .post('/api/auth/reset-password')
        .send({ token, password: 'new-password-1' })
        .expect(200);

      await t.http.get('/api/users/me').set('Authorization', session.bearer).expect(401);
      await t.http
        .post('/api/auth/login')
        .send({
          loginIdentifier: 'forgetful@example.com',
          password: 'old-password-1',
          type: 'clients',
        })
        .expect(401);
      await login(t, 'forgetful@example.com', 'new-password-1');
      const reused = await t.http
        .post('/api/auth/reset-password')
        .send({ token, password: 'third-password-1' })
        .expect(400);
      expect(reused.body).toEqual({
        statusCode: 400,
        code: 'INVALID_TOKEN',
        message: expect.any(String),
      });
    });

    it('should answer the same for an email without an account, and send nothing', async () => {
      const known = await newClient(t, { email: 'known@example.com' });

      const unknownAnswer = await t.http
        .post('/api/auth/forgot-password')
        .send({ email: 'ghost@example.com' })
        .expect(200);
      const knownAnswer = await t.http
        .post('/api/auth/forgot-password')
        .send({ email: known.user.email })
        .expect(200);
      await mailbox.waitFor('known@example.com', isResetMail);

      expect(unknownAnswer.body).toEqual(knownAnswer.body);
      expect(mailbox.to('ghost@example.com')).toEqual([]);
    });

    it('should keep only the newest link working', async () => {
      await newClient(t, { email: 'twice@example.com' });

      await t.http
        .post('/api/auth/forgot-password')
        .send({ email: 'twice@example.com' })
        .expect(200);
      const first = await mailbox.waitFor('twice@example.com', isResetMail);
      await t.http
        .post('/api/auth/forgot-password')
        .send({ email: 'twice@example.com' })
        .expect(200);
      const second = await mailbox.waitFor(
        'twice@example.com',
        (mail) => isResetMail(mail) && mail !== first,
      );
      const tokenOf = (text: string) => /token=([\w-]+)/.exec(text)![1];

      await t.http
        .post('/api/auth/reset-password')
        .send({ token: tokenOf(first.text), password: 'new-password-1' })
        .expect(400);
      await t.http
        .post('/api/auth/reset-password')
        .send({ token: tokenOf(second.text), password: 'new-password-1' })
        .expect(200);
    });

    it('should answer 400 INVALID_TOKEN for an unknown token', async () => {
      const response = await t.http
        .post('/api/auth/reset-password')
        .send({ token: 'x'.repeat(43), password: 'new-password-1' })
        .expect(400);

      expect(response.body.code).toBe('INVALID_TOKEN');
    });
  });

  describe('PATCH /users/me/password', () => {
    it('should change the password, answer a fresh token and revoke the older ones', async () => {
      const session = await newClient(t, { password: 'old-password-1' });
      const otherDevice = await login(t, session.user.email, 'old-password-1');

      const response = await t.http
        .patch('/api/users/me/password')
        .set('Authorization', session.bearer)
        .send({ currentPassword: 'old-password-1', newPassword: 'new-password-1' })
        .expect(200);

      expect(response.body).toEqual({
        accessToken: expect.any(String),
        user: expect.objectContaining({ id: session.user.id }),
      });
      await t.http
        .get('/api/users/me')
        .set('Authorization', `Bearer ${response.body.accessToken}`)
        .expect(200);
      await t.http.get('/api/users/me').set('Authorization', session.bearer).expect(401);
      await t.http.get('/api/users/me').set('Authorization', otherDevice.bearer).expect(401);
      await login(t, session.user.email, 'new-password-1');
    });

    it('should answer 400 WRONG_CURRENT_PASSWORD and change nothing', async () => {
      const session = await newClient(t, { password: 'old-password-1' });

      const response = await t.http
        .patch('/api/users/me/password')
        .set('Authorization', session.bearer)
        .send({ currentPassword: 'guess-guess', newPassword: 'new-password-1' })
        .expect(400);

      expect(response.body.code).toBe('WRONG_CURRENT_PASSWORD');
      await t.http.get('/api/users/me').set('Authorization', session.bearer).expect(200);
      await login(t, session.user.email, 'old-password-1');
    });
  });

  it('should keep registering and signing in craftsmen and clients apart from staff', async () => {
    const craftsman = await register(t, { role: 'craftsman' });

    expect(craftsman.user.role).toBe('craftsman');
  });
});
