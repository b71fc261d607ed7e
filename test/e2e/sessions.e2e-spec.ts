import type { Socket } from 'socket.io-client';
import { inviteCraftsman, postJob } from '../support/marketplace.js';
import { login, newClient, newCraftsman, type Session } from '../support/session.js';
import { type ReceivedMail, TestMailbox } from '../support/smtp.js';
import { connectError, connectSocket, disconnection, nextEvent } from '../support/socket.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const isResetMail = (mail: ReceivedMail) => mail.subject === 'Reset your password';
const tokenOf = (mail: ReceivedMail) => /token=([\w-]+)/.exec(mail.text)![1];

/** Issue 11, items 4 and 5: whatever ends a token ends what was opened or issued with it. */
describe('Sessions: what ends a token ends its sockets and older reset links', () => {
  const mailbox = new TestMailbox();
  let t: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url } });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await t.close();
    await mailbox.stop();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  async function socketOf(session: Session): Promise<Socket> {
    const socket = await connectSocket(t, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  function changePassword(session: Session, newPassword: string) {
    return t.http
      .patch('/api/users/me/password')
      .set('Authorization', session.bearer)
      .send({ currentPassword: session.password, newPassword })
      .expect(200);
  }

  async function requestResetLink(email: string, previous?: ReceivedMail): Promise<ReceivedMail> {
    await t.http.post('/api/auth/forgot-password').send({ email }).expect(200);
    return mailbox.waitFor(email, (mail) => isResetMail(mail) && mail !== previous);
  }

  describe('sockets (WebSocket section of API.md)', () => {
    it('should close the sockets of every older token on a password change, and keep serving the new token', async () => {
      const craftsman = await newCraftsman(t, { password: 'old-password-1' });
      const otherDevice = await login(t, craftsman.user.email, 'old-password-1');
      const thisSocket = await socketOf(craftsman);
      const otherSocket = await socketOf(otherDevice);
      const thisClosed = disconnection(thisSocket);
      const otherClosed = disconnection(otherSocket);

      const changed = await changePassword(craftsman, 'new-password-1');

      expect(await thisClosed).toBe('io server disconnect');
      expect(await otherClosed).toBe('io server disconnect');
      const fresh = await socketOf({
        ...craftsman,
        accessToken: changed.body.accessToken,
        bearer: `Bearer ${changed.body.accessToken}`,
      });
      const client = await newClient(t);
      const job = await postJob(t, client);
      const live = nextEvent<{ id: string }>(fresh, 'invitation.created');
      const invitation = await inviteCraftsman(t, client, job.id, craftsman);
      expect((await live).id).toBe(invitation.id);
      expect(fresh.connected).toBe(true);
      expect((await connectError(t, craftsman.accessToken)).data?.code).toBe('UNAUTHENTICATED');
    });

    it('should close the sockets of a user who resets the password through the emailed link', async () => {
      const client = await newClient(t);
      const socket = await socketOf(client);
      const closed = disconnection(socket);
      const mail = await requestResetLink(client.user.email);

      await t.http
        .post('/api/auth/reset-password')
        .send({ token: tokenOf(mail), password: 'new-password-1' })
        .expect(200);

      expect(await closed).toBe('io server disconnect');
    });

    it('should leave the sockets of other users open', async () => {
      const client = await newClient(t);
      const bystander = await newClient(t);
      const bystanderSocket = await socketOf(bystander);
      const clientClosed = disconnection(await socketOf(client));

      await changePassword(client, 'new-password-1');

      await clientClosed;
      expect(bystanderSocket.connected).toBe(true);
    });
  });

  describe('reset links (POST /auth/reset-password)', () => {
    it('should refuse a link requested before the password was changed in the app, and keep the new password', async () => {
      const client = await newClient(t, { password: 'first-password-1' });
      const mail = await requestResetLink(client.user.email);
      await changePassword(client, 'second-password-1');

      const refused = await t.http
        .post('/api/auth/reset-password')
        .send({ token: tokenOf(mail), password: 'attacker-password-1' })
        .expect(400);

      expect(refused.body).toEqual({
        statusCode: 400,
        code: 'INVALID_TOKEN',
        message: expect.any(String),
      });
      await login(t, client.user.email, 'second-password-1');
      await t.http
        .post('/api/auth/login')
        .send({
          loginIdentifier: client.user.email,
          password: 'attacker-password-1',
          type: 'clients',
        })
        .expect(401);
    });

    it('should accept a link requested after the password was changed', async () => {
      const client = await newClient(t, { password: 'first-password-1' });
      await changePassword(client, 'second-password-1');
      const mail = await requestResetLink(client.user.email);

      await t.http
        .post('/api/auth/reset-password')
        .send({ token: tokenOf(mail), password: 'third-password-1' })
        .expect(200);

      await login(t, client.user.email, 'third-password-1');
    });

    it('should refuse a link requested before the account was banned, even once unbanned', async () => {
      const client = await newClient(t, { password: 'first-password-1' });
      const mail = await requestResetLink(client.user.email);
      const admin = await login(t, 'admin@craftsmen.test', 'admin-password-1', 'admins');
      await t.http
        .patch(`/api/admin/users/${client.user.id}/ban`)
        .set('Authorization', admin.bearer)
        .send({ reason: 'Fraud' })
        .expect(200);
      await t.http
        .patch(`/api/admin/users/${client.user.id}/unban`)
        .set('Authorization', admin.bearer)
        .expect(200);

      const refused = await t.http
        .post('/api/auth/reset-password')
        .send({ token: tokenOf(mail), password: 'attacker-password-1' })
        .expect(400);

      expect(refused.body.code).toBe('INVALID_TOKEN');
      await login(t, client.user.email, 'first-password-1');
    });
  });
});

describe('Sessions: a socket ends when its token expires', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { JWT_EXPIRES_IN_SECONDS: '2' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('should disconnect the socket when its token expires, and refuse the token afterwards', async () => {
    const client = await newClient(t);
    const socket = await connectSocket(t, client.accessToken);

    try {
      expect(await disconnection(socket, 10_000)).toBe('io server disconnect');
    } finally {
      socket.close();
    }
    const refused = await t.http.get('/api/users/me').set('Authorization', client.bearer);
    expect(refused.status).toBe(401);
  });
});
