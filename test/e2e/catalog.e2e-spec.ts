import { DEFAULT_SERVICES } from '../../src/modules/catalog/default-services.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Service {
  id: string;
  name: string;
  icon: string;
  description: string;
}

describe('Services catalog (/api/services)', () => {
  let t: TestApp;

  const editors: Array<[string, (t: TestApp) => Promise<Session>]> = [
    ['an admin', loginAsAdmin],
    ['a moderator', newModerator],
  ];
  const nonEditors: Array<[string, (t: TestApp) => Promise<Session>]> = [
    ['a client', newClient],
    ['a craftsman', newCraftsman],
  ];

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  async function catalog(): Promise<Service[]> {
    const response = await t.http.get('/api/services').expect(200);
    return response.body as Service[];
  }

  async function serviceNamed(name: string) {
    const found = (await catalog()).find((service) => service.name === name);
    if (!found) {
      throw new Error(`no service named ${name}`);
    }
    return found;
  }

  describe('GET /services', () => {
    it('should answer the seeded catalog to anyone, sorted by name', async () => {
      const response = await t.http.get('/api/services').expect(200);

      const expected = [...DEFAULT_SERVICES]
        .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
        .map((service) => ({ id: expect.stringMatching(/^[0-9a-f]{24}$/), ...service }));
      expect(response.body).toEqual(expected);
      expect((response.body as Service[]).map((service) => service.name)).toEqual([
        'AC Repair',
        'Aluminum & Glass',
        'Appliance Repair',
        'Carpentry',
        'Cleaning',
        'Electrical',
        'Locksmith',
        'Masonry',
        'Painting',
        'Pest Control',
        'Plumbing',
        'Tiling',
      ]);
    });

    it('should show each service with exactly id, name, icon and description', async () => {
      const services = await catalog();

      for (const service of services) {
        expect(Object.keys(service).sort()).toEqual(['description', 'icon', 'id', 'name']);
      }
    });
  });

  describe('POST /services', () => {
    it.each(editors)('should let %s add a service, listed in name order', async (_role, as) => {
      const editor = await as(t);

      const response = await t.http
        .post('/api/services')
        .set('Authorization', editor.bearer)
        .send({ name: 'Gardening', icon: 'garden', description: 'Lawns, trees and irrigation' })
        .expect(201);

      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        name: 'Gardening',
        icon: 'garden',
        description: 'Lawns, trees and irrigation',
      });
      const names = (await catalog()).map((service) => service.name);
      expect(names).toHaveLength(DEFAULT_SERVICES.length + 1);
      expect(names.indexOf('Gardening')).toBe(names.indexOf('Electrical') + 1);
      expect(await serviceNamed('Gardening')).toEqual(response.body);
    });

    it('should answer 401 UNAUTHENTICATED without a token and add nothing', async () => {
      const response = await t.http.post('/api/services').send({ name: 'Gardening' }).expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
      });
      expect(await catalog()).toHaveLength(DEFAULT_SERVICES.length);
    });

    it.each(nonEditors)('should answer 403 FORBIDDEN to %s and add nothing', async (_role, as) => {
      const session = await as(t);

      const response = await t.http
        .post('/api/services')
        .set('Authorization', session.bearer)
        .send({ name: 'Gardening' })
        .expect(403);

      expect(response.body).toEqual({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: expect.any(String),
      });
      expect(await catalog()).toHaveLength(DEFAULT_SERVICES.length);
    });

    it('should answer 409 SERVICE_NAME_TAKEN for a name in use in another case', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .post('/api/services')
        .set('Authorization', admin.bearer)
        .send({ name: 'plumbing' })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'SERVICE_NAME_TAKEN',
        message: expect.any(String),
      });
      expect((await catalog()).filter((s) => s.name.toLowerCase() === 'plumbing')).toHaveLength(1);
    });

    it('should refuse a bad body with one detail per bad field', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .post('/api/services')
        .set('Authorization', admin.bearer)
        .send({ name: 'X', icon: 5, price: 100 })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: expect.arrayContaining([
          { field: 'name', message: expect.stringContaining('2') },
          { field: 'icon', message: expect.any(String) },
          { field: 'price', message: 'property price should not exist' },
        ]),
      });
      expect(response.body.details).toHaveLength(3);
      expect(await catalog()).toHaveLength(DEFAULT_SERVICES.length);
    });
  });

  describe('PUT /services/:id', () => {
    it.each(editors)('should let %s change only the fields sent', async (_role, as) => {
      const editor = await as(t);
      const painting = await serviceNamed('Painting');

      const response = await t.http
        .put(`/api/services/${painting.id}`)
        .set('Authorization', editor.bearer)
        .send({ description: 'Walls, ceilings and decorative finishes' })
        .expect(200);

      expect(response.body).toEqual({
        id: painting.id,
        name: 'Painting',
        icon: 'painting',
        description: 'Walls, ceilings and decorative finishes',
      });
      expect(await serviceNamed('Painting')).toEqual(response.body);
    });

    it('should rename a service and keep the list in name order', async () => {
      const admin = await loginAsAdmin(t);
      const tiling = await serviceNamed('Tiling');

      await t.http
        .put(`/api/services/${tiling.id}`)
        .set('Authorization', admin.bearer)
        .send({ name: 'Ceramics & Tiling' })
        .expect(200);

      const names = (await catalog()).map((service) => service.name);
      expect(names).not.toContain('Tiling');
      expect(names.indexOf('Ceramics & Tiling')).toBe(names.indexOf('Carpentry') + 1);
    });

    it('should answer 409 SERVICE_NAME_TAKEN for the name of another service in another case', async () => {
      const admin = await loginAsAdmin(t);
      const electrical = await serviceNamed('Electrical');

      const response = await t.http
        .put(`/api/services/${electrical.id}`)
        .set('Authorization', admin.bearer)
        .send({ name: 'plumbing' })
        .expect(409);

      expect(response.body.code).toBe('SERVICE_NAME_TAKEN');
      expect(await serviceNamed('Electrical')).toEqual(electrical);
    });

    it('should answer 401 without a token and 403 FORBIDDEN to a craftsman', async () => {
      const craftsman = await newCraftsman(t);
      const painting = await serviceNamed('Painting');

      await t.http.put(`/api/services/${painting.id}`).send({ name: 'Decorating' }).expect(401);
      const response = await t.http
        .put(`/api/services/${painting.id}`)
        .set('Authorization', craftsman.bearer)
        .send({ name: 'Decorating' })
        .expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      expect(await serviceNamed('Painting')).toEqual(painting);
    });

    it('should answer 404 NOT_FOUND for an unknown id', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .put('/api/services/65a1b2c3d4e5f60718293a4b')
        .set('Authorization', admin.bearer)
        .send({ name: 'Gardening' })
        .expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
    });

    it('should answer 404 "Resource not found (invalid ID)" for a malformed id', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .put('/api/services/not-an-id')
        .set('Authorization', admin.bearer)
        .send({ name: 'Gardening' })
        .expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'Resource not found (invalid ID)',
      });
    });

    it('should refuse a bad body with VALIDATION_FAILED and change nothing', async () => {
      const admin = await loginAsAdmin(t);
      const painting = await serviceNamed('Painting');

      const response = await t.http
        .put(`/api/services/${painting.id}`)
        .set('Authorization', admin.bearer)
        .send({ name: '', description: 'x'.repeat(501) })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: expect.arrayContaining([
          { field: 'name', message: expect.any(String) },
          { field: 'description', message: expect.stringContaining('500') },
        ]),
      });
      expect(response.body.details).toHaveLength(2);
      expect(await serviceNamed('Painting')).toEqual(painting);
    });
  });

  describe('DELETE /services/:id', () => {
    it.each(editors)(
      'should let %s remove a service and answer the removed service',
      async (_role, as) => {
        const editor = await as(t);
        const locksmith = await serviceNamed('Locksmith');

        const response = await t.http
          .delete(`/api/services/${locksmith.id}`)
          .set('Authorization', editor.bearer)
          .expect(200);

        expect(response.body).toEqual(locksmith);
        const services = await catalog();
        expect(services).toHaveLength(DEFAULT_SERVICES.length - 1);
        expect(services.map((service) => service.name)).not.toContain('Locksmith');
      },
    );

    it('should answer 404 NOT_FOUND when the service is already gone', async () => {
      const admin = await loginAsAdmin(t);
      const locksmith = await serviceNamed('Locksmith');
      await t.http
        .delete(`/api/services/${locksmith.id}`)
        .set('Authorization', admin.bearer)
        .expect(200);

      const response = await t.http
        .delete(`/api/services/${locksmith.id}`)
        .set('Authorization', admin.bearer)
        .expect(404);

      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('should answer 404 "Resource not found (invalid ID)" for a malformed id', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .delete('/api/services/123')
        .set('Authorization', admin.bearer)
        .expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'Resource not found (invalid ID)',
      });
    });

    it('should answer 401 without a token and 403 FORBIDDEN to a client, keeping the service', async () => {
      const client = await newClient(t);
      const locksmith = await serviceNamed('Locksmith');

      await t.http.delete(`/api/services/${locksmith.id}`).expect(401);
      const response = await t.http
        .delete(`/api/services/${locksmith.id}`)
        .set('Authorization', client.bearer)
        .expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      expect(await serviceNamed('Locksmith')).toEqual(locksmith);
    });
  });
});
