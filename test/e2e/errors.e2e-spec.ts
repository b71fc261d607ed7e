import { postJob } from '../support/marketplace.js';
import { newClient, newCraftsman } from '../support/session.js';
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
    // parameters take up to a device token's 4,096 characters (DELETE /notifications/devices/:token)
    ['an over-long path parameter', `/api/users/${'a'.repeat(5000)}`, 414, 'URI_TOO_LONG'],
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

  // a body as big as the reported one: the global ceiling is not what stops it
  describe('Work bounded by what the route needs (BODY_LIMIT_BYTES at its default, 1 MB)', () => {
    let big: TestApp;

    beforeAll(async () => {
      big = await createTestApp();
    });

    afterAll(async () => {
      await big.close();
    });

    const unknownKeys = (count: number, from = 0) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${from + i}`, 1]));
    const signIn = { loginIdentifier: 'a@b.co', password: 'whatever-1', type: 'clients' };

    it('should refuse a sign-in of 90,000 unknown properties with 413, in a short answer', async () => {
      const response = await big.http
        .post('/api/auth/login')
        .send({ ...signIn, ...unknownKeys(90_000) })
        .expect(413);

      expect(response.body).toEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.any(String),
      });
    });

    it('should refuse a body over its route limit though under BODY_LIMIT_BYTES', async () => {
      const response = await big.http
        .post('/api/auth/register')
        .send({ email: 'a@b.co', password: 'x'.repeat(5000), role: 'client', firstName: 'A' })
        .expect(413);

      expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('should refuse an object of more than 100 keys before validating any of them', async () => {
      const response = await big.http
        .post('/api/auth/login')
        .send({ ...signIn, ...unknownKeys(150) })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'BAD_REQUEST',
        message: 'An object of the body has more than 100 keys',
      });
    });

    it('should refuse a body of more than 2,000 keys and items in all', async () => {
      const client = await newClient(big);

      const response = await big.http
        .post('/api/notifications/mark-read')
        .set('Authorization', client.bearer)
        .send({ ids: Array.from({ length: 2500 }, () => 1) })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'BAD_REQUEST',
        message: 'The body has more than 2000 keys and array items',
      });
    });

    it.each([
      ['arrays', `{"address":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['objects', `{"firstName":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`],
    ])('should answer a body nested too deeply (%s) with 400, not a crash', async (_kind, body) => {
      const client = await newClient(big);

      const response = await big.http
        .put('/api/users/me')
        .set('Authorization', client.bearer)
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'BAD_REQUEST',
        message: 'The body nests deeper than 32 levels',
      });
    });

    it('should list at most 20 details in VALIDATION_FAILED', async () => {
      const response = await big.http
        .post('/api/auth/login')
        .send({ ...signIn, ...unknownKeys(60) })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'Request validation failed',
        details: expect.any(Array),
      });
      expect(response.body.details).toHaveLength(20);
    });

    it('should refuse a query string of more than 50 parameters with 400', async () => {
      const client = await newClient(big);
      const query = Array.from({ length: 60 }, (_, i) => `page=${i}`).join('&');

      const response = await big.http
        .get(`/api/users?${query}`)
        .set('Authorization', client.bearer)
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'BAD_REQUEST',
        message: 'The query string has more than 50 parameters',
      });
    });

    it('should take the largest legitimate bodies of the routes that need more room', async () => {
      const client = await newClient(big);
      const craftsman = await newCraftsman(big);
      const longUrl = (i: number) => `https://cdn.example.com/${i}/${'p'.repeat(2000)}.png`;

      await postJob(big, client, {
        title: 'ت'.repeat(120),
        description: 'ع'.repeat(5000),
        address: 'ش'.repeat(500),
        photos: Array.from({ length: 10 }, (_, i) => longUrl(i)),
      });
      await big.http
        .put('/api/users/me')
        .set('Authorization', craftsman.bearer)
        .send({
          address: 'ش'.repeat(500),
          craftsmanInfo: {
            bio: 'ب'.repeat(2000),
            portfolioImageUrls: Array.from({ length: 30 }, (_, i) => longUrl(i)),
          },
        })
        .expect(200);
    });
  });

  describe('Arrays, scalars and nulls where an object belongs', () => {
    const point = { lat: 30.04, lng: 31.23 };

    it.each([[[]], [[point]], [[[]]], ['Cairo'], [7]])(
      'should refuse location %j on PUT /users/me, POST /jobs and PUT /jobs/:id with 400',
      async (location) => {
        const client = await newClient(t);
        const job = await postJob<{ id: string; location: unknown }>(t, client, {
          location: point,
        });
        const newJob = {
          title: 'Leaking sink',
          description: 'Water drips all day long.',
          category: 'Plumbing',
        };

        const answers = await Promise.all([
          t.http.put('/api/users/me').set('Authorization', client.bearer).send({ location }),
          t.http
            .post('/api/jobs')
            .set('Authorization', client.bearer)
            .send({ ...newJob, location }),
          t.http.put(`/api/jobs/${job.id}`).set('Authorization', client.bearer).send({ location }),
        ]);

        for (const answer of answers) {
          expect(answer.status).toBe(400);
          expect(answer.body).toEqual({
            statusCode: 400,
            code: 'VALIDATION_FAILED',
            message: 'Request validation failed',
            details: expect.arrayContaining([
              { field: 'location', message: expect.stringContaining('location must be an object') },
            ]),
          });
        }
        const stored = await t.http
          .get(`/api/jobs/${job.id}`)
          .set('Authorization', client.bearer)
          .expect(200);
        expect(stored.body.location).toEqual(job.location);
      },
    );

    it.each([[[]], [[{ bio: 'Plumber' }]]])(
      'should refuse craftsmanInfo %j with 400, changing nothing',
      async (craftsmanInfo) => {
        const craftsman = await newCraftsman(t);

        const response = await t.http
          .put('/api/users/me')
          .set('Authorization', craftsman.bearer)
          .send({ craftsmanInfo })
          .expect(400);

        expect(response.body.details).toContainEqual({
          field: 'craftsmanInfo',
          message: expect.stringContaining('craftsmanInfo must be an object'),
        });
      },
    );

    it.each([[[[]]], [[[{ docType: 'national_id', docUrl: 'https://files.example.com/id.png' }]]]])(
      'should refuse verification docs %j (a list of lists) with 400, submitting nothing',
      async (docs) => {
        const craftsman = await newCraftsman(t);

        const response = await t.http
          .post('/api/users/craftsman/verification')
          .set('Authorization', craftsman.bearer)
          .send({ docs })
          .expect(400);

        expect(response.body.details).toContainEqual({
          field: 'docs',
          message: expect.stringContaining('each value in docs must be an object'),
        });
        const me = await t.http
          .get('/api/users/me')
          .set('Authorization', craftsman.bearer)
          .expect(200);
        expect(me.body.craftsmanInfo.verificationStatus).toBe('unverified');
      },
    );
  });
});
