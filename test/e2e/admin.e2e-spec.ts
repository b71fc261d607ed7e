import { connectError, connectSocket, disconnection } from '../support/socket.js';
import {
  login,
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  secretKeysIn,
  type Session,
} from '../support/session.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';
import type { Paginated } from '../../src/common/pagination/paginated.js';
import { verificationDocs } from '../support/uploads.js';

/** What GET /admin/users and /admin/verifications answer, as far as these tests read it. */
type UserPage = Paginated<{ id: string; email: string; [key: string]: unknown }>;

describe('Admin (/api/admin)', () => {
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

  const staff: Array<[string, (t: TestApp) => Promise<Session>]> = [
    ['an admin', loginAsAdmin],
    ['a moderator', newModerator],
  ];

  async function listUsers(
    viewer: Session,
    query: Record<string, string | number | boolean>,
  ): Promise<UserPage> {
    const response = await t.http
      .get('/api/admin/users')
      .query(query)
      .set('Authorization', viewer.bearer)
      .expect(200);
    return response.body as UserPage;
  }

  const idsIn = (body: UserPage) => body.data.map((user) => user.id);

  function ban(actor: Session, userId: string, reason = 'Abusive messages') {
    return t.http
      .patch(`/api/admin/users/${userId}/ban`)
      .set('Authorization', actor.bearer)
      .send({ reason });
  }

  function unban(actor: Session, userId: string) {
    return t.http.patch(`/api/admin/users/${userId}/unban`).set('Authorization', actor.bearer);
  }

  /** Uploads a document of `craftsman`'s and submits it; the response, of status `expected`. */
  async function submitVerification(craftsman: Session, expected = 201) {
    const docs = await verificationDocs(t, craftsman);
    return t.http
      .post('/api/users/craftsman/verification')
      .set('Authorization', craftsman.bearer)
      .send({ docs })
      .expect(expected);
  }

  /** Staff's decision on a craftsman's verification; answers the raw response. */
  function decideVerification(staff: Session, userId: string, decision: 'approve' | 'reject') {
    return t.http
      .post(`/api/admin/verifications/${userId}/${decision}`)
      .set('Authorization', staff.bearer);
  }

  async function myVerification(craftsman: Session) {
    const response = await t.http
      .get('/api/users/me')
      .set('Authorization', craftsman.bearer)
      .expect(200);
    return response.body.craftsmanInfo as Record<string, unknown>;
  }

  describe('GET /admin/users', () => {
    it.each(staff)('should list every account to %s, without secrets', async (_label, as) => {
      const viewer = await as(t);
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);

      const body = await listUsers(viewer, {});

      expect(idsIn(body)).toEqual(expect.arrayContaining([client.user.id, craftsman.user.id]));
      expect(body.data.find((user) => user.id === client.user.id)).toEqual(
        expect.objectContaining({
          email: client.user.email,
          role: 'client',
          banned: false,
          bannedAt: null,
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        }),
      );
      expect(body.data.map((user) => user.email)).toContain(TEST_ADMIN.email);
      expect(secretKeysIn(body)).toEqual([]);
    });

    it('should show an admin a craftsman’s phone and verification documents, and a moderator neither (issue 11, item 18)', async () => {
      const admin = await loginAsAdmin(t);
      const moderator = await newModerator(t);
      const craftsman = await newCraftsman(t, { phone: '+201001234567' });
      await submitVerification(craftsman);
      const craftsmanAs = async (viewer: Session) =>
        (await listUsers(viewer, { role: 'craftsman' })).data.find(
          (user) => user.id === craftsman.user.id,
        )!;

      const byAdmin = await craftsmanAs(admin);
      const byModerator = await craftsmanAs(moderator);

      expect(byAdmin.phone).toEqual(expect.any(String));
      expect(byAdmin.craftsmanInfo).toEqual(
        expect.objectContaining({
          verificationStatus: 'pending',
          verificationDocs: [{ docType: 'national_id', docUrl: null, fileId: expect.any(String) }],
          verificationSubmittedAt: expect.any(String),
        }),
      );
      expect(byModerator).toEqual(
        expect.objectContaining({ id: craftsman.user.id, email: craftsman.user.email }),
      );
      expect(byModerator).not.toHaveProperty('phone');
      expect(byModerator.craftsmanInfo).toEqual({
        skills: [],
        bio: '',
        serviceRadiusKm: 10,
        available: true,
        portfolioImageUrls: [],
        verificationStatus: 'pending',
      });
      expect(JSON.stringify(byModerator)).not.toContain('verificationDocs');
    });

    it('should answer a moderator’s ban with what moderators see: no phone, no documents', async () => {
      const moderator = await newModerator(t);
      const craftsman = await newCraftsman(t, { phone: '+201001234568' });
      await submitVerification(craftsman);

      const banned = await ban(moderator, craftsman.user.id).expect(200);
      const unbanned = await unban(moderator, craftsman.user.id).expect(200);

      for (const body of [banned.body, unbanned.body]) {
        expect(body).toEqual(expect.objectContaining({ id: craftsman.user.id }));
        expect(body).not.toHaveProperty('phone');
        expect(body.craftsmanInfo).not.toHaveProperty('verificationDocs');
        expect(body.craftsmanInfo).not.toHaveProperty('verificationSubmittedAt');
      }
    });

    it('should answer 403 FORBIDDEN to a client and a craftsman', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);

      for (const session of [client, craftsman]) {
        const response = await t.http
          .get('/api/admin/users')
          .set('Authorization', session.bearer)
          .expect(403);
        expect(response.body).toEqual({
          statusCode: 403,
          code: 'FORBIDDEN',
          message: expect.any(String),
        });
      }
    });

    it('should answer 401 UNAUTHENTICATED without a token', async () => {
      const response = await t.http.get('/api/admin/users').expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('should filter by role', async () => {
      const admin = await loginAsAdmin(t);
      await newClient(t);
      const first = await newCraftsman(t);
      const second = await newCraftsman(t);

      const body = await listUsers(admin, { role: 'craftsman' });

      expect(idsIn(body).sort()).toEqual([first.user.id, second.user.id].sort());
      expect(body.pagination.totalItems).toBe(2);
    });

    it('should match q against the start of the email, first or last name, case-insensitively', async () => {
      const admin = await loginAsAdmin(t);
      const byLastName = await newClient(t, {
        email: 'laila@example.com',
        firstName: 'Laila',
        lastName: 'Nabil',
      });
      const byFirstName = await newCraftsman(t, {
        email: 'craft@example.com',
        firstName: 'Nabila',
        lastName: 'Fouad',
      });
      const byEmail = await newClient(t, {
        email: 'nabil.o@example.com',
        firstName: 'Omar',
        lastName: 'Adel',
      });
      await newClient(t, { email: 'x.nabil@example.com', firstName: 'Hany', lastName: 'Saleh' });

      const body = await listUsers(admin, { q: 'NABIL' });

      expect(idsIn(body).sort()).toEqual(
        [byLastName.user.id, byFirstName.user.id, byEmail.user.id].sort(),
      );
    });

    it('should filter by banned=true and banned=false', async () => {
      const admin = await loginAsAdmin(t);
      const banned = await newClient(t);
      const fine = await newCraftsman(t);
      await ban(admin, banned.user.id).expect(200);

      const onlyBanned = await listUsers(admin, { banned: true });
      const notBanned = await listUsers(admin, { banned: false });

      expect(idsIn(onlyBanned)).toEqual([banned.user.id]);
      expect(onlyBanned.data[0]).toEqual(
        expect.objectContaining({ banned: true, banReason: 'Abusive messages' }),
      );
      expect(idsIn(notBanned)).toContain(fine.user.id);
      expect(idsIn(notBanned)).not.toContain(banned.user.id);
    });

    it('should list the newest accounts first, paginated', async () => {
      const admin = await loginAsAdmin(t);
      const first = await newClient(t);
      const second = await newCraftsman(t);
      const third = await newClient(t);

      const page1 = await listUsers(admin, { page: 1, limit: 2 });
      const page2 = await listUsers(admin, { page: 2, limit: 2 });

      expect(idsIn(page1)).toEqual([third.user.id, second.user.id]);
      expect(page1.pagination).toEqual({ page: 1, limit: 2, totalPages: 2, totalItems: 4 });
      expect(idsIn(page2)).toEqual([first.user.id, admin.user.id]);
      expect(page2.pagination).toEqual({ page: 2, limit: 2, totalPages: 2, totalItems: 4 });
    });
  });

  describe('POST /admin/users/create-admin', () => {
    it.each([
      ['a moderator', 'moderator'],
      ['an admin', 'admin'],
    ])('should let an admin create %s who signs in with type admins', async (_label, role) => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .post('/api/admin/users/create-admin')
        .set('Authorization', admin.bearer)
        .send({
          email: 'New.Staff@Example.com',
          password: 'staff-password-1',
          firstName: 'Nour',
          lastName: 'Said',
          role,
        })
        .expect(201);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^[0-9a-f]{24}$/),
          email: 'new.staff@example.com',
          role,
          firstName: 'Nour',
          lastName: 'Said',
          banned: false,
        }),
      );
      expect(secretKeysIn(response.body)).toEqual([]);
      const session = await login(t, 'new.staff@example.com', 'staff-password-1', 'admins');
      expect(session.user).toEqual(expect.objectContaining({ id: response.body.id, role }));
    });

    it('should answer 403 FORBIDDEN to a moderator and create nobody', async () => {
      const moderator = await newModerator(t);

      const response = await t.http
        .post('/api/admin/users/create-admin')
        .set('Authorization', moderator.bearer)
        .send({
          email: 'sneaky@example.com',
          password: 'staff-password-1',
          firstName: 'Sneaky',
          lastName: 'Mod',
          role: 'admin',
        })
        .expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      expect(await t.connection.collection('users').countDocuments({ role: 'admin' })).toBe(1);
    });

    it('should answer 409 EMAIL_TAKEN for an email in use, whatever its case', async () => {
      const admin = await loginAsAdmin(t);
      await newClient(t, { email: 'taken@example.com' });

      const response = await t.http
        .post('/api/admin/users/create-admin')
        .set('Authorization', admin.bearer)
        .send({
          email: 'TAKEN@example.com',
          password: 'staff-password-1',
          firstName: 'Nour',
          lastName: 'Said',
          role: 'moderator',
        })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'EMAIL_TAKEN',
        message: expect.any(String),
      });
    });

    it('should refuse a role other than admin or moderator', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .post('/api/admin/users/create-admin')
        .set('Authorization', admin.bearer)
        .send({
          email: 'staff@example.com',
          password: 'staff-password-1',
          firstName: 'Nour',
          lastName: 'Said',
          role: 'client',
        })
        .expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details).toEqual([{ field: 'role', message: expect.any(String) }]);
    });

    it('should hold staff accounts to the rules of registering and create nobody on a bad one', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .post('/api/admin/users/create-admin')
        .set('Authorization', admin.bearer)
        .send({
          email: 'not-an-email',
          password: 'short',
          firstName: '   ',
          lastName: 'Said',
          role: 'moderator',
        })
        .expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(
        ['email', 'firstName', 'password'],
      );
      expect(await t.connection.collection('users').countDocuments({ role: 'moderator' })).toBe(0);
    });

    it('should trim the email and names of a staff account', async () => {
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .post('/api/admin/users/create-admin')
        .set('Authorization', admin.bearer)
        .send({
          email: '  trimmed.staff@example.com ',
          password: 'staff-password-1',
          firstName: ' Nour ',
          lastName: ' Said ',
          role: 'moderator',
        })
        .expect(201);

      expect(response.body).toEqual(
        expect.objectContaining({
          email: 'trimmed.staff@example.com',
          firstName: 'Nour',
          lastName: 'Said',
        }),
      );
    });
  });

  describe('PATCH /admin/users/:userId/ban and /unban', () => {
    it.each(staff)('should let %s ban a user, with the reason', async (_label, as) => {
      const actor = await as(t);
      const client = await newClient(t);

      const response = await ban(actor, client.user.id, 'Abusive messages').expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: client.user.id,
          banned: true,
          banReason: 'Abusive messages',
          bannedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        }),
      );
      expect(secretKeysIn(response.body)).toEqual([]);
    });

    it('should refuse the banned user’s existing token over HTTP and the socket handshake', async () => {
      const admin = await loginAsAdmin(t);
      const craftsman = await newCraftsman(t);

      await ban(admin, craftsman.user.id).expect(200);

      const refused = await t.http
        .get('/api/users/me')
        .set('Authorization', craftsman.bearer)
        .expect(401);
      expect(refused.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
      });
      expect((await connectError(t, craftsman.accessToken)).data?.code).toBe('UNAUTHENTICATED');
    });

    it('should disconnect the banned user’s open sockets', async () => {
      const admin = await loginAsAdmin(t);
      const client = await newClient(t);
      const socket = await connectSocket(t, client.accessToken);
      const closed = disconnection(socket);

      await ban(admin, client.user.id).expect(200);

      expect(await closed).toBe('io server disconnect');
    });

    it('should answer 403 ACCOUNT_BANNED when the banned user signs in', async () => {
      const admin = await loginAsAdmin(t);
      const client = await newClient(t);
      await ban(admin, client.user.id, 'Spam').expect(200);

      const response = await t.http
        .post('/api/auth/login')
        .send({ loginIdentifier: client.user.email, password: client.password, type: 'clients' })
        .expect(403);

      expect(response.body.code).toBe('ACCOUNT_BANNED');
      expect(response.body.details.reason).toBe('Spam');
    });

    it('should answer 409 ALREADY_BANNED when banning twice, keeping the first reason', async () => {
      const admin = await loginAsAdmin(t);
      const client = await newClient(t);
      await ban(admin, client.user.id, 'First reason').expect(200);

      const response = await ban(admin, client.user.id, 'Second reason').expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'ALREADY_BANNED',
        message: expect.any(String),
      });
      const [listed] = (await listUsers(admin, { banned: true })).data;
      expect(listed).toEqual(
        expect.objectContaining({ id: client.user.id, banReason: 'First reason' }),
      );
    });

    it('should lift a ban: the old token stays refused, a fresh sign-in works', async () => {
      const admin = await loginAsAdmin(t);
      const client = await newClient(t);
      await ban(admin, client.user.id).expect(200);

      const response = await unban(admin, client.user.id).expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({ id: client.user.id, banned: false, bannedAt: null }),
      );
      expect(response.body).not.toHaveProperty('banReason');
      const old = await t.http.get('/api/users/me').set('Authorization', client.bearer).expect(401);
      expect(old.body.code).toBe('UNAUTHENTICATED');
      const fresh = await login(t, client.user.email, client.password);
      await t.http.get('/api/users/me').set('Authorization', fresh.bearer).expect(200);
    });

    it('should answer 409 NOT_BANNED when unbanning a user who is not banned', async () => {
      const moderator = await newModerator(t);
      const client = await newClient(t);

      const response = await unban(moderator, client.user.id).expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'NOT_BANNED',
        message: expect.any(String),
      });
    });

    it.each(staff)('should answer 403 FORBIDDEN to %s banning himself', async (_label, as) => {
      const actor = await as(t);

      const response = await ban(actor, actor.user.id).expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      await t.http.get('/api/users/me').set('Authorization', actor.bearer).expect(200);
    });

    it.each(staff)('should answer 403 FORBIDDEN to %s banning an admin', async (_label, as) => {
      const actor = await as(t);
      const root = await loginAsAdmin(t);
      const otherAdminEmail = 'second.admin@example.com';
      await t.http
        .post('/api/admin/users/create-admin')
        .set('Authorization', root.bearer)
        .send({
          email: otherAdminEmail,
          password: 'admin-password-2',
          firstName: 'Second',
          lastName: 'Admin',
          role: 'admin',
        })
        .expect(201);
      const otherAdmin = await login(t, otherAdminEmail, 'admin-password-2', 'admins');

      const response = await ban(actor, otherAdmin.user.id).expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      await t.http.get('/api/users/me').set('Authorization', otherAdmin.bearer).expect(200);
    });

    it('should let an admin ban a moderator, and forbid a moderator to', async () => {
      const admin = await loginAsAdmin(t);
      const moderator = await newModerator(t);
      const target = await newModerator(t);

      const byModerator = await ban(moderator, target.user.id).expect(403);
      await t.http.get('/api/users/me').set('Authorization', target.bearer).expect(200);
      const byAdmin = await ban(admin, target.user.id).expect(200);

      expect(byModerator.body.code).toBe('FORBIDDEN');
      expect(byAdmin.body).toEqual(expect.objectContaining({ id: target.user.id, banned: true }));
      await t.http.get('/api/users/me').set('Authorization', target.bearer).expect(401);
    });

    it('should answer 403 FORBIDDEN to a client trying to ban', async () => {
      const client = await newClient(t);
      const other = await newClient(t);

      const response = await ban(client, other.user.id).expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('should answer 404 NOT_FOUND for an id of nobody, and for a malformed id', async () => {
      const admin = await loginAsAdmin(t);

      const unknown = await ban(admin, '65a1b2c3d4e5f60718293a4b').expect(404);
      const malformed = await ban(admin, 'not-an-id').expect(404);

      expect(unknown.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
      expect(malformed.body.message).toBe('Resource not found (invalid ID)');
    });

    it('should answer 400 VALIDATION_FAILED without a reason, and not ban', async () => {
      const admin = await loginAsAdmin(t);
      const client = await newClient(t);

      const response = await t.http
        .patch(`/api/admin/users/${client.user.id}/ban`)
        .set('Authorization', admin.bearer)
        .send({})
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'reason', message: expect.any(String) }],
      });
      await t.http.get('/api/users/me').set('Authorization', client.bearer).expect(200);
    });
  });

  describe('verifications', () => {
    it('should list the pending craftsmen, oldest submission first', async () => {
      const admin = await loginAsAdmin(t);
      const early = await newCraftsman(t, { firstName: 'Early' });
      const late = await newCraftsman(t, { firstName: 'Late' });
      await newCraftsman(t, { firstName: 'Never' });
      await submitVerification(late);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await submitVerification(early);

      const response = await t.http
        .get('/api/admin/verifications')
        .set('Authorization', admin.bearer)
        .expect(200);

      expect(idsIn(response.body)).toEqual([late.user.id, early.user.id]);
      expect(response.body.data[0].craftsmanInfo).toEqual(
        expect.objectContaining({
          verificationStatus: 'pending',
          verificationDocs: [{ docType: 'national_id', docUrl: null, fileId: expect.any(String) }],
        }),
      );
      expect(response.body.pagination).toEqual({
        page: 1,
        limit: 10,
        totalPages: 1,
        totalItems: 2,
      });
      expect(secretKeysIn(response.body)).toEqual([]);
    });

    it('should answer 403 FORBIDDEN to a craftsman listing verifications', async () => {
      const craftsman = await newCraftsman(t);

      const response = await t.http
        .get('/api/admin/verifications')
        .set('Authorization', craftsman.bearer)
        .expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('should let an admin approve: the craftsman is verified', async () => {
      const actor = await loginAsAdmin(t);
      const craftsman = await newCraftsman(t);
      await submitVerification(craftsman);

      const response = await decideVerification(actor, craftsman.user.id, 'approve').expect(200);

      expect(response.body).toEqual(
        expect.objectContaining({
          id: craftsman.user.id,
          craftsmanInfo: expect.objectContaining({ verificationStatus: 'verified' }),
        }),
      );
      expect((await myVerification(craftsman)).verificationStatus).toBe('verified');
      const pending = await t.http
        .get('/api/admin/verifications')
        .set('Authorization', actor.bearer)
        .expect(200);
      expect(idsIn(pending.body)).toEqual([]);
    });

    it('should answer 403 to a moderator: verifications are for admins (API.md)', async () => {
      const moderator = await newModerator(t);
      const craftsman = await newCraftsman(t);
      await submitVerification(craftsman);

      await t.http
        .get('/api/admin/verifications')
        .set('Authorization', moderator.bearer)
        .expect(403);
      await decideVerification(moderator, craftsman.user.id, 'approve').expect(403);
      await decideVerification(moderator, craftsman.user.id, 'reject')
        .send({ reason: 'Blurry scan' })
        .expect(403);
      expect((await myVerification(craftsman)).verificationStatus).toBe('pending');
    });

    it('should answer 409 VERIFICATION_NOT_PENDING when approving again', async () => {
      const admin = await loginAsAdmin(t);
      const craftsman = await newCraftsman(t);
      await submitVerification(craftsman);
      await decideVerification(admin, craftsman.user.id, 'approve').expect(200);

      const response = await decideVerification(admin, craftsman.user.id, 'approve').expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'VERIFICATION_NOT_PENDING',
        message: expect.any(String),
      });
    });

    it('should reject with a reason, and let the craftsman submit again', async () => {
      const admin = await loginAsAdmin(t);
      const craftsman = await newCraftsman(t);
      await submitVerification(craftsman);

      const rejected = await decideVerification(admin, craftsman.user.id, 'reject')
        .send({ reason: 'The ID photo is blurred' })
        .expect(200);

      expect(rejected.body.craftsmanInfo).toEqual(
        expect.objectContaining({
          verificationStatus: 'rejected',
          verificationRejectionReason: 'The ID photo is blurred',
        }),
      );
      expect(await myVerification(craftsman)).toEqual(
        expect.objectContaining({
          verificationStatus: 'rejected',
          verificationRejectionReason: 'The ID photo is blurred',
        }),
      );
      const again = await submitVerification(craftsman);
      expect(again.body.craftsmanInfo.verificationStatus).toBe('pending');
      expect(again.body.craftsmanInfo).not.toHaveProperty('verificationRejectionReason');
    });

    it('should answer 400 VALIDATION_FAILED for a rejection without a reason', async () => {
      const admin = await loginAsAdmin(t);
      const craftsman = await newCraftsman(t);
      await submitVerification(craftsman);

      const response = await decideVerification(admin, craftsman.user.id, 'reject')
        .send({})
        .expect(400);

      expect(response.body.details).toEqual([{ field: 'reason', message: expect.any(String) }]);
      expect((await myVerification(craftsman)).verificationStatus).toBe('pending');
    });

    it('should answer 404 NOT_FOUND when approving a client', async () => {
      const admin = await loginAsAdmin(t);
      const client = await newClient(t);

      const response = await decideVerification(admin, client.user.id, 'approve').expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.any(String),
      });
    });

    it('should answer 409 ALREADY_VERIFIED when a verified craftsman submits again', async () => {
      const admin = await loginAsAdmin(t);
      const craftsman = await newCraftsman(t);
      await submitVerification(craftsman);
      await decideVerification(admin, craftsman.user.id, 'approve').expect(200);

      const response = await submitVerification(craftsman, 409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'ALREADY_VERIFIED',
        message: expect.any(String),
      });
      expect((await myVerification(craftsman)).verificationStatus).toBe('verified');
    });
  });
});
