import { FakeClock } from '../support/fake-clock.js';
import { inviteCraftsman, postJob } from '../support/marketplace.js';
import { loginAsAdmin, newClient, newCraftsman, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { submitVerification } from '../support/uploads.js';

// Many HTTP clients send `Content-Type: application/json` on every POST, with no body (API.md,
// Conventions): an action that takes no body must work the same with that header and zero
// bytes, or only whitespace, as without it.
describe('An empty body with Content-Type: application/json', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await loginAsAdmin(t);
  });

  afterAll(async () => {
    await t.close();
  });

  type Method = 'post' | 'patch' | 'delete';

  /** The action sent the way those clients send it: the JSON header, and `body` as the body. */
  function emptyJson(method: Method, path: string, session: Session, body: string) {
    return t.http[method](path)
      .set('Authorization', session.bearer)
      .set('Content-Type', 'application/json')
      .send(body);
  }

  const EMPTY_BODIES = [
    ['zero bytes', ''],
    ['only whitespace', ' \r\n\t '],
  ];

  describe.each(EMPTY_BODIES)('(%s)', (_label, body) => {
    it('should sign out: 200, and the token is rejected afterwards', async () => {
      const client = await newClient(t);

      const response = await emptyJson('post', '/api/auth/logout', client, body).expect(200);

      expect(response.body).toEqual({ message: 'Signed out' });
      const after = await t.http
        .get('/api/auth/session')
        .set('Authorization', client.bearer)
        .expect(401);
      expect(after.body.code).toBe('UNAUTHENTICATED');
    });

    it('should let a craftsman accept an invitation', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await postJob(t, client);
      const invitation = await inviteCraftsman(t, client, job.id, craftsman);

      const response = await emptyJson(
        'post',
        `/api/invitations/${invitation.id}/accept`,
        craftsman,
        body,
      ).expect(200);

      expect(response.body.invitation).toMatchObject({ id: invitation.id, status: 'accepted' });
    });

    it('should let a client cancel an invitation, and resend another a day later', async () => {
      const client = await newClient(t);
      const job = await postJob(t, client);
      const cancelling = await inviteCraftsman(t, client, job.id, await newCraftsman(t));
      const resending = await inviteCraftsman(t, client, job.id, await newCraftsman(t));
      clock.advance(25 * 3600 * 1000);

      const cancelled = await emptyJson(
        'post',
        `/api/invitations/${cancelling.id}/cancel`,
        client,
        body,
      ).expect(200);
      const resent = await emptyJson(
        'post',
        `/api/invitations/${resending.id}/resend`,
        client,
        body,
      ).expect(200);

      expect(cancelled.body).toMatchObject({ id: cancelling.id, status: 'cancelled' });
      expect(resent.body).toMatchObject({ id: resending.id, status: 'pending' });
    });

    it('should let a client hire a quote, and a craftsman join through an invite link', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await postJob(t, client);
      const link = await t.http
        .post(`/api/jobs/${job.id}/invite-links`)
        .set('Authorization', client.bearer)
        .send({ maxUses: 2 })
        .expect(201);
      await emptyJson(
        'post',
        `/api/invite-links/${link.body.token}/accept`,
        craftsman,
        body,
      ).expect(201);
      const quote = await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set('Authorization', craftsman.bearer)
        .send({ price: 40_000 })
        .expect(201);

      await emptyJson(
        'post',
        `/api/jobs/${job.id}/quotes/${quote.body.id}/accept`,
        client,
        body,
      ).expect(200);

      const hired = await t.http
        .get(`/api/jobs/${job.id}`)
        .set('Authorization', client.bearer)
        .expect(200);
      expect(hired.body.status).toBe('hired');
    });

    it('should let staff approve a verification and lift a ban', async () => {
      const craftsman = await newCraftsman(t);
      await submitVerification(t, craftsman);
      await t.http
        .patch(`/api/admin/users/${craftsman.user.id}/ban`)
        .set('Authorization', admin.bearer)
        .send({ reason: 'Checking the unban' })
        .expect(200);

      await emptyJson(
        'post',
        `/api/admin/verifications/${craftsman.user.id}/approve`,
        admin,
        body,
      ).expect(200);
      const unbanned = await emptyJson(
        'patch',
        `/api/admin/users/${craftsman.user.id}/unban`,
        admin,
        body,
      ).expect(200);

      expect(unbanned.body.bannedAt ?? null).toBeNull();
    });

    it('should let a client delete a job and a device', async () => {
      const client = await newClient(t);
      const job = await postJob(t, client);
      const device = 'empty-body-device-token-0123';
      await t.http
        .post('/api/notifications/devices')
        .set('Authorization', client.bearer)
        .send({ token: device, platform: 'android' })
        .expect(201);

      await emptyJson('delete', `/api/jobs/${job.id}`, client, body).expect(200);
      await emptyJson('delete', `/api/notifications/devices/${device}`, client, body).expect(200);
    });

    it('should validate a route that needs a body as if it were sent without one', async () => {
      const client = await newClient(t);

      const response = await emptyJson('post', '/api/auth/login', client, body).expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'Request validation failed',
        details: expect.arrayContaining([
          { field: 'loginIdentifier', message: expect.any(String) },
          { field: 'password', message: expect.any(String) },
        ]),
      });
    });
  });
});
