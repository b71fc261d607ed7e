import { Types } from 'mongoose';
import type { Socket } from 'socket.io-client';
import { DeliveryDispatcher } from '../../src/modules/notifications/delivery.dispatcher.js';
import { PreferencesRepository } from '../../src/modules/notifications/preferences.repository.js';
import { FakeMessaging } from '../support/fake-messaging.js';
import { hire, invite, inviteCraftsman, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import { TestMailbox } from '../support/smtp.js';
import { collect, connectSocket, nextEvent } from '../support/socket.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Party {
  session: Session;
  socket: Socket;
  device: string;
  notifications: Array<{ type: string; data: Record<string, string> }>;
}

describe('Notifications', () => {
  let t: TestApp;
  const mailbox = new TestMailbox();
  const fcm = new FakeMessaging();
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      firebaseMessaging: fcm,
      env: {
        SMTP_URL: mailbox.url,
        DELIVERY_POLL_MS: '100',
        DELIVERY_POLL_MAX_INTERVAL: 'PT0.1S',
        DELIVERY_BACKOFF_BASE_MS: '100',
      },
    });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await t.close();
    await mailbox.stop();
  });

  beforeEach(async () => {
    await t.clearDatabase();
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  /** A signed-in user with a registered device and a live socket that records notifications. */
  async function party(session: Session): Promise<Party> {
    const device = `fcm-token-${session.user.id}`;
    await t.http
      .post('/api/notifications/devices')
      .set(as(session))
      .send({ token: device, platform: 'android' })
      .expect(201);
    const socket = await connectSocket(t, session.accessToken);
    sockets.push(socket);
    return { session, socket, device, notifications: collect(socket, 'notification') };
  }

  /** Until every delivery due now is sent. */
  async function settle(): Promise<void> {
    const dispatcher = t.app.get(DeliveryDispatcher);
    dispatcher.kick();
    await dispatcher.idle();
  }

  async function storedTypes(session: Session): Promise<string[]> {
    const response = await t.http.get('/api/notifications?limit=100').set(as(session)).expect(200);
    return response.body.data.map((n: { type: string }) => n.type);
  }

  function emailsTo(session: Session, subject: RegExp) {
    return mailbox.to(session.user.email).filter((mail) => subject.test(mail.subject));
  }

  describe('who hears of what (API.md)', () => {
    let client: Party;
    let craftsman: Party;
    let job: { id: string };

    beforeEach(async () => {
      client = await party(await newClient(t));
      craftsman = await party(await newCraftsman(t));
      job = await postJob(t, client.session);
    });

    it('invitation created → the craftsman: stored, live, pushed and emailed with the answer link', async () => {
      const live = nextEvent(craftsman.socket, 'invitation.created');

      const invitation = await inviteCraftsman(t, client.session, job.id, craftsman.session);
      await settle();

      expect((await live).id).toBe(invitation.id);
      expect(await storedTypes(craftsman.session)).toContain('invitation.created');
      expect(await storedTypes(client.session)).not.toContain('invitation.created');
      expect(craftsman.notifications.map((n) => n.type)).toContain('invitation.created');
      expect(fcm.to(craftsman.device).map((m) => m.data.type)).toContain('invitation.created');
      const [mail] = emailsTo(craftsman.session, /New job invitation/);
      expect(mail.text).toMatch(/\/invitations\/respond\?token=[\w-]{43}/);
      expect(mail.html).toContain('Answer the invitation');
    });

    it('invitation created for an address nobody registered → one email there, nothing stored', async () => {
      await invite(t, client.session, job.id, { email: 'stranger@example.com' }).expect(201);
      await settle();

      expect(mailbox.to('stranger@example.com')).toHaveLength(1);
      expect(mailbox.to('stranger@example.com')[0].text).toContain('/invitations/respond?token=');
    });

    it('invitation accepted or rejected → the client', async () => {
      const other = await party(await newCraftsman(t));
      const first = await inviteCraftsman(t, client.session, job.id, craftsman.session);
      const second = await inviteCraftsman(t, client.session, job.id, other.session);
      const accepted = nextEvent<{ invitation: { id: string }; conversationId: string }>(
        client.socket,
        'invitation.accepted',
      );
      const rejected = nextEvent<{ id: string }>(client.socket, 'invitation.rejected');

      await t.http
        .post(`/api/invitations/${first.id}/accept`)
        .set(as(craftsman.session))
        .expect(200);
      await t.http
        .post(`/api/invitations/${second.id}/reject`)
        .set(as(other.session))
        .send({ reasonCode: 'busy' })
        .expect(200);
      await settle();

      expect((await accepted).invitation.id).toBe(first.id);
      expect((await accepted).conversationId).toEqual(expect.any(String));
      expect((await rejected).id).toBe(second.id);
      expect(await storedTypes(client.session)).toEqual(
        expect.arrayContaining(['invitation.accepted', 'invitation.rejected']),
      );
      expect(await storedTypes(craftsman.session)).not.toContain('invitation.accepted');
    });

    it('invitation cancelled → the craftsman', async () => {
      const invitation = await inviteCraftsman(t, client.session, job.id, craftsman.session);
      const live = nextEvent<{ id: string; status: string }>(
        craftsman.socket,
        'invitation.cancelled',
      );

      await t.http
        .post(`/api/invitations/${invitation.id}/cancel`)
        .set(as(client.session))
        .expect(200);
      await settle();

      expect(await live).toEqual(
        expect.objectContaining({ id: invitation.id, status: 'cancelled' }),
      );
      expect(await storedTypes(craftsman.session)).toContain('invitation.cancelled');
      expect(await storedTypes(client.session)).not.toContain('invitation.cancelled');
    });

    it('quote submitted → the client; quote accepted → the craftsman; job status → both', async () => {
      const submitted = nextEvent<{ price: number }>(client.socket, 'quote.submitted');
      const quote = await t.http
        .post(`/api/jobs/${job.id}/quotes`)
        .set(as(craftsman.session))
        .send({ price: 45_000 })
        .expect(201);
      expect((await submitted).price).toBe(45_000);
      const acceptedQuote = nextEvent<{ id: string }>(craftsman.socket, 'quote.accepted');
      const clientSees = nextEvent<{ status: string }>(
        client.socket,
        'job.status_changed',
        (j) => j.status === 'hired',
      );
      const craftsmanSees = nextEvent<{ status: string }>(
        craftsman.socket,
        'job.status_changed',
        (j) => j.status === 'hired',
      );

      await t.http
        .post(`/api/jobs/${job.id}/quotes/${quote.body.id}/accept`)
        .set(as(client.session))
        .expect(200);
      await settle();

      expect((await acceptedQuote).id).toBe(quote.body.id);
      await clientSees;
      await craftsmanSees;
      expect(await storedTypes(client.session)).toEqual(
        expect.arrayContaining(['quote.submitted', 'job.status_changed']),
      );
      expect(await storedTypes(craftsman.session)).toEqual(
        expect.arrayContaining(['quote.accepted', 'job.status_changed']),
      );
      expect(await storedTypes(client.session)).not.toContain('quote.accepted');
      expect(emailsTo(craftsman.session, /You are hired/)).toHaveLength(1);
    });

    it('a chat message → the other participant, live and stored', async () => {
      const invitation = await inviteCraftsman(t, client.session, job.id, craftsman.session);
      const { body } = await t.http
        .post(`/api/invitations/${invitation.id}/accept`)
        .set(as(craftsman.session))
        .expect(200);
      const live = nextEvent<{ text: string; conversation: string }>(
        client.socket,
        'message.created',
      );

      await t.http
        .post(`/api/conversations/${body.conversationId}/messages`)
        .set(as(craftsman.session))
        .send({ text: 'On my way' })
        .expect(201);

      expect(await live).toEqual(
        expect.objectContaining({ text: 'On my way', conversation: body.conversationId }),
      );
      expect(await storedTypes(client.session)).toContain('message.created');
      expect(await storedTypes(craftsman.session)).not.toContain('message.created');
    });
  });

  describe('the REST side', () => {
    it('should list newest first with delivery states, count unread and mark read', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await postJob(t, client);
      await inviteCraftsman(t, client, job.id, craftsman);
      await settle();

      const list = await t.http.get('/api/notifications').set(as(craftsman)).expect(200);
      const count = await t.http
        .get('/api/notifications/unread-count')
        .set(as(craftsman))
        .expect(200);

      expect(list.body.data.map((n: { type: string }) => n.type)).toEqual([
        'invitation.created',
        'user.registered',
      ]);
      expect(list.body.data[0]).toEqual(
        expect.objectContaining({
          title: 'New job invitation',
          read: false,
          data: expect.objectContaining({
            invitationId: expect.any(String),
            jobId: job.id,
            deepLink: expect.stringMatching(/^\/invitations\//),
          }),
          deliveries: [{ channel: 'email', status: 'sent' }],
        }),
      );
      expect(count.body).toEqual({ count: 2 });

      const marked = await t.http
        .post('/api/notifications/mark-read')
        .set(as(craftsman))
        .send({ ids: [list.body.data[0].id] })
        .expect(200);
      const unread = await t.http
        .get('/api/notifications?unread=true')
        .set(as(craftsman))
        .expect(200);
      expect(marked.body).toEqual({ updated: 1 });
      expect(unread.body.data.map((n: { type: string }) => n.type)).toEqual(['user.registered']);

      await t.http
        .post('/api/notifications/mark-read')
        .set(as(craftsman))
        .send({ all: true })
        .expect(200);
      expect((await t.http.get('/api/notifications/unread-count').set(as(craftsman))).body).toEqual(
        { count: 0 },
      );
    });

    it('should mark only the caller’s own notifications', async () => {
      const one = await newClient(t);
      const other = await newClient(t);
      const [mine] = (await t.http.get('/api/notifications').set(as(one))).body.data;

      const response = await t.http
        .post('/api/notifications/mark-read')
        .set(as(other))
        .send({ ids: [mine.id] })
        .expect(200);

      expect(response.body).toEqual({ updated: 0 });
    });

    it('should refuse both ids and all, or neither', async () => {
      const user = await newClient(t);

      await t.http.post('/api/notifications/mark-read').set(as(user)).send({}).expect(400);
      await t.http
        .post('/api/notifications/mark-read')
        .set(as(user))
        .send({ ids: [], all: true })
        .expect(400);
    });

    it('should register and forget devices', async () => {
      const user = await newClient(t);

      await t.http
        .post('/api/notifications/devices')
        .set(as(user))
        .send({ token: 'device-token-1234', platform: 'ios' })
        .expect(201);
      await t.http.delete('/api/notifications/devices/device-token-1234').set(as(user)).expect(200);
      await t.http.delete('/api/notifications/devices/device-token-1234').set(as(user)).expect(404);
      await t.http
        .post('/api/notifications/devices')
        .set(as(user))
        .send({ token: 'x', platform: 'nokia' })
        .expect(400);
    });

    it('should forget a device by a token as long as FCM gives them (past 100 characters)', async () => {
      const user = await newClient(t);
      // FCM registration tokens are ~160 characters: `<instance id>:APA91b<~140 more>`
      const token = `cXy3${'k'.repeat(18)}:APA91b${'Z9_-'.repeat(38)}`;

      await t.http
        .post('/api/notifications/devices')
        .set(as(user))
        .send({ token, platform: 'android' })
        .expect(201);
      await t.http.delete(`/api/notifications/devices/${token}`).set(as(user)).expect(200);
      await t.http.delete(`/api/notifications/devices/${token}`).set(as(user)).expect(404);
    });
  });

  describe('preferences', () => {
    it('should default every type to all channels', async () => {
      const user = await newClient(t);

      const response = await t.http.get('/api/notifications/preferences').set(as(user)).expect(200);

      expect(response.body['invitation.created']).toEqual({ inApp: true, push: true, email: true });
      expect(Object.keys(response.body)).toEqual(
        expect.arrayContaining(['quote.submitted', 'job.status_changed', 'invitation.expired']),
      );
    });

    it('should honour them: no email and no push, yet stored and live', async () => {
      const client = await newClient(t);
      const craftsman = await party(await newCraftsman(t));
      await t.http
        .put('/api/notifications/preferences')
        .set(as(craftsman.session))
        .send({ 'invitation.created': { inApp: true, push: false, email: false } })
        .expect(200);
      const job = await postJob(t, client);
      const live = nextEvent<{ type: string }>(
        craftsman.socket,
        'notification',
        (n) => n.type === 'invitation.created',
      );

      await inviteCraftsman(t, client, job.id, craftsman.session);
      await settle();

      await live;
      expect(await storedTypes(craftsman.session)).toContain('invitation.created');
      expect(emailsTo(craftsman.session, /New job invitation/)).toEqual([]);
      expect(fcm.to(craftsman.device).filter((m) => m.data.type === 'invitation.created')).toEqual(
        [],
      );
    });

    it('should store but not show live what the user turned off in-app', async () => {
      const client = await newClient(t);
      const craftsman = await party(await newCraftsman(t));
      await t.http
        .put('/api/notifications/preferences')
        .set(as(craftsman.session))
        .send({ 'invitation.created': { inApp: false, push: true, email: true } })
        .expect(200);
      const job = await postJob(t, client);

      await inviteCraftsman(t, client, job.id, craftsman.session);
      await settle();

      expect(await storedTypes(craftsman.session)).toContain('invitation.created');
      expect(craftsman.notifications.filter((n) => n.type === 'invitation.created')).toEqual([]);
      expect(emailsTo(craftsman.session, /New job invitation/)).toHaveLength(1);
    });

    it('should keep the other types when one is changed, and refuse unknown types and bad values', async () => {
      const user = await newClient(t);
      await t.http
        .put('/api/notifications/preferences')
        .set(as(user))
        .send({ 'quote.submitted': { inApp: true, push: false, email: false } })
        .expect(200);

      const after = await t.http
        .put('/api/notifications/preferences')
        .set(as(user))
        .send({ 'job.status_changed': { inApp: true, push: true, email: false } })
        .expect(200);
      const unknown = await t.http
        .put('/api/notifications/preferences')
        .set(as(user))
        .send({ 'pizza.delivered': { inApp: true, push: true, email: true } })
        .expect(400);
      const bad = await t.http
        .put('/api/notifications/preferences')
        .set(as(user))
        .send({ 'quote.submitted': { inApp: 'yes' } })
        .expect(400);

      expect(after.body['quote.submitted']).toEqual({ inApp: true, push: false, email: false });
      expect(after.body['job.status_changed']).toEqual({ inApp: true, push: true, email: false });
      expect(unknown.body.details).toEqual([
        { field: 'pizza.delivered', message: expect.any(String) },
      ]);
      expect(bad.body.details).toEqual([{ field: 'quote.submitted', message: expect.any(String) }]);
    });

    it('should move choices kept in the former collection onto the accounts at start-up, once', async () => {
      const [former, chooser] = await Promise.all([newClient(t), newClient(t)]);
      await t.http
        .put('/api/notifications/preferences')
        .set(as(chooser))
        .send({ 'job.status_changed': { inApp: true, push: true, email: false } })
        .expect(200);
      const formerCollection = t.connection.collection('notification_preferences');
      await formerCollection.insertMany([
        {
          user: new Types.ObjectId(former.user.id),
          preferences: { 'quote:submitted': { inApp: false, push: false, email: true } },
        },
        {
          // the account already has choices of its own: they win
          user: new Types.ObjectId(chooser.user.id),
          preferences: { 'quote:submitted': { inApp: false, push: false, email: false } },
        },
      ]);

      await t.app.get(PreferencesRepository).onApplicationBootstrap();
      await t.app.get(PreferencesRepository).onApplicationBootstrap();

      const moved = await t.http.get('/api/notifications/preferences').set(as(former)).expect(200);
      const kept = await t.http.get('/api/notifications/preferences').set(as(chooser)).expect(200);
      expect(moved.body['quote.submitted']).toEqual({ inApp: false, push: false, email: true });
      expect(moved.body['job.status_changed']).toEqual({ inApp: true, push: true, email: true });
      expect(kept.body['quote.submitted']).toEqual({ inApp: true, push: true, email: true });
      expect(kept.body['job.status_changed']).toEqual({ inApp: true, push: true, email: false });
      expect(await formerCollection.countDocuments()).toBe(0);
    });
  });

  describe('push', () => {
    it('should forget a device token FCM says is no longer registered', async () => {
      const client = await newClient(t);
      const craftsman = await party(await newCraftsman(t));
      fcm.deadTokens.add(craftsman.device);
      const job = await postJob(t, client);

      await inviteCraftsman(t, client, job.id, craftsman.session);
      await settle();

      await t.http
        .delete(`/api/notifications/devices/${craftsman.device}`)
        .set(as(craftsman.session))
        .expect(404);
    });

    it('should retry a push FCM refused, and send it once it works', async () => {
      const client = await newClient(t);
      const craftsman = await party(await newCraftsman(t));
      const job = await postJob(t, client);
      fcm.failNext = 2;

      await inviteCraftsman(t, client, job.id, craftsman.session);
      const deadline = Date.now() + 5000;
      while (
        fcm.to(craftsman.device).filter((m) => m.data.type === 'invitation.created').length === 0 &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      expect(
        fcm.to(craftsman.device).filter((m) => m.data.type === 'invitation.created'),
      ).toHaveLength(1);
      const [delivery] = await t.connection
        .collection('deliveries')
        .find({ channel: 'push', status: 'sent' })
        .toArray();
      expect(delivery.attempts).toBe(3);
    });
  });

  describe('when the SMTP server is down', () => {
    it('should still store and push, then email each pending message exactly once when it is back', async () => {
      const client = await newClient(t);
      const craftsman = await party(await newCraftsman(t));
      const job = await postJob(t, client);
      await settle();
      const port = mailbox.listeningPort;
      await mailbox.stop();
      const live = nextEvent<{ type: string }>(
        craftsman.socket,
        'notification',
        (n) => n.type === 'invitation.created',
      );

      await inviteCraftsman(t, client, job.id, craftsman.session);
      await live;
      await new Promise((resolve) => setTimeout(resolve, 500));

      expect(await storedTypes(craftsman.session)).toContain('invitation.created');
      const waiting = await t.connection
        .collection('deliveries')
        .find({ channel: 'email', status: { $ne: 'sent' } })
        .toArray();
      expect(waiting.length).toBeGreaterThan(0);
      expect(
        waiting.every(
          (delivery) => delivery.attempts >= 1 && typeof delivery.lastError === 'string',
        ),
      ).toBe(true);
      expect(emailsTo(craftsman.session, /New job invitation/)).toEqual([]);

      await mailbox.start(port);
      const deadline = Date.now() + 10_000;
      while (
        emailsTo(craftsman.session, /New job invitation/).length === 0 &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));

      expect(emailsTo(craftsman.session, /New job invitation/)).toHaveLength(1);
      expect(
        await t.connection
          .collection('deliveries')
          .countDocuments({ channel: 'email', status: { $ne: 'sent' } }),
      ).toBe(0);
    });
  });

  describe('the dispatcher', () => {
    it('should send deliveries that arrive one at a time several at once', async () => {
      const client = await newClient(t);
      const crew = await Promise.all(Array.from({ length: 4 }, () => newCraftsman(t)));
      const job = await postJob(t, client);
      await settle();
      mailbox.hold();
      try {
        // each invitation emails its craftsman: the first send is still waiting when the next
        // delivery arrives
        for (const craftsman of crew) {
          await inviteCraftsman(t, client, job.id, craftsman);
        }
        const deadline = Date.now() + 10_000;
        while (mailbox.waitingSenders < crew.length && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }

        expect(mailbox.waitingSenders).toBe(crew.length);
      } finally {
        mailbox.release();
      }
      await settle();
      for (const craftsman of crew) {
        expect(emailsTo(craftsman, /New job invitation/)).toHaveLength(1);
      }
    });
  });

  describe('job.subscribe', () => {
    it('should let the parties follow a job live, and nobody else', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const outsider = await newCraftsman(t);
      const job = await postJob(t, client);
      const clientSocket = await connectSocket(t, client.accessToken);
      const outsiderSocket = await connectSocket(t, outsider.accessToken);
      sockets.push(clientSocket, outsiderSocket);

      const ok = await clientSocket.emitWithAck('job.subscribe', { jobId: job.id });
      const refused = await outsiderSocket.emitWithAck('job.subscribe', { jobId: job.id });
      const unknown = await clientSocket.emitWithAck('job.subscribe', {
        jobId: '65a1b2c3d4e5f60718293a4b',
      });
      const malformed = await clientSocket.emitWithAck('job.subscribe', { jobId: 'nope' });
      const moved = nextEvent<{ id: string; status: string }>(
        clientSocket,
        'job.status_changed',
        (j) => j.status === 'hired',
      );
      await hire(t, client, job.id, craftsman);

      expect(ok).toEqual({ ok: true });
      expect(refused).toEqual({ ok: false, code: 'FORBIDDEN' });
      expect(unknown).toEqual({ ok: false, code: 'NOT_FOUND' });
      expect(malformed).toEqual({ ok: false, code: 'VALIDATION_FAILED' });
      expect((await moved).id).toBe(job.id);
      expect(await clientSocket.emitWithAck('job.unsubscribe', { jobId: job.id })).toEqual({
        ok: true,
      });
    });
  });
});
