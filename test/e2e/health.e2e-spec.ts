import { DATABASE_ENGINE, DatabaseEngine } from '../../src/database/engine/database-engine.js';
import { createTestApp, TestApp } from '../support/test-app.js';

describe('GET /api/health', () => {
  describe('with the database up', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    });

    afterAll(async () => {
      await t.close();
    });

    it('should answer 200 with db up', async () => {
      const response = await t.http.get('/api/health').expect(200);

      expect(response.body).toEqual({ status: 'ok', db: 'up' });
    });

    it('should send helmet’s security headers on answers and on errors', async () => {
      for (const response of [
        await t.http.get('/api/health').expect(200),
        await t.http.get('/api/no-such-route').expect(404),
      ]) {
        expect(response.headers).toEqual(
          expect.objectContaining({
            'content-security-policy': expect.stringContaining("default-src 'self'"),
            'x-content-type-options': 'nosniff',
            'x-frame-options': 'SAMEORIGIN',
            'strict-transport-security': expect.stringContaining('max-age='),
            'cross-origin-opener-policy': 'same-origin',
          }),
        );
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('should tag the answer with a request id and log the request once', async () => {
      const response = await t.http.get('/api/health').set('x-request-id', 'probe-42').expect(200);

      expect(response.headers['x-request-id']).toBe('probe-42');
      const lines = (await t.readLog('combined.log')).filter((line) => line.reqId === 'probe-42');
      expect(lines).toEqual([
        expect.objectContaining({
          msg: 'request completed',
          method: 'GET',
          url: '/api/health',
          statusCode: 200,
          time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        }),
      ]);
    });
  });

  describe('when the database engine stops under the running app', () => {
    let t: TestApp;

    beforeAll(async () => {
      // no MONGODB_URI: this app starts (and here stops) an engine of its own
      t = await createTestApp({ env: { MONGODB_URI: '' } });
    });

    afterAll(async () => {
      await t.close();
    });

    it('should answer 200 first, then 503 with db down, promptly', async () => {
      await t.http.get('/api/health').expect(200);
      const engine = t.app.get<DatabaseEngine>(DATABASE_ENGINE);
      expect(engine.kind).not.toBe('uri');

      await engine.stop();
      const startedAt = Date.now();
      const response = await t.http.get('/api/health').expect(503);

      expect(response.body).toEqual({ status: 'error', db: 'down' });
      expect(Date.now() - startedAt).toBeLessThan(10_000);
    });
  });
});
