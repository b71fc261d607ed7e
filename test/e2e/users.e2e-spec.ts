import {
  login,
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  secretKeysIn,
  type Session,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import type { Paginated } from '../../src/common/pagination/paginated.js';
import { submitVerification, verificationDocs } from '../support/uploads.js';

/** Known places in Cairo, and how far each is from Cairo Tower. */
const CAIRO_TOWER = { lat: 30.0459, lng: 31.2243 };
const TAHRIR_SQUARE = { lat: 30.0444, lng: 31.2357 }; // ~1.1 km
const MAADI = { lat: 29.9602, lng: 31.2569 }; // ~10.0 km
const GIZA_PYRAMIDS = { lat: 29.9792, lng: 31.1342 }; // ~11.4 km
const CAIRO_AIRPORT = { lat: 30.1219, lng: 31.4056 }; // ~19.4 km
const ALEXANDRIA = { lat: 31.2001, lng: 29.9187 }; // ~179 km

/** What GET /users answers, as far as these tests read it. */
type CraftsmanPage = Paginated<{
  id: string;
  role: string;
  firstName: string;
  lastName: string;
  distanceKm?: number;
  craftsmanInfo: { skills: string[]; available: boolean; verificationStatus: string };
}>;

/** The own account (GET and PUT /users/me), as far as these tests read it. */
interface Account {
  id: string;
  email: string;
  phone?: string;
  firstName: string;
  craftsmanInfo: { skills: string[]; verificationStatus: string; [key: string]: unknown };
  [key: string]: unknown;
}

const PRIVATE_KEYS = ['email', 'phone', 'address', 'location', 'password', 'passwordHash'];

describe('Users (/api/users)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  async function updateMe(session: Session, body: Record<string, unknown>): Promise<Account> {
    const response = await t.http
      .put('/api/users/me')
      .set('Authorization', session.bearer)
      .send(body)
      .expect(200);
    return response.body as Account;
  }

  async function me(session: Session): Promise<Account> {
    const response = await t.http
      .get('/api/users/me')
      .set('Authorization', session.bearer)
      .expect(200);
    return response.body as Account;
  }

  /** A craftsman with this name and, optionally, a profile set through PUT /users/me. */
  async function craftsman(
    firstName: string,
    lastName: string,
    profile?: Record<string, unknown>,
  ): Promise<Session> {
    const session = await newCraftsman(t, { firstName, lastName });
    if (profile) {
      await updateMe(session, profile);
    }
    return session;
  }

  async function browse(
    viewer: Session,
    query: Record<string, string | number | boolean> = {},
  ): Promise<CraftsmanPage> {
    const response = await t.http
      .get('/api/users')
      .query(query)
      .set('Authorization', viewer.bearer)
      .expect(200);
    return response.body as CraftsmanPage;
  }

  const namesIn = (body: CraftsmanPage) =>
    body.data.map((user) => `${user.firstName} ${user.lastName}`);
  const idsIn = (body: CraftsmanPage) => body.data.map((user) => user.id);

  describe('GET /users/me', () => {
    it('should answer the own account, contact details included, and no secrets', async () => {
      const session = await newClient(t, {
        email: 'mona@example.com',
        firstName: 'Mona',
        lastName: 'Khaled',
        phone: '01001234567',
      });

      const body = await me(session);

      expect(body).toEqual(
        expect.objectContaining({
          id: session.user.id,
          email: 'mona@example.com',
          phone: '+201001234567',
          role: 'client',
          firstName: 'Mona',
          lastName: 'Khaled',
          rating: 0,
          ratingCount: 0,
        }),
      );
      expect(body).not.toHaveProperty('craftsmanInfo');
      expect(secretKeysIn(body)).toEqual([]);
    });
  });

  describe('PUT /users/me', () => {
    it('should change only the fields sent', async () => {
      const session = await newClient(t, {
        firstName: 'Mona',
        lastName: 'Khaled',
        phone: '01001234567',
      });

      const renamed = await updateMe(session, { firstName: '  Laila  ' });
      const moved = await updateMe(session, {
        address: '12 Tahrir St, Cairo',
        location: TAHRIR_SQUARE,
      });

      expect(renamed).toEqual(
        expect.objectContaining({ firstName: 'Laila', lastName: 'Khaled', phone: '+201001234567' }),
      );
      expect(renamed).not.toHaveProperty('address');
      expect(moved).toEqual(
        expect.objectContaining({
          firstName: 'Laila',
          lastName: 'Khaled',
          phone: '+201001234567',
          address: '12 Tahrir St, Cairo',
          location: TAHRIR_SQUARE,
        }),
      );
      expect(await me(session)).toEqual(moved);
      expect(secretKeysIn(moved)).toEqual([]);
    });

    it('should store the phone normalized, so that it signs in however it is written', async () => {
      const session = await newClient(t);

      const body = await updateMe(session, { phone: '+20 (100) 123-4567' });

      expect(body.phone).toBe('+201001234567');
      const byPhone = await login(t, '+20 100 123 4567', session.password);
      expect(byPhone.user.id).toBe(session.user.id);
    });

    it('should answer 409 PHONE_TAKEN for a phone of another account and keep the own', async () => {
      await newClient(t, { phone: '+201001234567' });
      const session = await newClient(t, { phone: '+201112223333' });

      const response = await t.http
        .put('/api/users/me')
        .set('Authorization', session.bearer)
        .send({ phone: '+20 100 123 4567' })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'PHONE_TAKEN',
        message: expect.any(String),
      });
      expect((await me(session)).phone).toBe('+201112223333');
    });

    it('should refuse a bad body with one detail per bad field and change nothing', async () => {
      const session = await newClient(t, { firstName: 'Mona' });

      const response = await t.http
        .put('/api/users/me')
        .set('Authorization', session.bearer)
        .send({
          firstName: 'Laila',
          location: { lat: 100, lng: 31.2 },
          email: 'new@example.com',
        })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: expect.arrayContaining([
          { field: 'location.lat', message: expect.any(String) },
          { field: 'email', message: 'property email should not exist' },
        ]),
      });
      expect(response.body.details).toHaveLength(2);
      const after = await me(session);
      expect(after.firstName).toBe('Mona');
      expect(after.email).toBe(session.user.email);
    });

    describe('craftsmanInfo', () => {
      it('should store skills in the catalog’s spelling, matched case-insensitively', async () => {
        const session = await newCraftsman(t);

        const body = await updateMe(session, {
          craftsmanInfo: { skills: ['plumbing', 'ELECTRICAL', 'Plumbing'] },
        });

        expect(body.craftsmanInfo.skills).toEqual(['Plumbing', 'Electrical']);
        expect((await me(session)).craftsmanInfo.skills).toEqual(['Plumbing', 'Electrical']);
      });

      it('should answer 400 VALIDATION_FAILED on craftsmanInfo.skills for a skill not in the catalog', async () => {
        const session = await craftsman('Karim', 'Saleh', {
          craftsmanInfo: { skills: ['Plumbing'] },
        });

        const response = await t.http
          .put('/api/users/me')
          .set('Authorization', session.bearer)
          .send({ craftsmanInfo: { skills: ['plumbing', 'Juggling'] } })
          .expect(400);

        expect(response.body).toEqual({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: [
            { field: 'craftsmanInfo.skills', message: expect.stringContaining('Juggling') },
          ],
        });
        expect((await me(session)).craftsmanInfo.skills).toEqual(['Plumbing']);
      });

      it('should answer 400 VALIDATION_FAILED on craftsmanInfo to a client and change nothing', async () => {
        const session = await newClient(t, { firstName: 'Mona' });

        const response = await t.http
          .put('/api/users/me')
          .set('Authorization', session.bearer)
          .send({ firstName: 'Laila', craftsmanInfo: { bio: 'I fix things' } })
          .expect(400);

        expect(response.body).toEqual({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: [{ field: 'craftsmanInfo', message: expect.any(String) }],
        });
        const after = await me(session);
        expect(after.firstName).toBe('Mona');
        expect(after).not.toHaveProperty('craftsmanInfo');
      });

      it('should keep the craftsmanInfo fields not sent', async () => {
        const session = await craftsman('Karim', 'Saleh', {
          craftsmanInfo: {
            skills: ['Carpentry'],
            bio: 'Twenty years of woodwork',
            serviceRadiusKm: 30,
            portfolioImageUrls: ['https://img.example.com/door.jpg'],
          },
        });

        const body = await updateMe(session, { craftsmanInfo: { available: false } });

        expect(body.craftsmanInfo).toEqual(
          expect.objectContaining({
            skills: ['Carpentry'],
            bio: 'Twenty years of woodwork',
            serviceRadiusKm: 30,
            available: false,
            portfolioImageUrls: ['https://img.example.com/door.jpg'],
            verificationStatus: 'unverified',
          }),
        );
        expect((await me(session)).craftsmanInfo).toEqual(body.craftsmanInfo);
      });
    });
  });

  describe('GET /users/:userId', () => {
    it('should show a craftsman’s public profile and nothing private', async () => {
      const viewer = await newClient(t);
      const session = await newCraftsman(t, {
        firstName: 'Karim',
        lastName: 'Saleh',
        phone: '01001234567',
      });
      await updateMe(session, {
        address: '12 Tahrir St, Cairo',
        location: TAHRIR_SQUARE,
        craftsmanInfo: { skills: ['Plumbing'], bio: 'Leaks fixed fast' },
      });
      await submitVerification(t, session);

      const response = await t.http
        .get(`/api/users/${session.user.id}`)
        .set('Authorization', viewer.bearer)
        .expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: session.user.id,
          role: 'craftsman',
          firstName: 'Karim',
          lastName: 'Saleh',
          rating: 0,
          ratingCount: 0,
          craftsmanInfo: expect.objectContaining({
            skills: ['Plumbing'],
            bio: 'Leaks fixed fast',
            verificationStatus: 'pending',
            available: true,
          }),
        }),
      );
      for (const key of PRIVATE_KEYS) {
        expect(response.body).not.toHaveProperty(key);
      }
      expect(response.body.craftsmanInfo).not.toHaveProperty('verificationDocs');
      expect(JSON.stringify(response.body)).not.toContain('files.example.com');
      expect(secretKeysIn(response.body)).toEqual([]);
    });

    it('should show a client’s public profile without contact details', async () => {
      const viewer = await newCraftsman(t);
      const client = await newClient(t, { firstName: 'Mona', phone: '01001234567' });

      const response = await t.http
        .get(`/api/users/${client.user.id}`)
        .set('Authorization', viewer.bearer)
        .expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({ id: client.user.id, role: 'client', firstName: 'Mona' }),
      );
      for (const key of PRIVATE_KEYS) {
        expect(response.body).not.toHaveProperty(key);
      }
      expect(secretKeysIn(response.body)).toEqual([]);
    });

    it('should answer 404 NOT_FOUND for an id of nobody', async () => {
      const viewer = await newClient(t);

      const response = await t.http
        .get('/api/users/65a1b2c3d4e5f60718293a4b')
        .set('Authorization', viewer.bearer)
        .expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
    });

    it('should answer 404 "Resource not found (invalid ID)" for a malformed id', async () => {
      const viewer = await newClient(t);

      const response = await t.http
        .get('/api/users/not-an-object-id')
        .set('Authorization', viewer.bearer)
        .expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'Resource not found (invalid ID)',
      });
    });
  });

  describe('GET /users (browse craftsmen)', () => {
    it('should answer 401 UNAUTHENTICATED without a token', async () => {
      const response = await t.http.get('/api/users').expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('should list only craftsmen, paginated, with public profiles and no secrets', async () => {
      const viewer = await newClient(t, { firstName: 'Mona' });
      await newClient(t, { firstName: 'Other' });
      await newModerator(t);
      const karim = await craftsman('Karim', 'Saleh', { location: TAHRIR_SQUARE });

      const body = await browse(viewer);

      expect(body).toEqual({
        data: [expect.objectContaining({ id: karim.user.id, role: 'craftsman' })],
        pagination: { page: 1, limit: 10, totalPages: 1, totalItems: 1 },
      });
      for (const key of PRIVATE_KEYS) {
        expect(body.data[0]).not.toHaveProperty(key);
      }
      expect(secretKeysIn(body)).toEqual([]);
    });

    it('should leave out banned craftsmen', async () => {
      const viewer = await newClient(t);
      const admin = await loginAsAdmin(t);
      const kept = await craftsman('Karim', 'Saleh');
      const banned = await craftsman('Hany', 'Fouad');
      await t.http
        .patch(`/api/admin/users/${banned.user.id}/ban`)
        .set('Authorization', admin.bearer)
        .send({ reason: 'Fake reviews' })
        .expect(200);

      const body = await browse(viewer);

      expect(idsIn(body)).toEqual([kept.user.id]);
      expect(body.pagination.totalItems).toBe(1);
    });

    it('should filter by skill, whatever its case', async () => {
      const viewer = await newClient(t);
      const plumber = await craftsman('Karim', 'Saleh', {
        craftsmanInfo: { skills: ['Plumbing', 'Tiling'] },
      });
      await craftsman('Hany', 'Fouad', { craftsmanInfo: { skills: ['Electrical'] } });
      await craftsman('Omar', 'Adel');

      const exact = await browse(viewer, { skill: 'Plumbing' });
      const lower = await browse(viewer, { skill: 'plumbing' });

      expect(idsIn(exact)).toEqual([plumber.user.id]);
      expect(exact.data[0].craftsmanInfo.skills).toEqual(['Plumbing', 'Tiling']);
      expect(idsIn(lower)).toEqual([plumber.user.id]);
    });

    it('should match q against the start of the first or the last name, case-insensitively', async () => {
      const viewer = await newClient(t);
      await craftsman('Ali', 'Hassan');
      await craftsman('Alia', 'Mostafa');
      await craftsman('Omar', 'Ali');
      await craftsman('Karim', 'Khalil');

      const body = await browse(viewer, { q: 'ALI' });

      expect(namesIn(body).sort()).toEqual(['Ali Hassan', 'Alia Mostafa', 'Omar Ali']);
      expect(body.pagination.totalItems).toBe(3);
      expect(namesIn(await browse(viewer, { q: 'kha' }))).toEqual(['Karim Khalil']);
      expect(namesIn(await browse(viewer, { q: 'li' }))).toEqual([]);
    });

    it('should match "first last" as prefixes of the first and the last name', async () => {
      const viewer = await newClient(t);
      await craftsman('Ali', 'Hassan');
      await craftsman('Alia', 'Mostafa');
      await craftsman('Hassan', 'Ali');

      expect(namesIn(await browse(viewer, { q: 'ali h' }))).toEqual(['Ali Hassan']);
      expect(namesIn(await browse(viewer, { q: 'Ali Mos' }))).toEqual(['Alia Mostafa']);
      expect(namesIn(await browse(viewer, { q: 'has al' }))).toEqual(['Hassan Ali']);
    });

    it('should list only the unavailable craftsmen with available=false', async () => {
      const viewer = await newClient(t);
      const away = await craftsman('Karim', 'Saleh', { craftsmanInfo: { available: false } });
      await craftsman('Hany', 'Fouad');

      const body = await browse(viewer, { available: false });

      expect(idsIn(body)).toEqual([away.user.id]);
      expect(body.data[0].craftsmanInfo.available).toBe(false);
    });

    it('should list only verified craftsmen with verified=true', async () => {
      const viewer = await newClient(t);
      const admin = await loginAsAdmin(t);
      const verified = await craftsman('Karim', 'Saleh');
      const pending = await craftsman('Hany', 'Fouad');
      await craftsman('Omar', 'Adel');
      for (const session of [verified, pending]) {
        await submitVerification(t, session);
      }
      await t.http
        .post(`/api/admin/verifications/${verified.user.id}/approve`)
        .set('Authorization', admin.bearer)
        .expect(200);

      const body = await browse(viewer, { verified: true });

      expect(idsIn(body)).toEqual([verified.user.id]);
      expect(body.data[0].craftsmanInfo.verificationStatus).toBe('verified');
    });

    it('should list the craftsmen within radiusKm of lat,lng, nearest first, with their distance', async () => {
      const viewer = await newClient(t);
      const giza = await craftsman('Giza', 'Worker', { location: GIZA_PYRAMIDS });
      const tahrir = await craftsman('Tahrir', 'Worker', { location: TAHRIR_SQUARE });
      await craftsman('Airport', 'Worker', { location: CAIRO_AIRPORT });
      const maadi = await craftsman('Maadi', 'Worker', { location: MAADI });
      await craftsman('Alex', 'Worker', { location: ALEXANDRIA });
      await craftsman('Nowhere', 'Worker');
      const nearbyClient = await newClient(t);
      await updateMe(nearbyClient, { location: TAHRIR_SQUARE });

      const body = await browse(viewer, { ...CAIRO_TOWER, radiusKm: 15 });

      expect(idsIn(body)).toEqual([tahrir.user.id, maadi.user.id, giza.user.id]);
      // from each one's ~1 km grid cell, rounded up to 0.5 km (the exact ones: 1.1, 10.0, 11.4)
      const distances = body.data.map((user) => user.distanceKm);
      expect(distances).toEqual([1.5, 9.5, 12]);
      expect(body.pagination).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 3 });
      for (const item of body.data) {
        expect(item).not.toHaveProperty('location');
      }
    });

    it('should page the nearest-first list', async () => {
      const viewer = await newClient(t);
      await craftsman('Giza', 'Worker', { location: GIZA_PYRAMIDS });
      await craftsman('Tahrir', 'Worker', { location: TAHRIR_SQUARE });
      const maadi = await craftsman('Maadi', 'Worker', { location: MAADI });

      const body = await browse(viewer, { ...CAIRO_TOWER, radiusKm: 15, page: 2, limit: 1 });

      expect(idsIn(body)).toEqual([maadi.user.id]);
      expect(body.pagination).toEqual({ page: 2, limit: 1, totalPages: 3, totalItems: 3 });
    });

    it('should honour page and limit', async () => {
      const viewer = await newClient(t);
      const all = [
        await craftsman('Karim', 'Saleh'),
        await craftsman('Hany', 'Fouad'),
        await craftsman('Omar', 'Adel'),
      ];

      const first = await browse(viewer, { page: 1, limit: 2 });
      const second = await browse(viewer, { page: 2, limit: 2 });

      expect(first.data).toHaveLength(2);
      expect(first.pagination).toEqual({ page: 1, limit: 2, totalPages: 2, totalItems: 3 });
      expect(second.data).toHaveLength(1);
      expect(second.pagination).toEqual({ page: 2, limit: 2, totalPages: 2, totalItems: 3 });
      const seen = [...first.data, ...second.data].map((user) => user.id);
      expect(seen.sort()).toEqual(all.map((session) => session.user.id).sort());
    });

    it('should answer 400 VALIDATION_FAILED for a limit over 100', async () => {
      const viewer = await newClient(t);

      const response = await t.http
        .get('/api/users')
        .query({ limit: 101 })
        .set('Authorization', viewer.bearer)
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'limit', message: expect.stringContaining('100') }],
      });
    });
  });

  describe('POST /users/craftsman/verification', () => {
    /** An ID card and a trade licence, uploaded by `session`. */
    async function documentsOf(session: Session) {
      return [
        ...(await verificationDocs(t, session, 'national_id')),
        ...(await verificationDocs(t, session, 'trade_license')),
      ];
    }

    it('should put the craftsman’s documents up for review as pending', async () => {
      const session = await newCraftsman(t);
      const docs = await documentsOf(session);

      const response = await t.http
        .post('/api/users/craftsman/verification')
        .set('Authorization', session.bearer)
        .send({ docs })
        .expect(201);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: session.user.id,
          craftsmanInfo: expect.objectContaining({
            verificationStatus: 'pending',
            verificationDocs: docs.map((doc) => ({ ...doc, docUrl: null })),
            verificationSubmittedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          }),
        }),
      );
      expect(secretKeysIn(response.body)).toEqual([]);
      expect((await me(session)).craftsmanInfo.verificationStatus).toBe('pending');
    });

    it('should answer 403 FORBIDDEN to a client', async () => {
      const client = await newClient(t);
      const docs = [{ docType: 'national_id', fileId: '0123456789abcdef01234567' }];

      const response = await t.http
        .post('/api/users/craftsman/verification')
        .set('Authorization', client.bearer)
        .send({ docs })
        .expect(403);

      expect(response.body).toEqual({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: expect.any(String),
      });
    });

    it('should refuse an unknown docType with VALIDATION_FAILED and stay unverified', async () => {
      const session = await newCraftsman(t);

      const response = await t.http
        .post('/api/users/craftsman/verification')
        .set('Authorization', session.bearer)
        .send({ docs: await verificationDocs(t, session, 'selfie') })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'docs.0.docType', message: expect.any(String) }],
      });
      expect((await me(session)).craftsmanInfo.verificationStatus).toBe('unverified');
    });
  });
});
