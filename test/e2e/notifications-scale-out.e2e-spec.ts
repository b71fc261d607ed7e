import { randomBytes } from 'node:crypto';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Socket } from 'socket.io-client';
import { InvitationExpiryService } from '../../src/modules/invitations/invitation-expiry.service.js';
import { DeliveryDispatcher } from '../../src/modules/notifications/delivery.dispatcher.js';
import { FakeClock } from '../support/fake-clock.js';
import { inviteCraftsman, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import { TestMailbox } from '../support/smtp.js';
import { connectSocket, nextEvent } from '../support/socket.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('Notifications across two instances (Redis adapter, shared database)', () => {
  const mailbox = new TestMailbox();
  const clock = new FakeClock();
  let a: TestApp;
  let b: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await mailbox.start();
    const env = {
      REDIS_URL,
      REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
      SMTP_URL: mailbox.url,
      DELIVERY_POLL_MS: '50',
      // a poll that finds nothing does not back off here: each instance takes the other's work
      DELIVERY_POLL_MAX_INTERVAL: 'PT0.05S',
    };
    a = await createTestApp({ env, clock });
    b = await createTestApp({ env, clock, sameDatabaseAs: a });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await b.close();
    await a.close();
    await mailbox.stop();
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  it('should deliver an event raised on one instance to a socket connected to the other', async () => {
    const client = await newClient(a);
    const craftsman = await newCraftsman(a);
    const job = await postJob(a, client);
    const onB = await connectSocket(b, craftsman.accessToken);
    sockets.push(onB);
    const live = nextEvent<{ id: string }>(onB, 'invitation.created');
    const notification = nextEvent<{ type: string }>(
      onB,
      'notification',
      (n) => n.type === 'invitation.created',
    );

    const invitation = await inviteCraftsman(a, client, job.id, craftsman);

    expect((await live).id).toBe(invitation.id);
    await notification;
  });

  it('should serve a token issued by one instance on the other, and refuse it there within a second of logout', async () => {
    const user = await newClient(a);
    const onB = await connectSocket(b, user.accessToken);
    sockets.push(onB);
    const closed = new Promise<string>((resolve) => onB.once('disconnect', resolve));

    await b.http.get('/api/users/me').set(as(user)).expect(200);
    await a.http.post('/api/auth/logout').set(as(user)).expect(200);

    expect(await closed).toBe('io server disconnect');
    // B may have cached the token's standing: A's invalidation reaches it through Redis, at once
    const deadline = Date.now() + 1000;
    let status = (await b.http.get('/api/users/me').set(as(user))).status;
    while (status !== 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await b.http.get('/api/users/me').set(as(user))).status;
    }
    expect(status).toBe(401);
  });

  it('should close a socket on the other instance when the password changes, and keep serving the new token', async () => {
    const craftsman = await newCraftsman(a, { password: 'old-password-1' });
    const oldOnB = await connectSocket(b, craftsman.accessToken);
    sockets.push(oldOnB);
    const closed = new Promise<string>((resolve) => oldOnB.once('disconnect', resolve));

    const changed = await a.http
      .patch('/api/users/me/password')
      .set(as(craftsman))
      .send({ currentPassword: 'old-password-1', newPassword: 'new-password-1' })
      .expect(200);

    expect(await closed).toBe('io server disconnect');
    const newOnB = await connectSocket(b, changed.body.accessToken);
    sockets.push(newOnB);
    const client = await newClient(a);
    const job = await postJob(a, client);
    const live = nextEvent<{ id: string }>(newOnB, 'invitation.created');
    const invitation = await inviteCraftsman(a, client, job.id, craftsman);
    expect((await live).id).toBe(invitation.id);
  });

  it('should send each email once while both instances dispatch', async () => {
    const client = await newClient(a);
    const crew = await Promise.all(Array.from({ length: 12 }, () => newCraftsman(a)));
    const job = await postJob(a, client);

    for (const [i, craftsman] of crew.entries()) {
      await inviteCraftsman(i % 2 === 0 ? a : b, client, job.id, craftsman);
    }
    await Promise.all([a, b].map((t) => t.app.get(DeliveryDispatcher).idle()));
    const deadline = Date.now() + 5000;
    while (
      (await a.connection.collection('deliveries').countDocuments({ status: { $ne: 'sent' } })) >
        0 &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    for (const craftsman of crew) {
      expect(
        mailbox.to(craftsman.user.email).filter((mail) => /New job invitation/.test(mail.subject)),
      ).toHaveLength(1);
    }
  });

  it('should tell both sides of an expiry once, even when both instances sweep at the same time', async () => {
    const client = await newClient(a);
    const crew = await Promise.all(Array.from({ length: 6 }, () => newCraftsman(a)));
    const job = await postJob(a, client);
    const invitations = [];
    for (const craftsman of crew) {
      invitations.push(await inviteCraftsman(a, client, job.id, craftsman));
    }
    const announced: string[] = [];
    for (const t of [a, b]) {
      t.app
        .get(EventEmitter2)
        .on('invitation.expired', (event: { invitation: { invitationId: string } }) => {
          announced.push(event.invitation.invitationId);
        });
    }
    clock.advanceDays(31);

    await Promise.all([
      a.app.get(InvitationExpiryService).expireDue(),
      b.app.get(InvitationExpiryService).expireDue(),
    ]);

    const ours = invitations.map((invitation) => invitation.id);
    // the earlier tests' invitations are due as well: each announced once, like these
    expect(new Set(announced).size).toBe(announced.length);
    expect(announced.filter((id) => ours.includes(id)).sort()).toEqual(ours.sort());
    const stored = await a.http.get('/api/notifications?limit=100').set(as(client)).expect(200);
    expect(
      stored.body.data.filter((n: { type: string }) => n.type === 'invitation.expired'),
    ).toHaveLength(6);
    for (const craftsman of crew) {
      const theirs = await a.http.get('/api/notifications').set(as(craftsman)).expect(200);
      expect(
        theirs.body.data.filter((n: { type: string }) => n.type === 'invitation.expired'),
      ).toHaveLength(1);
    }
  });
});
