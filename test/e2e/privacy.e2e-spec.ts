import { SchedulerRegistry } from '@nestjs/schedule';
import { Types } from 'mongoose';
import { AccountDeletionService } from '../../src/modules/privacy/account-deletion.service.js';
import { FakeClock } from '../support/fake-clock.js';
import { hire, inviteCraftsman, postJob } from '../support/marketplace.js';
import { adjust, balanceOf, completeJob, ledgerCheck } from '../support/money.js';
import {
  login,
  loginAsAdmin,
  newClient,
  newCraftsman,
  secretKeysIn,
  type Session,
  uniqueEmail,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 24 * 3600 * 1000;
const GRACE = 14 * DAY;

interface Blocker {
  reason: string;
  [key: string]: unknown;
}

describe('Privacy: data export and account deletion', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let other: TestApp;
  let admin: Session;

  beforeAll(async () => {
    const env = { FEE_DEBT_LIMIT: '100000000', DELETION_GRACE: 'P14D' };
    t = await createTestApp({ env, clock });
    // a second instance on the same database: two sweeps at once
    other = await createTestApp({ env, clock, sameDatabaseAs: t });
    // the sweeps run when a test says so, not on the minute
    for (const app of [t, other]) {
      app.app
        .get(SchedulerRegistry)
        .getCronJobs()
        .forEach((job) => void job.stop());
    }
    admin = await loginAsAdmin(t);
  });

  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const as = (session: Session) => ({ Authorization: session.bearer });
  const sweep = (app: TestApp = t) => app.app.get(AccountDeletionService).runDue();

  function requestDeletion(who: Session, password = who.password) {
    return t.http.post('/api/users/me/deletion').set(as(who)).send({ password });
  }

  async function exportOf(who: Session): Promise<Record<string, unknown>> {
    return (await t.http.get('/api/users/me/export').set(as(who)).expect(200)).body as Record<
      string,
      unknown
    >;
  }

  async function move(jobId: string, who: Session, status: string): Promise<void> {
    await t.http.patch(`/api/jobs/${jobId}/status`).set(as(who)).send({ status }).expect(200);
  }

  /** The mails of the app's outbox to `address` with this subject. */
  function mailsTo(app: TestApp, address: string, subject: string): string[] {
    return app
      .readOutbox()
      .filter((mail) => mail.includes(`\nTo: ${address}\n`) && mail.includes(subject));
  }

  async function eventually(check: () => boolean): Promise<void> {
    for (let i = 0; i < 50 && !check(); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The conversation of `client` and `craftsman`, opened by accepting an invitation. */
  async function conversation(client: Session, craftsman: Session): Promise<string> {
    const job = await postJob(t, client, { title: 'Tile the bathroom floor' });
    const invitation = await inviteCraftsman(t, client, job.id, craftsman);
    const accepted = await t.http
      .post(`/api/invitations/${invitation.id}/accept`)
      .set(as(craftsman))
      .expect(200);
    return accepted.body.conversationId as string;
  }

  async function say(conversationId: string, who: Session, text: string): Promise<void> {
    await t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set(as(who))
      .send({ text })
      .expect(201);
  }

  describe('GET /users/me/export', () => {
    it('should hold the caller’s profile, jobs, own messages and reviews, and no secret nor other people’s contact details', async () => {
      const client = await newClient(t, { firstName: 'Salma', phone: '01001234501' });
      const craftsman = await newCraftsman(t, { firstName: 'Adel', phone: '01001234502' });
      const chat = await conversation(client, craftsman);
      await say(chat, client, 'Can you come on Sunday?');
      await say(chat, craftsman, 'Yes, at ten; my number is 0100 555 0000');
      const job = await completeJob(t, client, craftsman);
      await t.http.post('/api/reviews').set(as(client)).send({ jobId: job.id, rating: 4 });
      await t.http
        .post('/api/notifications/devices')
        .set(as(client))
        .send({ token: 'fcm-privacy-device-token-0001', platform: 'android' })
        .expect(201);

      const exported = await exportOf(client);

      expect(exported.profile).toMatchObject({
        id: client.user.id,
        email: client.user.email,
        phone: '+201001234501',
        firstName: 'Salma',
      });
      expect(exported.deletion).toBeNull();
      expect((exported.jobs as Array<{ id: string; as: string }>).map((j) => j.id)).toContain(
        job.id,
      );
      const [chatExport] = exported.conversations as Array<{
        id: string;
        with: { id: string; firstName: string };
        messages: Array<{ text: string }>;
      }>;
      expect(chatExport).toMatchObject({ id: chat, with: { id: craftsman.user.id } });
      expect(chatExport.messages.map((m) => m.text)).toEqual(['Can you come on Sunday?']);
      expect(exported.reviews).toEqual([
        expect.objectContaining({ reviewer: client.user.id, rating: 4 }),
      ]);
      expect(exported.invitations).toEqual([
        expect.objectContaining({ direction: 'sent', craftsman: craftsman.user.id }),
      ]);
      expect(exported.devices).toEqual([
        expect.objectContaining({ platform: 'android', tokenEnd: 'ken-0001' }),
      ]);
      expect((exported.notifications as unknown[]).length).toBeGreaterThan(0);
      expect(exported.wallet).toBeNull();
      expect(secretKeysIn(exported)).toEqual([]);
      const text = JSON.stringify(exported);
      expect(text).not.toContain(craftsman.user.email);
      expect(text).not.toContain('+201001234502');
      expect(text).not.toContain('0100 555 0000');
      expect(text).not.toContain('fcm-privacy-device-token-0001');
    });

    it('should give a craftsman his wallet: balance, ledger movements and withdrawals', async () => {
      const craftsman = await newCraftsman(t);
      await adjust(t, admin, craftsman, 30_000, 'goodwill');
      await t.http
        .post('/api/wallet/withdraw')
        .set(as(craftsman))
        .send({
          amount: 10_000,
          destination: { type: 'mobile_wallet', accountName: 'Adel', msisdn: '010 0123 4567' },
        })
        .expect(201);

      const { wallet } = (await exportOf(craftsman)) as {
        wallet: {
          balance: { withdrawableBalance: number; pending: number };
          transactions: Array<{ type: string; amount: number }>;
          withdrawals: Array<{ amount: number; payoutDestination: { msisdn: string } }>;
        };
      };

      expect(wallet.balance).toMatchObject({ withdrawableBalance: 20_000, pending: 10_000 });
      expect(wallet.transactions.map((tx) => [tx.type, tx.amount])).toEqual([
        ['withdrawal', -10_000],
        ['adjustment', 30_000],
      ]);
      expect(wallet.withdrawals).toEqual([
        expect.objectContaining({
          amount: 10_000,
          payoutDestination: expect.objectContaining({ msisdn: '+201001234567' }),
        }),
      ]);
    });
  });

  describe('POST /users/me/deletion', () => {
    it('should refuse a wrong password as a password change does (400 WRONG_CURRENT_PASSWORD)', async () => {
      const client = await newClient(t);

      const refused = await requestDeletion(client, 'not-my-password-1').expect(400);

      expect(refused.body.code).toBe('WRONG_CURRENT_PASSWORD');
      expect((await exportOf(client)).deletion).toBeNull();
    });

    it('should answer 202 with scheduledFor = now + DELETION_GRACE, the same when asked again, and email the owner', async () => {
      const client = await newClient(t);
      const before = clock.now().getTime();

      const first = await requestDeletion(client).expect(202);
      const after = clock.now().getTime();
      clock.advance(60_000);
      const again = await requestDeletion(client).expect(202);

      const scheduledFor = new Date(first.body.scheduledFor as string).getTime();
      expect(scheduledFor).toBeGreaterThanOrEqual(before + GRACE);
      expect(scheduledFor).toBeLessThanOrEqual(after + GRACE);
      expect(again.body).toEqual(first.body);
      expect((await exportOf(client)).deletion).toMatchObject({
        scheduledFor: first.body.scheduledFor,
      });
      await eventually(
        () => mailsTo(t, client.user.email, 'Your account is scheduled for deletion').length > 0,
      );
      expect(mailsTo(t, client.user.email, 'Your account is scheduled for deletion')).toHaveLength(
        1,
      );
    });

    it('should be refused to staff (403)', async () => {
      await requestDeletion(admin).expect(403);
    });

    it('should be blocked while the client has a job under way (409 DELETION_BLOCKED, the job in details)', async () => {
      const client = await newClient(t);
      const job = await postJob(t, client);

      const blocked = await requestDeletion(client).expect(409);

      expect(blocked.body.code).toBe('DELETION_BLOCKED');
      expect(blocked.body.details).toEqual([
        { reason: 'active_job', jobId: job.id, status: 'posted' },
      ]);
      expect((await exportOf(client)).deletion).toBeNull();
    });

    it('should be blocked while money is in the craftsman’s wallet, and while he owes fees', async () => {
      const rich = await newCraftsman(t);
      await adjust(t, admin, rich, 12_345);
      const indebted = await newCraftsman(t);
      await completeJob(t, await newClient(t), indebted);
      const { feesOwed } = await balanceOf(t, indebted);
      expect(feesOwed).toBeGreaterThan(0);

      const walletBlocked = await requestDeletion(rich).expect(409);
      const feesBlocked = await requestDeletion(indebted).expect(409);

      expect(walletBlocked.body.details).toEqual([{ reason: 'wallet_balance', amount: 12_345 }]);
      expect(feesBlocked.body.details).toEqual([{ reason: 'fees_owed', amount: feesOwed }]);
    });

    it('should be blocked for both parties while a dispute is open', async () => {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await postJob(t, client);
      await hire(t, client, job.id, craftsman);
      await move(job.id, craftsman, 'on_the_way');
      const opened = await t.http
        .post('/api/disputes')
        .set(as(client))
        .send({ jobId: job.id, reason: 'no_show', description: 'He never came in.' })
        .expect(201);

      const blocked = await requestDeletion(client).expect(409);

      const details = blocked.body.details as Blocker[];
      expect(details).toEqual(
        expect.arrayContaining([
          { reason: 'active_job', jobId: job.id, status: 'disputed' },
          { reason: 'open_dispute', disputeId: opened.body.id, jobId: job.id },
        ]),
      );
      const craftsmanBlocked = await requestDeletion(craftsman).expect(409);
      expect((craftsmanBlocked.body.details as Blocker[]).map((b) => b.reason)).toEqual(
        expect.arrayContaining(['active_job', 'open_dispute']),
      );
    });
  });

  describe('DELETE /users/me/deletion', () => {
    it('should answer 409 DELETION_NOT_SCHEDULED when nothing is scheduled', async () => {
      const client = await newClient(t);

      const refused = await t.http.delete('/api/users/me/deletion').set(as(client)).expect(409);

      expect(refused.body.code).toBe('DELETION_NOT_SCHEDULED');
    });

    it('should call the deletion off: past scheduledFor the sweep leaves the account alone', async () => {
      const client = await newClient(t, { firstName: 'Hala' });
      await requestDeletion(client).expect(202);

      const cancelled = await t.http.delete('/api/users/me/deletion').set(as(client)).expect(200);
      clock.advance(GRACE + 60_000);
      await sweep();

      expect(cancelled.body).toEqual({ cancelled: true });
      await t.http.delete('/api/users/me/deletion').set(as(client)).expect(409);
      const me = await t.http.get('/api/users/me').set(as(client)).expect(200);
      expect(me.body).toMatchObject({ firstName: 'Hala', email: client.user.email });
      await login(t, client.user.email, client.password);
    });
  });

  describe('the deletion at scheduledFor', () => {
    it('should anonymise the craftsman: no sign-in, an anonymous profile, nobody finds him, his work, ratings and ledger stay', async () => {
      const client = await newClient(t, { firstName: 'Mariam' });
      const craftsman = await newCraftsman(t, {
        firstName: 'Tarekzz',
        lastName: 'Mansourzz',
        phone: '01001239876',
      });
      await t.http
        .put('/api/users/me')
        .set(as(craftsman))
        .send({
          profilePicture: 'https://files.example.com/tarek.jpg',
          address: '12 Nile St, Giza',
          location: { lat: 30.01, lng: 31.2 },
          craftsmanInfo: { skills: ['Plumbing'], bio: 'Twenty years of pipes' },
        })
        .expect(200);
      const chat = await conversation(client, craftsman);
      await say(chat, craftsman, 'I will bring the tools');
      // a cash job done and reviewed both ways; his fee paid from an admin's credit, the rest
      // withdrawn and paid out: nothing of his money is left in play
      const job = await completeJob(t, client, craftsman);
      await t.http.post('/api/reviews').set(as(client)).send({ jobId: job.id, rating: 5 });
      await t.http.post('/api/reviews').set(as(craftsman)).send({ jobId: job.id, rating: 4 });
      const { feesOwed } = await balanceOf(t, craftsman);
      await adjust(t, admin, craftsman, feesOwed + 10_000);
      const withdrawal = await t.http
        .post('/api/wallet/withdraw')
        .set(as(craftsman))
        .send({
          amount: 10_000,
          destination: { type: 'mobile_wallet', accountName: 'Tarek', msisdn: '010 0123 9876' },
        })
        .expect(201);
      await t.http
        .post(`/api/admin/withdrawals/${withdrawal.body.id}/mark-paid`)
        .set(as(admin))
        .send({ reference: 'PRIVACY-1' })
        .expect(200);
      await t.http
        .post('/api/notifications/devices')
        .set(as(craftsman))
        .send({ token: 'fcm-privacy-device-token-0002', platform: 'ios' })
        .expect(201);
      // work still pending elsewhere: a quote and an invitation on another client's open jobs
      const elsewhere = await newClient(t);
      const quoted = await postJob(t, elsewhere);
      const quote = await t.http
        .post(`/api/jobs/${quoted.id}/quotes`)
        .set(as(craftsman))
        .send({ price: 20_000 })
        .expect(201);
      const invitation = await inviteCraftsman(
        t,
        elsewhere,
        (await postJob(t, elsewhere)).id,
        craftsman,
      );
      const entriesBefore = await t.connection
        .collection('ledger_entries')
        .countDocuments({ 'wallet.holder': { $exists: true } });

      await requestDeletion(craftsman).expect(202);
      clock.advance(GRACE - 60_000);
      expect(await sweep()).toBe(0);
      clock.advance(2 * 60_000);
      expect(await sweep()).toBe(1);

      // no sign-in: answered as unknown credentials, by email and by phone; old tokens dead
      for (const identifier of [craftsman.user.email, '01001239876']) {
        const refused = await t.http
          .post('/api/auth/login')
          .send({ loginIdentifier: identifier, password: craftsman.password, type: 'clients' })
          .expect(401);
        expect(refused.body.code).toBe('INVALID_CREDENTIALS');
      }
      await t.http.get('/api/users/me').set(as(craftsman)).expect(401);
      // the public profile: anonymous, no picture; the rating he earned stays
      const profile = await t.http
        .get(`/api/users/${craftsman.user.id}`)
        .set(as(client))
        .expect(200);
      expect(profile.body).toMatchObject({
        id: craftsman.user.id,
        firstName: 'Deleted',
        lastName: 'user',
        rating: 5,
        ratingCount: 1,
        craftsmanInfo: { skills: [], bio: '', portfolioImageUrls: [], available: false },
      });
      expect(profile.body).not.toHaveProperty('profilePicture');
      // nobody finds him by his old name, email or phone
      for (const q of ['Tarekzz', 'Mansourzz', 'Deleted']) {
        const found = await t.http.get('/api/users').query({ q }).set(as(client)).expect(200);
        expect(found.body.data).toEqual([]);
      }
      const browse = await t.http.get('/api/users').query({ limit: 100 }).set(as(client));
      expect((browse.body.data as Array<{ id: string }>).map((u) => u.id)).not.toContain(
        craftsman.user.id,
      );
      for (const q of ['Tarekzz', craftsman.user.email, '01001239876']) {
        const listed = await t.http.get('/api/admin/users').query({ q }).set(as(admin)).expect(200);
        expect(listed.body.data).toEqual([]);
      }
      const stored = await t.connection
        .collection('users')
        .findOne({ email: `deleted-${craftsman.user.id}@deleted.invalid` });
      expect(stored).toMatchObject({ firstName: 'Deleted', phoneKey: `none:${craftsman.user.id}` });
      expect(stored).not.toHaveProperty('phone');
      expect(stored).not.toHaveProperty('address');
      expect(stored).not.toHaveProperty('location');
      expect(stored?.deletion).toBeUndefined();
      expect(stored?.deletedAt).toBeInstanceOf(Date);
      // the chat shows the anonymous name; the job and the rating stay
      const chats = await t.http.get('/api/conversations').set(as(client)).expect(200);
      expect(chats.body.data[0].craftsman).toMatchObject({
        firstName: 'Deleted',
        lastName: 'user',
      });
      const seen = await t.http.get(`/api/jobs/${job.id}`).set(as(client)).expect(200);
      expect(seen.body).toMatchObject({ status: 'completed', craftsman: { firstName: 'Deleted' } });
      const reviews = await t.http.get(`/api/jobs/${job.id}/reviews`).set(as(client)).expect(200);
      expect((reviews.body.data as Array<{ rating: number }>).map((r) => r.rating).sort()).toEqual([
        4, 5,
      ]);
      // the ledger keeps every entry of his wallet, and balances
      expect(
        await t.connection
          .collection('ledger_entries')
          .countDocuments({ 'wallet.holder': { $exists: true } }),
      ).toBe(entriesBefore);
      expect((await ledgerCheck(t, admin)).balanced).toBe(true);
      // his devices are gone; his pending quote withdrawn and invitation cancelled
      expect(
        await t.connection
          .collection('device_tokens')
          .countDocuments({ token: /privacy-device-token-0002/ }),
      ).toBe(0);
      const quotes = await t.http
        .get(`/api/jobs/${quoted.id}/quotes`)
        .set(as(elsewhere))
        .expect(200);
      expect(quotes.body.data).toEqual([
        expect.objectContaining({ id: quote.body.id, status: 'withdrawn' }),
      ]);
      const cancelled = await t.http
        .get(`/api/invitations/${invitation.id}`)
        .set(as(elsewhere))
        .expect(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        craftsman: { firstName: 'Deleted' },
      });
      expect(
        await t.connection
          .collection('invitations')
          .findOne({ _id: new Types.ObjectId(invitation.id) }),
      ).toMatchObject({ cancellationReason: 'account_deleted' });
      // and the address is free again
      await newCraftsman(t, { email: craftsman.user.email, phone: '01001239876' });
    });

    it('should wait a day when the account can’t go yet at scheduledFor', async () => {
      const client = await newClient(t);
      await requestDeletion(client).expect(202);
      const job = await postJob(t, client);
      clock.advance(GRACE + 60_000);

      expect(await sweep()).toBe(0);

      const { deletion } = await exportOf(client);
      const due = new Date((deletion as { scheduledFor: string }).scheduledFor).getTime();
      expect(due).toBeGreaterThan(clock.now().getTime() + DAY - 60_000);
      await t.http.delete(`/api/jobs/${job.id}`).set(as(client)).expect(200);
      clock.advance(DAY + 60_000);
      expect(await sweep()).toBe(1);
      await t.http.get('/api/users/me').set(as(client)).expect(401);
    });

    it('should anonymise once when two instances sweep at the same moment', async () => {
      const client = await newClient(t, { email: uniqueEmail('twice') });
      await requestDeletion(client).expect(202);
      clock.advance(GRACE + 60_000);

      const [here, there] = await Promise.all([sweep(t), sweep(other)]);

      expect(here + there).toBe(1);
      const farewell = 'Your account was deleted';
      await eventually(
        () =>
          mailsTo(t, client.user.email, farewell).length +
            mailsTo(other, client.user.email, farewell).length >
          0,
      );
      expect(
        mailsTo(t, client.user.email, farewell).length +
          mailsTo(other, client.user.email, farewell).length,
      ).toBe(1);
      const stored = await t.connection
        .collection('users')
        .findOne({ _id: new Types.ObjectId(client.user.id) });
      expect(stored).toMatchObject({ firstName: 'Deleted', lastName: 'user' });
      await t.http
        .post('/api/auth/login')
        .send({ loginIdentifier: client.user.email, password: client.password, type: 'clients' })
        .expect(401);
    });
  });
});
