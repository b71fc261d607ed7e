import { randomBytes, randomInt } from 'node:crypto';
import { newClient, uniqueEmail } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const attempt = (t: TestApp, loginIdentifier: string) =>
  t.http
    .post('/api/auth/login')
    .send({ loginIdentifier, password: 'wrong-password', type: 'clients' });

/** A sign-in through a proxy that says the client is `forwardedFor` (X-Forwarded-For). */
const signIn = (t: TestApp, forwardedFor: string, loginIdentifier: string, password: string) =>
  t.http
    .post('/api/auth/login')
    .set('X-Forwarded-For', forwardedFor)
    .send({ loginIdentifier, password, type: 'clients' });

const WRONG = 'wrong-password';
const attacker = (n: number) => `198.51.100.${n}`;
const OWNER = '203.0.113.20';

describe('Rate limits on sign-in and password reset', () => {
  describe('per account and per email', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: {
          LOGIN_RATE_LIMIT_PER_IDENTIFIER: '3',
          FORGOT_PASSWORD_RATE_LIMIT_PER_EMAIL: '2',
        },
      });
    });

    afterAll(async () => {
      await t.close();
    });

    it('should answer 429 RATE_LIMITED with Retry-After once an account had its attempts', async () => {
      for (let i = 0; i < 3; i += 1) {
        await attempt(t, 'target@example.com').expect(401);
      }

      const limited = await attempt(t, 'TARGET@example.com').expect(429);

      expect(limited.body).toEqual({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: expect.any(String),
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
    });

    it('should limit reset emails per address', async () => {
      await t.http
        .post('/api/auth/forgot-password')
        .send({ email: 'reset@example.com' })
        .expect(200);
      await t.http
        .post('/api/auth/forgot-password')
        .send({ email: 'reset@example.com' })
        .expect(200);

      const limited = await t.http
        .post('/api/auth/forgot-password')
        .send({ email: 'Reset@example.com' })
        .expect(429);

      expect(limited.body.code).toBe('RATE_LIMITED');
      await t.http
        .post('/api/auth/forgot-password')
        .send({ email: 'someone-else@example.com' })
        .expect(200);
    });
  });

  describe('per address', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_IP: '3' } });
    });

    afterAll(async () => {
      await t.close();
    });

    it('should limit one address across accounts', async () => {
      await attempt(t, 'first@example.com').expect(401);
      await attempt(t, 'second@example.com').expect(401);
      await attempt(t, 'third@example.com').expect(401);

      const limited = await attempt(t, 'fourth@example.com').expect(429);

      expect(limited.body.code).toBe('RATE_LIMITED');
    });
  });

  describe('across two instances sharing Redis (REDIS_URL)', () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      const env = {
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
        LOGIN_RATE_LIMIT_PER_IDENTIFIER: '4',
      };
      a = await createTestApp({ env });
      b = await createTestApp({ env });
    });

    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('should count the attempts made on either instance together', async () => {
      await attempt(a, 'shared@example.com').expect(401);
      await attempt(b, 'shared@example.com').expect(401);
      await attempt(a, 'shared@example.com').expect(401);
      await attempt(b, 'shared@example.com').expect(401);

      await attempt(a, 'shared@example.com').expect(429);
      await attempt(b, 'shared@example.com').expect(429);
    });
  });

  describe('per account and client address, behind a listed proxy (TRUST_PROXY=127.0.0.1)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: {
          TRUST_PROXY: '127.0.0.1',
          LOGIN_RATE_LIMIT_PER_IDENTIFIER: '3',
          LOGIN_RATE_LIMIT_PER_ACCOUNT: '6',
        },
      });
    });

    afterAll(async () => {
      await t.close();
    });

    it('should not lock the owner out when someone else failed for his account from another address', async () => {
      const owner = await newClient(t);
      for (let i = 0; i < 3; i += 1) {
        await signIn(t, attacker(1), owner.user.email, WRONG).expect(401);
      }
      await signIn(t, attacker(1), owner.user.email, owner.password).expect(429);

      const response = await signIn(t, OWNER, owner.user.email, owner.password).expect(200);

      expect(response.body.user.id).toBe(owner.user.id);
    });

    it('should start an address’s count for the account afresh after a correct password', async () => {
      const owner = await newClient(t);
      await signIn(t, OWNER, owner.user.email, WRONG).expect(401);
      await signIn(t, OWNER, owner.user.email, WRONG).expect(401);
      await signIn(t, OWNER, owner.user.email, owner.password).expect(200);

      await signIn(t, OWNER, owner.user.email, WRONG).expect(401);
      await signIn(t, OWNER, owner.user.email, WRONG).expect(401);
      await signIn(t, OWNER, owner.user.email, owner.password).expect(200);
    });

    it('should still stop guessing spread over many addresses, for the whole account', async () => {
      const phone = `+2010${String(randomInt(10_000_000, 99_999_999))}`;
      const owner = await newClient(t, { phone });
      // each address fails once; the email and the phone name one account: all count against it
      for (let n = 1; n <= 6; n += 1) {
        await signIn(t, attacker(n), n <= 4 ? owner.user.email : phone, WRONG).expect(401);
      }

      const limited = await signIn(t, attacker(7), phone, WRONG).expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      await signIn(t, OWNER, owner.user.email, owner.password).expect(429);
      await signIn(t, OWNER, uniqueEmail('other'), WRONG).expect(401);
    });

    it('should count wrong current passwords at a password change against the account too', async () => {
      const owner = await newClient(t);
      const change = (currentPassword: string) =>
        t.http
          .patch('/api/users/me/password')
          .set('Authorization', owner.bearer)
          .send({ currentPassword, newPassword: 'another-horse-2' });
      for (let i = 0; i < 6; i += 1) {
        const wrong = await change(`${WRONG}-${i}`).expect(400);
        expect(wrong.body.code).toBe('WRONG_CURRENT_PASSWORD');
      }

      const limited = await change(owner.password).expect(429);

      expect(limited.body.code).toBe('RATE_LIMITED');
      await signIn(t, OWNER, owner.user.email, owner.password).expect(429);
    });
  });

  describe('behind one proxy (TRUST_PROXY=1)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: { TRUST_PROXY: '1', LOGIN_RATE_LIMIT_PER_IP: '3' } });
    });

    afterAll(async () => {
      await t.close();
    });

    it('should take the address the proxy added, so a made-up leftmost entry does not escape the limit', async () => {
      for (let n = 1; n <= 3; n += 1) {
        await signIn(t, `10.9.9.${n}, ${OWNER}`, uniqueEmail('guess'), WRONG).expect(401);
      }

      const limited = await signIn(t, `10.9.9.4, ${OWNER}`, uniqueEmail('guess'), WRONG).expect(
        429,
      );

      expect(limited.body.code).toBe('RATE_LIMITED');
      await signIn(t, `10.9.9.5, ${attacker(1)}`, uniqueEmail('guess'), WRONG).expect(401);
    });

    it('should count the addresses of one IPv6 /64 network as one client', async () => {
      for (let n = 1; n <= 3; n += 1) {
        await signIn(t, `2001:db8:7:7::${n}`, uniqueEmail('guess'), WRONG).expect(401);
      }

      await signIn(t, '2001:db8:7:7:abcd::4', uniqueEmail('guess'), WRONG).expect(429);
      await signIn(t, '2001:db8:7:8::1', uniqueEmail('guess'), WRONG).expect(401);
    });
  });

  describe('sign-ups per address (REGISTER_RATE_LIMIT_PER_IP per REGISTER_RATE_LIMIT_WINDOW)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: {
          TRUST_PROXY: '127.0.0.1',
          REGISTER_RATE_LIMIT_PER_IP: '2',
          REGISTER_RATE_LIMIT_WINDOW: 'PT10M',
        },
      });
    });

    afterAll(async () => {
      await t.close();
    });

    const signUp = (forwardedFor: string, email: string) =>
      t.http.post('/api/auth/register').set('X-Forwarded-For', forwardedFor).send({
        email,
        password: 'correct-horse-1',
        role: 'client',
        firstName: 'Mona',
        lastName: 'Khaled',
      });

    it('should count every sign-up from an address, taken or not, then answer 429 and create nothing', async () => {
      const email = uniqueEmail('taken');
      await signUp(attacker(1), email).expect(201);
      await signUp(attacker(1), email).expect(409);
      const another = uniqueEmail('new');

      const limited = await signUp(attacker(1), another).expect(429);

      expect(limited.body).toEqual({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: expect.any(String),
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(limited.body.details.retryAfterSeconds).toBeLessThanOrEqual(600);
      expect(await t.connection.collection('users').countDocuments({ email: another })).toBe(0);
      await signUp(OWNER, another).expect(201);
    });
  });
});
