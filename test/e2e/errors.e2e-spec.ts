import { newClient } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Error answers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['GET', '/api/nothing-here'],
    ['POST', '/api/jobs-that-do-not-exist/42'],
    ['DELETE', '/api/health'],
  ])('should answer %s %s with 404 "API route not found"', async (method, path) => {
    const response =
      await t.http[method.toLowerCase() as 'get' | 'post' | 'delete'](path).expect(404);

    expect(response.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'API route not found',
    });
  });

  it('should answer a path outside /api with 404 "Route not found"', async () => {
    const response = await t.http.get('/favicon.ico').expect(404);

    expect(response.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Route not found',
    });
  });

  it('should answer a malformed id with 404 "Resource not found (invalid ID)"', async () => {
    const session = await newClient(t);

    const response = await t.http
      .get('/api/users/not-an-object-id')
      .set('Authorization', session.bearer)
      .expect(404);

    expect(response.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Resource not found (invalid ID)',
    });
  });

  it('should answer a bad query with VALIDATION_FAILED and one detail per bad parameter', async () => {
    const session = await newClient(t);

    const response = await t.http
      .get('/api/users?page=0&limit=1000&lat=500&lng=31')
      .set('Authorization', session.bearer)
      .expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: expect.any(String),
      details: expect.arrayContaining([
        { field: 'page', message: 'page must not be less than 1' },
        { field: 'limit', message: 'limit must not be greater than 100' },
        { field: 'lat', message: expect.stringContaining('lat must be a latitude') },
      ]),
    });
    expect(response.body.details).toHaveLength(3);
  });

  it('should answer malformed JSON with 400 and no parser internals', async () => {
    const response = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"loginIdentifier": "a@b.co", ')
      .expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      code: 'BAD_REQUEST',
      message: expect.any(String),
    });
  });

  it('should answer a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await t.http
      .post('/api/auth/register')
      .send({
        email: 'big@example.com',
        password: 'x'.repeat(4096),
        role: 'client',
        firstName: 'A',
        lastName: 'B',
      })
      .expect(413);

    expect(response.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.any(String),
    });
  });

  it.each([
    ['arrays', `{"email":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['objects', `{"firstName":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`],
  ])('should answer a body nested too deeply (%s) with 400, not a crash', async (_kind, body) => {
    const big = await createTestApp({ env: { BODY_LIMIT_BYTES: '1048576' } });
    try {
      const response = await big.http
        .post('/api/auth/register')
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'BAD_REQUEST',
        message: 'The body nests deeper than 32 levels',
      });
    } finally {
      await big.close();
    }
  });

  it('should refuse a prototype-poisoning body with 400', async () => {
    const response = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(
        '{"loginIdentifier":"a@b.co","password":"x","type":"clients","__proto__":{"isAdmin":true}}',
      )
      .expect(400);

    expect(response.body.code).toBe('BAD_REQUEST');
  });

  it('should refuse a body using an object-internals key (constructor) with 400', async () => {
    const response = await t.http
      .post('/api/auth/forgot-password')
      .set('Content-Type', 'application/json')
      .send('{"email":"a@b.co","constructor":"x"}')
      .expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      code: 'BAD_REQUEST',
      message: 'The body uses a reserved key: constructor',
    });
  });

  it('should validate a field sent as null instead of passing it on', async () => {
    const session = await newClient(t);

    const response = await t.http
      .put('/api/users/me')
      .set('Authorization', session.bearer)
      .send({ phone: null })
      .expect(400);

    expect(response.body.details).toEqual([
      { field: 'phone', message: 'phone must be a phone number' },
    ]);
  });

  it.each([
    ['an over-long path parameter', `/api/users/${'a'.repeat(200)}`, 414, 'URI_TOO_LONG'],
    ['a path that is not valid URL encoding', '/api/users/%', 400, 'BAD_REQUEST'],
    ['a request line over 16 KB', `/api/users?q=${'a'.repeat(20_000)}`, 431, 'HEADERS_TOO_LARGE'],
  ])(
    'should answer %s in the error shape, without echoing it',
    async (_label, path, status, code) => {
      const response = await fetch(`${t.baseUrl}${path}`);
      const body = await response.json();

      expect(response.status).toBe(status);
      expect(body).toEqual({ statusCode: status, code, message: expect.any(String) });
      expect(JSON.stringify(body)).not.toContain('aaaa');
    },
  );

  it('should answer an unsupported content type with 415', async () => {
    const response = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/xml')
      .send('<login/>')
      .expect(415);

    expect(response.body).toEqual({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.any(String),
    });
  });

  it.each([
    { loginIdentifier: { $gt: '' }, password: 'x', type: 'clients' },
    { loginIdentifier: 'a@b.co', password: { $ne: null }, type: 'clients' },
    { loginIdentifier: 'a@b.co', password: 'x', type: 'clients', $where: 'sleep(1000)' },
  ])('should refuse operator injection %p with VALIDATION_FAILED', async (body) => {
    const response = await t.http.post('/api/auth/login').send(body).expect(400);

    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('should never put a stack trace in an answer', async () => {
    const answers = await Promise.all([
      t.http.get('/api/nothing-here'),
      t.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{'),
      t.http.post('/api/auth/register').send({}),
    ]);

    for (const answer of answers) {
      expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.(ts|js):\d+|node_modules|stack/);
    }
  });
});
