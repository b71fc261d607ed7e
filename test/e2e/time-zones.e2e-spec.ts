import { DeliveryDispatcher } from '../../src/modules/notifications/delivery.dispatcher.js';
import { InvitationExpiryService } from '../../src/modules/invitations/invitation-expiry.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { inviteCraftsman, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import { TestMailbox } from '../support/smtp.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 24 * 3600 * 1000;
/** 23:30 UTC on 14 January 2030 is 01:30 on the 15th in Cairo (UTC+2), 18:30 on the 14th in New York. */
const LATE_EVENING_UTC = Date.parse('2030-01-14T23:30:00Z');

describe('Dates shown to people, in their time zone (issue 11, item 16)', () => {
  let t: TestApp;
  const clock = new FakeClock();
  const mailbox = new TestMailbox();

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      clock,
      env: { SMTP_URL: mailbox.url, DELIVERY_POLL_MS: '100', DELIVERY_POLL_MAX_INTERVAL: 'PT0.1S' },
    });
  });

  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  /** Invites the craftsman at 23:30 UTC (+ a few ms), then runs the reminders 27.5 days later. */
  async function reminderFor(craftsman: Session): Promise<{ inApp: string; email: string }> {
    const client = await newClient(t);
    const job = await postJob(t, client, { title: 'Fix the sink' });
    await inviteCraftsman(t, client, job.id, craftsman);
    clock.advance(27.5 * DAY);
    expect(await t.app.get(InvitationExpiryService).sendReminders()).toBe(1);
    const dispatcher = t.app.get(DeliveryDispatcher);
    dispatcher.kick();
    await dispatcher.idle();
    const list = await t.http.get('/api/notifications').set(as(craftsman)).expect(200);
    const reminder = list.body.data.find((n: { type: string }) => n.type === 'invitation.reminder');
    const mail = mailbox
      .to(craftsman.user.email)
      .find((received) => received.subject === 'Invitation about to expire');
    return { inApp: reminder.message, email: mail?.text ?? '' };
  }

  beforeEach(async () => {
    await t.clearDatabase();
    clock.advance(LATE_EVENING_UTC - clock.now().getTime());
  });

  it('should date an invitation sent at 23:30 UTC by the Cairo calendar by default', async () => {
    const craftsman = await newCraftsman(t);

    const reminder = await reminderFor(craftsman);

    // expiresAt is 2030-02-13T23:30Z: in Cairo that is already the 14th
    const expected = 'expires on 14 February 2030 at 01:30 EET';
    expect(reminder.inApp).toContain(expected);
    expect(reminder.email).toContain(expected);
    expect(reminder.inApp).not.toContain('2030-02-13');
  });

  it('should date it in the zone the user chose, and show his choice on GET /users/me', async () => {
    const craftsman = await newCraftsman(t);
    const updated = await t.http
      .put('/api/users/me')
      .set(as(craftsman))
      .send({ timezone: 'america/new_york' })
      .expect(200);
    const me = await t.http.get('/api/users/me').set(as(craftsman)).expect(200);

    const reminder = await reminderFor(craftsman);

    expect(updated.body.timezone).toBe('America/New_York');
    expect(me.body.timezone).toBe('America/New_York');
    expect(reminder.inApp).toContain('expires on 13 February 2030 at 18:30 GMT-5');
    expect(reminder.email).toContain('expires on 13 February 2030 at 18:30 GMT-5');
  });

  it('should show no zone of his own until he picks one', async () => {
    const craftsman = await newCraftsman(t);

    const me = await t.http.get('/api/users/me').set(as(craftsman)).expect(200);

    expect(me.body.timezone).toBeNull();
  });

  it.each([['Mars/Olympus_Mons'], ['+02:00'], [''], [42], [null]])(
    'should refuse %p as a time zone with 400 VALIDATION_FAILED',
    async (timezone) => {
      const craftsman = await newCraftsman(t);

      const response = await t.http
        .put('/api/users/me')
        .set(as(craftsman))
        .send({ timezone })
        .expect(400);
      const me = await t.http.get('/api/users/me').set(as(craftsman)).expect(200);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'timezone' })]);
      expect(me.body.timezone).toBeNull();
    },
  );
});
