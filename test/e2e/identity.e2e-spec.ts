import { IdentityMigration } from '../../src/modules/users/migrations/identity.migration.js';
import * as marketplace from '../support/marketplace.js';
import {
  login,
  loginAsAdmin,
  newClient,
  newCraftsman,
  uniqueEmail,
  type Session,
  verifyEmail,
} from '../support/session.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';

/** One Egyptian mobile number, the three ways people write it. */
const LOCAL = '010 0123 4567';
const INTERNATIONAL_PREFIX = '0020 10 0123 4567';
const PLUS = '+20 10 0123 4567';
const E164 = '+201001234567';

describe('Identity: phones in E.164, normalized emails and names', () => {
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

  function registerBody(overrides: Record<string, unknown>): Record<string, unknown> {
    return {
      email: uniqueEmail(),
      password: 'correct-horse-1',
      role: 'client',
      firstName: 'Mona',
      lastName: 'Khaled',
      ...overrides,
    };
  }

  function usersWith(filter: Record<string, unknown>): Promise<number> {
    return t.connection.collection('users').countDocuments(filter);
  }

  describe('phone numbers', () => {
    it.each([
      [LOCAL, INTERNATIONAL_PREFIX],
      [INTERNATIONAL_PREFIX, PLUS],
      [PLUS, LOCAL],
    ])(
      'should store %p in E.164 and refuse %p for a second account with 409 PHONE_TAKEN',
      async (first, second) => {
        const owner = await newClient(t, { phone: first });

        const response = await t.http
          .post('/api/auth/register')
          .send(registerBody({ role: 'craftsman', phone: second }))
          .expect(409);

        expect(owner.user.phone).toBe(E164);
        expect(response.body).toEqual({
          statusCode: 409,
          code: 'PHONE_TAKEN',
          message: expect.any(String),
        });
        expect(await usersWith({ role: 'craftsman' })).toBe(0);
      },
    );

    it('should sign in with the local form an account registered with +20', async () => {
      const session = await newClient(t, { phone: PLUS, password: 'secret-pass-1' });

      const byLocal = await login(t, LOCAL, 'secret-pass-1');
      const byPrefix = await login(t, INTERNATIONAL_PREFIX, 'secret-pass-1');

      expect(byLocal.user.id).toBe(session.user.id);
      expect(byPrefix.user.id).toBe(session.user.id);
    });

    it('should refuse the same number written differently in PUT /users/me', async () => {
      await newClient(t, { phone: LOCAL });
      const other = await newClient(t);

      const response = await t.http
        .put('/api/users/me')
        .set('Authorization', other.bearer)
        .send({ phone: PLUS })
        .expect(409);

      expect(response.body.code).toBe('PHONE_TAKEN');
    });

    it('should answer 400 VALIDATION_FAILED on phone for a number that is none', async () => {
      const response = await t.http
        .post('/api/auth/register')
        .send(registerBody({ phone: '0100 12' }))
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'phone', message: expect.stringContaining('valid phone number') }],
      });
      expect(await usersWith({ role: 'client' })).toBe(0);
    });

    it('should answer 400 VALIDATION_FAILED for a profile phone that is no number, and keep the own', async () => {
      const session = await newClient(t, { phone: LOCAL });

      const response = await t.http
        .put('/api/users/me')
        .set('Authorization', session.bearer)
        .send({ phone: '+20 999 999' })
        .expect(400);

      expect(response.body.details).toEqual([
        { field: 'phone', message: expect.stringContaining('valid phone number') },
      ]);
      const me = await t.http.get('/api/users/me').set('Authorization', session.bearer);
      expect(me.body.phone).toBe(E164);
    });

    it('should let an invitation by phone, written another way, reach the craftsman who owns the number', async () => {
      const owner = await newCraftsman(t, { phone: PLUS, firstName: 'Karim' });
      const impostor = await t.http
        .post('/api/auth/register')
        .send(registerBody({ role: 'craftsman', firstName: 'Karim', phone: LOCAL }))
        .expect(409);
      const client = await newClient(t);
      const job = await marketplace.postJob(t, client);

      const invited = await marketplace.invite(t, client, job.id, { phone: LOCAL }).expect(201);

      expect(impostor.body.code).toBe('PHONE_TAKEN');
      expect(invited.body.craftsman).toEqual(expect.objectContaining({ id: owner.user.id }));
    });

    it('should answer 400 VALIDATION_FAILED for an invitation to a phone that is no number', async () => {
      const client = await newClient(t);
      const job = await marketplace.postJob(t, client);

      const response = await marketplace
        .invite(t, client, job.id, { phone: '0100 12' })
        .expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details).toEqual([
        { field: 'phone', message: expect.stringContaining('valid phone number') },
      ]);
    });

    it('should find an account in the admin list by its phone written any way', async () => {
      const session = await newClient(t, { phone: PLUS });
      const admin = await loginAsAdmin(t);

      const response = await t.http
        .get('/api/admin/users')
        .query({ q: LOCAL })
        .set('Authorization', admin.bearer)
        .expect(200);

      expect(response.body.data.map((user: { id: string }) => user.id)).toEqual([session.user.id]);
    });
  });

  describe('the start-up migration of stored phones', () => {
    /** An account as an older version stored it: the phone as typed, digits only. */
    async function legacyPhone(session: Session, phone: string): Promise<void> {
      await t.connection
        .collection('users')
        .updateOne({ email: session.user.email }, { $set: { phone, phoneKey: phone } });
    }

    async function storedPhone(session: Session): Promise<unknown> {
      const user = await t.connection.collection('users').findOne({ email: session.user.email });
      return user?.phone;
    }

    it('should convert legacy phones to E.164, once, leaving unparsable and colliding ones and logging them by id', async () => {
      const local = await newClient(t, { password: 'secret-pass-1' });
      const prefixed = await newClient(t);
      const unparsable = await newClient(t);
      const holder = await newClient(t, { phone: '+201112223333' });
      const latecomer = await newClient(t);
      await legacyPhone(local, '01001234567');
      await legacyPhone(prefixed, '00201005556666');
      await legacyPhone(unparsable, '12345');
      await legacyPhone(latecomer, '01112223333');
      const migration = t.app.get(IdentityMigration);

      const first = await migration.run();
      const afterFirst = await t.connection.collection('users').find().toArray();
      const second = await migration.run();
      const afterSecond = await t.connection.collection('users').find().toArray();

      expect(first).toEqual(
        expect.objectContaining({ converted: 2, unparsable: 1, collisions: 1, skipped: 0 }),
      );
      expect(await storedPhone(local)).toBe('+201001234567');
      expect(await storedPhone(prefixed)).toBe('+201005556666');
      expect(await storedPhone(unparsable)).toBe('12345');
      expect(await storedPhone(holder)).toBe('+201112223333');
      expect(await storedPhone(latecomer)).toBe('01112223333');
      expect(second).toEqual(
        expect.objectContaining({ converted: 0, unparsable: 1, collisions: 1, skipped: 0 }),
      );
      expect(afterSecond).toEqual(afterFirst);
      expect((await login(t, LOCAL, 'secret-pass-1')).user.id).toBe(local.user.id);
      const warnings = (await t.readLog('combined.log'))
        .map((line) => String(line.msg))
        .filter((message) => message.startsWith('User '));
      expect(warnings).toEqual(
        expect.arrayContaining([
          expect.stringContaining(unparsable.user.id),
          expect.stringContaining(latecomer.user.id),
        ]),
      );
      expect(warnings.join('\n')).not.toMatch(/12345|1112223333/);
    });

    it('should convert each legacy phone once when two instances migrate at the same time', async () => {
      const sessions = await Promise.all(Array.from({ length: 6 }, () => newClient(t)));
      await Promise.all(
        sessions.map((session, index) => legacyPhone(session, `0100123456${index}`)),
      );
      const migration = t.app.get(IdentityMigration);

      const [a, b] = await Promise.all([migration.run(), migration.run()]);

      expect(a.converted + b.converted).toBe(6);
      expect(a.collisions + b.collisions + a.unparsable + b.unparsable).toBe(0);
      for (const [index, session] of sessions.entries()) {
        expect(await storedPhone(session)).toBe(`+20100123456${index}`);
      }
    });
  });

  describe('emails', () => {
    it('should take full-width ａdmin@… for the seeded admin@… and answer 409 EMAIL_TAKEN', async () => {
      const fullWidth = TEST_ADMIN.email.replace('a', '\uFF41');

      const response = await t.http
        .post('/api/auth/register')
        .send(registerBody({ email: fullWidth }))
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        code: 'EMAIL_TAKEN',
        message: expect.any(String),
      });
      expect(await usersWith({})).toBe(1);
    });

    it('should store an address with zero-width characters without them', async () => {
      const response = await t.http
        .post('/api/auth/register')
        .send(registerBody({ email: 'mo\u200Bna\u200D@exa\uFEFFmple.com' }))
        .expect(201);
      const again = await t.http
        .post('/api/auth/register')
        .send(registerBody({ email: 'mona@example.com' }))
        .expect(409);

      expect(response.body.user.email).toBe('mona@example.com');
      expect(again.body.code).toBe('EMAIL_TAKEN');
    });

    it('should sign in with the full-width spelling of an address', async () => {
      const session = await newClient(t, { email: 'mona@example.com', password: 'secret-pass-1' });

      const signedIn = await login(t, 'ｍｏｎａ@example.com', 'secret-pass-1');

      expect(signedIn.user.id).toBe(session.user.id);
    });

    it.each([
      ['local part', 'p\u0430ypal@example.com'],
      ['domain', 'billing@ex\u0430mple.com'],
    ])(
      'should answer 400 VALIDATION_FAILED for an address whose %s mixes Cyrillic and Latin',
      async (part, email) => {
        const response = await t.http
          .post('/api/auth/register')
          .send(registerBody({ email }))
          .expect(400);

        expect(response.body).toEqual({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: expect.any(String),
          details: [
            { field: 'email', message: expect.stringContaining(`alphabets in its ${part}`) },
          ],
        });
        expect(await usersWith({ role: 'client' })).toBe(0);
      },
    );

    it('should accept an address written in one other alphabet', async () => {
      const response = await t.http
        .post('/api/auth/register')
        .send(registerBody({ email: 'пётр@пример.рф' }))
        .expect(201);

      expect(response.body.user.email).toBe('пётр@пример.рф');
    });

    it('should refuse a mixed-script address in invitations and staff accounts as well', async () => {
      const client = await newClient(t);
      const admin = await loginAsAdmin(t);
      const job = await marketplace.postJob(t, client);
      const lookAlike = 'k\u0430rim@example.com';

      const single = await marketplace.invite(t, client, job.id, { email: lookAlike }).expect(400);
      const bulk = await t.http
        .post(`/api/jobs/${job.id}/invitations/bulk`)
        .set('Authorization', client.bearer)
        .send({ emails: ['fine@example.com', lookAlike] })
        .expect(400);
      const staff = await t.http
        .post('/api/admin/users/create-admin')
        .set('Authorization', admin.bearer)
        .send({
          email: lookAlike,
          password: 'staff-pass-1',
          firstName: 'A',
          lastName: 'B',
          role: 'moderator',
        })
        .expect(400);

      for (const response of [single, bulk, staff]) {
        expect(response.body.code).toBe('VALIDATION_FAILED');
      }
      expect(single.body.details).toEqual([{ field: 'email', message: expect.any(String) }]);
      expect(bulk.body.details).toEqual([{ field: 'emails', message: expect.any(String) }]);
      expect(await t.connection.collection('invitations').countDocuments()).toBe(0);
    });

    it('should invite the registered craftsman of a full-width spelling of his address', async () => {
      const craftsman = await newCraftsman(t, { email: 'karim@example.com' });
      await verifyEmail(t, craftsman);
      const client = await newClient(t);
      const job = await marketplace.postJob(t, client);

      const response = await marketplace
        .invite(t, client, job.id, { email: 'ｋａｒｉｍ@example.com' })
        .expect(201);

      expect(response.body.craftsman).toEqual(expect.objectContaining({ id: craftsman.user.id }));
    });
  });

  describe('names', () => {
    it('should store names without zero-width characters, at sign-up and in PUT /users/me', async () => {
      const session = await newClient(t, {
        firstName: 'Mo\u200Bna',
        lastName: '\u200DKha\u2060led',
      });

      const updated = await t.http
        .put('/api/users/me')
        .set('Authorization', session.bearer)
        .send({ firstName: 'La\u200Cila\uFEFF' })
        .expect(200);

      expect(session.user).toEqual(
        expect.objectContaining({ firstName: 'Mona', lastName: 'Khaled' }),
      );
      expect(updated.body.firstName).toBe('Laila');
    });

    it('should refuse a name made of invisible characters only', async () => {
      const response = await t.http
        .post('/api/auth/register')
        .send(registerBody({ firstName: '\u200B\u200B' }))
        .expect(400);

      expect(response.body.details).toEqual([{ field: 'firstName', message: expect.any(String) }]);
    });
  });
});
