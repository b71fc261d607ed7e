import { randomBytes } from 'node:crypto';
import { createTestApp, type TestApp } from '../support/test-app.js';

const attempt = (t: TestApp, loginIdentifier: string) =>
  t.http
    .post('/api/auth/login')
    .send({ loginIdentifier, password: 'wrong-password', type: 'clients' });

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
});
