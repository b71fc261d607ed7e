import { EventEmitter2 } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Types } from 'mongoose';
import { INVITATION_SWEEP_JOB } from '../../src/modules/cron/cron.service.js';
import { InvitationExpiredEvent } from '../../src/modules/invitations/events/invitation-expired.event.js';
import { InvitationExpiryService } from '../../src/modules/invitations/invitation-expiry.service.js';
import { InvitationsRepository } from '../../src/modules/invitations/invitations.repository.js';
import { FakeClock } from '../support/fake-clock.js';
import { inviteCraftsman, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 24 * 3600 * 1000;

/** Counts each event name the app publishes, by invitation id. */
function recordEvents(t: TestApp, names: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>(names.map((name) => [name, []]));
  const emitter = t.app.get(EventEmitter2);
  for (const name of names) {
    emitter.on(name, (event: { invitation: { invitationId: string } }) => {
      seen.get(name)!.push(event.invitation.invitationId);
    });
  }
  return seen;
}

describe('Invitation expiry (rule 8) and reminders', () => {
  let t: TestApp;
  const clock = new FakeClock();
  let client: Session;
  let craftsman: Session;
  let job: { id: string };
  let sweep: InvitationExpiryService;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { INVITATION_SWEEP_BATCH: '7' } });
    sweep = t.app.get(InvitationExpiryService);
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    client = await newClient(t);
    craftsman = await newCraftsman(t);
    job = await postJob(t, client);
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  it('should treat an invitation past its 30 days as expired before any sweep', async () => {
    const invitation = await inviteCraftsman(t, client, job.id, craftsman);
    clock.advance(30 * DAY + 60_000);

    const seen = await t.http.get(`/api/invitations/${invitation.id}`).set(as(client)).expect(200);
    const accept = await t.http
      .post(`/api/invitations/${invitation.id}/accept`)
      .set(as(craftsman))
      .expect(409);
    const reject = await t.http
      .post(`/api/invitations/${invitation.id}/reject`)
      .set(as(craftsman))
      .send({})
      .expect(409);
    const expiredList = await t.http
      .get('/api/invitations/received?status=expired')
      .set(as(craftsman))
      .expect(200);
    const pendingList = await t.http
      .get('/api/invitations/received?status=pending')
      .set(as(craftsman))
      .expect(200);

    expect(seen.body.status).toBe('expired');
    expect(accept.body).toEqual({
      statusCode: 409,
      code: 'INVITATION_EXPIRED',
      message: expect.any(String),
    });
    expect(reject.body.code).toBe('INVITATION_EXPIRED');
    expect(expiredList.body.data.map((i: { id: string }) => i.id)).toEqual([invitation.id]);
    expect(pendingList.body.data).toEqual([]);
    expect(await t.connection.collection('invitations').countDocuments({ status: 'pending' })).toBe(
      1,
    );
  });

  it('should still be answerable a minute before it expires', async () => {
    const invitation = await inviteCraftsman(t, client, job.id, craftsman);
    clock.advance(30 * DAY - 60_000);

    await t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(craftsman)).expect(200);
  });

  it('should expire every due invitation once, in batches, and announce each once', async () => {
    const crew = await Promise.all(Array.from({ length: 16 }, () => newCraftsman(t)));
    const due = [];
    for (const one of crew) {
      due.push((await inviteCraftsman(t, client, job.id, one)).id);
    }
    const answered = await inviteCraftsman(t, client, (await postJob(t, client)).id, craftsman);
    await t.http.post(`/api/invitations/${answered.id}/accept`).set(as(craftsman)).expect(200);
    const events = recordEvents(t, ['invitation.expired']);
    clock.advance(31 * DAY);

    const first = await sweep.expireDue();
    const second = await sweep.expireDue();

    expect(first).toEqual({ expired: 16, announced: 16 });
    expect(second).toEqual({ expired: 0, announced: 0 });
    expect(events.get('invitation.expired')!.sort()).toEqual([...due].sort());
    const stored = await t.connection
      .collection('invitations')
      .find({}, { projection: { status: 1, history: 1 } })
      .toArray();
    expect(stored.filter((i) => i.status === 'expired')).toHaveLength(16);
    expect(stored.find((i) => i._id.toHexString() === answered.id)?.status).toBe('accepted');
    const history = await t.http.get(`/api/invitations/${due[0]}`).set(as(client)).expect(200);
    expect(history.body.history.at(-1)).toEqual({
      action: 'expired',
      by: null,
      at: expect.any(String),
    });
  });

  it('should expire each invitation once when several sweeps run at the same time', async () => {
    const crew = await Promise.all(Array.from({ length: 20 }, () => newCraftsman(t)));
    for (const one of crew) {
      await inviteCraftsman(t, client, job.id, one);
    }
    const events = recordEvents(t, ['invitation.expired']);
    clock.advance(31 * DAY);

    const results = await Promise.all([sweep.expireDue(), sweep.expireDue(), sweep.expireDue()]);

    expect(results.reduce((sum, result) => sum + result.expired, 0)).toBe(20);
    expect(events.get('invitation.expired')).toHaveLength(20);
    expect(new Set(events.get('invitation.expired')).size).toBe(20);
  });

  it('should give one outcome to an answer racing the sweep at the moment of expiry', async () => {
    const invitations = [];
    const crew = await Promise.all(Array.from({ length: 5 }, () => newCraftsman(t)));
    for (const one of crew) {
      invitations.push(await inviteCraftsman(t, client, job.id, one));
    }
    clock.advance(30 * DAY + 1);

    const [, ...answers] = await Promise.all([
      sweep.expireDue(),
      ...invitations.map((invitation, i) =>
        t.http.post(`/api/invitations/${invitation.id}/accept`).set(as(crew[i])),
      ),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([409, 409, 409, 409, 409]);
    const stored = await t.connection.collection('invitations').find({}).toArray();
    expect(stored.map((invitation) => invitation.status)).toEqual([
      'expired',
      'expired',
      'expired',
      'expired',
      'expired',
    ]);
  });

  it('should finish the announcements of a sweep that died after expiring', async () => {
    const invitation = await inviteCraftsman(t, client, job.id, craftsman);
    clock.advance(31 * DAY);
    // what a crashed sweep leaves: expired and stamped, never announced
    await t.connection.collection('invitations').updateOne(
      { _id: new Types.ObjectId(invitation.id) },
      {
        $set: {
          status: 'expired',
          batchStamp: 'expire:crashed',
          expiredAt: new Date(clock.now().getTime() - 10 * 60_000),
          expiryAnnouncedAt: null,
        },
      },
    );
    const events = recordEvents(t, ['invitation.expired']);

    const result = await sweep.expireDue();
    await sweep.expireDue();

    expect(result).toEqual({ expired: 0, announced: 1 });
    expect(events.get('invitation.expired')).toEqual([invitation.id]);
  });

  it('should count an expiry announced twice once, and a re-sent invitation’s next expiry again', async () => {
    const pendingOf = async () => {
      const user = await t.connection
        .collection('users')
        .findOne({ _id: new Types.ObjectId(craftsman.user.id) });
      return user?.craftsmanInfo?.stats?.pendingInvitations;
    };
    const expiryNotifications = async () => {
      const response = await t.http
        .get('/api/notifications?limit=100')
        .set(as(craftsman))
        .expect(200);
      return response.body.data.filter((n: { type: string }) => n.type === 'invitation.expired')
        .length;
    };
    const invitation = await inviteCraftsman(t, client, job.id, craftsman);
    const pendingWhenInvited = await pendingOf();
    clock.advance(31 * DAY);
    await sweep.expireDue();
    const stored = await t.connection
      .collection('invitations')
      .findOne({ _id: new Types.ObjectId(invitation.id) });

    // what the sweep does after a crash: announce an expiry that was announced already
    await t.app.get(EventEmitter2).emitAsync(
      InvitationExpiredEvent.eventName,
      new InvitationExpiredEvent({
        invitationId: invitation.id,
        jobId: job.id,
        clientId: client.user.id,
        craftsmanId: craftsman.user.id,
        inviteeEmail: null,
        sentAt: stored!.lastSentAt,
      }),
    );
    const afterReplay = { pending: await pendingOf(), notified: await expiryNotifications() };
    // sent again, pending anew, expired again: a second round counts
    await inviteCraftsman(t, client, job.id, craftsman);
    const pendingWhenSentAgain = await pendingOf();
    clock.advance(31 * DAY);
    await sweep.expireDue();

    expect(pendingWhenInvited).toBe(1);
    expect(afterReplay).toEqual({ pending: 0, notified: 1 });
    expect(pendingWhenSentAgain).toBe(1);
    expect({ pending: await pendingOf(), notified: await expiryNotifications() }).toEqual({
      pending: 0,
      notified: 2,
    });
  });

  it('should remind the craftsman once, three days before expiry', async () => {
    const invitation = await inviteCraftsman(t, client, job.id, craftsman);
    await invite(t, client, job.id, 'stranger@example.com');
    const events = recordEvents(t, ['invitation.reminder']);

    clock.advance(26 * DAY);
    const early = await sweep.sendReminders();
    clock.advance(1.5 * DAY);
    const due = await sweep.sendReminders();
    const again = await sweep.sendReminders();

    expect([early, due, again]).toEqual([0, 1, 0]);
    expect(events.get('invitation.reminder')).toEqual([invitation.id]);
    const seen = await t.http.get(`/api/invitations/${invitation.id}`).set(as(client)).expect(200);
    expect(seen.body.history.map((entry: { action: string }) => entry.action)).toEqual([
      'created',
      'reminded',
    ]);
  });

  it('should remind, and announce an expiry, that a run died holding once it has been held 5 minutes', async () => {
    const repository = t.app.get(InvitationsRepository);
    const reminded = await inviteCraftsman(t, client, job.id, craftsman);
    const unannounced = await inviteCraftsman(t, client, job.id, await newCraftsman(t));
    const events = recordEvents(t, ['invitation.reminder', 'invitation.expired']);
    // a run that took the reminder, and one that took over the announcement, then died
    clock.advanceDays(27.5);
    await repository.claimReminders(
      clock.now(),
      new Date(clock.now().getTime() + 3 * DAY),
      10,
      'remind:died',
      new Date(0),
    );
    await t.connection.collection('invitations').updateOne(
      { _id: new Types.ObjectId(unannounced.id) },
      {
        $set: {
          status: 'expired',
          expiredAt: new Date(clock.now().getTime() - 10 * 60_000),
          expiryAnnouncedAt: null,
          announceClaimedAt: clock.now(),
          batchStamp: 'announce:died',
        },
      },
    );

    clock.advance(60_000);
    const whileHeld = { reminders: await sweep.sendReminders(), sweep: await sweep.expireDue() };
    clock.advance(5 * 60_000);
    const afterwards = { reminders: await sweep.sendReminders(), sweep: await sweep.expireDue() };
    const again = { reminders: await sweep.sendReminders(), sweep: await sweep.expireDue() };

    expect(whileHeld).toEqual({ reminders: 0, sweep: { expired: 0, announced: 0 } });
    expect(afterwards).toEqual({ reminders: 1, sweep: { expired: 0, announced: 1 } });
    expect(again).toEqual({ reminders: 0, sweep: { expired: 0, announced: 0 } });
    expect(events.get('invitation.reminder')).toEqual([reminded.id]);
    expect(events.get('invitation.expired')).toEqual([unannounced.id]);
    const seen = await t.http.get(`/api/invitations/${reminded.id}`).set(as(client)).expect(200);
    expect(seen.body.history.map((entry: { action: string }) => entry.action)).toEqual([
      'created',
      'reminded',
    ]);
  });

  it('should run the sweep on its schedule, by itself', async () => {
    const scheduled = await createTestApp({ clock, env: { INVITATION_SWEEP_CRON: '* * * * * *' } });
    try {
      const owner = await newClient(scheduled);
      const worker = await newCraftsman(scheduled);
      const target = await postJob(scheduled, owner);
      const invitation = await inviteCraftsman(scheduled, owner, target.id, worker);
      expect(
        scheduled.app.get(SchedulerRegistry).getCronJob(INVITATION_SWEEP_JOB).cronTime.source,
      ).toBe('* * * * * *');

      clock.advance(31 * DAY);
      const deadline = Date.now() + 5000;
      let status = 'pending';
      while (status !== 'expired' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const stored = await scheduled.connection
          .collection('invitations')
          .findOne({ _id: new Types.ObjectId(invitation.id) });
        status = String(stored?.status);
      }

      expect(status).toBe('expired');
    } finally {
      await scheduled.close();
    }
  });
});

function invite(t: TestApp, client: Session, jobId: string, email: string) {
  return t.http
    .post(`/api/jobs/${jobId}/invite`)
    .set('Authorization', client.bearer)
    .send({ email })
    .expect(201);
}
