import { SchedulerRegistry } from '@nestjs/schedule';
import { DomainEvents } from '../../src/common/events/domain-events.js';
import { Role } from '../../src/common/auth/role.js';
import { ServiceChangedEvent } from '../../src/modules/catalog/events/service-changed.event.js';
import { AccountDeletionService } from '../../src/modules/privacy/account-deletion.service.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { FakeClock } from '../support/fake-clock.js';
import * as marketplace from '../support/marketplace.js';
import { adjust } from '../support/money.js';
import { hiredJob } from '../support/payments.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { submitVerification } from '../support/uploads.js';

/** An entry of GET /admin/activity-log. */
interface Entry {
  id: string;
  actor: { id: string | null; role: string };
  action: string;
  target: { type: string; id: string };
  details: Record<string, unknown>;
  ip: string | null;
  createdAt: string;
  seq: number;
  digest: string;
}

interface Verification {
  ok: boolean;
  checked: number;
  head: { seq: number; digest: string };
  firstBreak?: { seq: number; id: string | null; reason: string; expected: string; actual: string };
}

const LOCALHOST = /^(::ffff:)?127\.0\.0\.1$/;
const WALLET = { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '010 0123 4567' };
const GRACE_MS = 14 * 24 * 3600_000;

describe('Activity log (/api/admin/activity-log)', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    // the sweeps run when a test says so
    t.app
      .get(SchedulerRegistry)
      .getCronJobs()
      .forEach((job) => void job.stop());
  });

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
  });

  async function log(query: Record<string, string | number> = {}): Promise<Entry[]> {
    const response = await t.http
      .get('/api/admin/activity-log')
      .query({ limit: 100, ...query })
      .set('Authorization', admin.bearer)
      .expect(200);
    return response.body.data as Entry[];
  }

  /** The one entry of `action` about `targetId`; fails unless there is exactly one. */
  async function onlyEntry(action: string, targetId: string): Promise<Entry> {
    const entries = await log({ action, targetId });
    expect(entries).toHaveLength(1);
    return entries[0];
  }

  async function verify(): Promise<Verification> {
    return (
      await t.http
        .get('/api/admin/activity-log/verify')
        .set('Authorization', admin.bearer)
        .expect(200)
    ).body as Verification;
  }

  const byPerson = (session: Session, role: string) => ({
    actor: { id: session.user.id, role },
    ip: expect.stringMatching(LOCALHOST),
  });

  describe('what is recorded', () => {
    it('should record registrations, staff creation (the seed admin’s by the system), bans and unbans', async () => {
      const client = await newClient(t);
      const moderator = await newModerator(t);
      await t.http
        .patch(`/api/admin/users/${client.user.id}/ban`)
        .set('Authorization', moderator.bearer)
        .send({ reason: 'Abusive messages' })
        .expect(200);
      await t.http
        .patch(`/api/admin/users/${client.user.id}/unban`)
        .set('Authorization', admin.bearer)
        .expect(200);

      expect(await onlyEntry('user.registered', client.user.id)).toMatchObject({
        ...byPerson(client, 'client'),
        target: { type: 'user', id: client.user.id },
        details: { role: 'client' },
      });
      expect(await onlyEntry('staff.created', moderator.user.id)).toMatchObject({
        ...byPerson(admin, 'admin'),
        target: { type: 'user', id: moderator.user.id },
        details: { role: 'moderator' },
      });
      expect(await onlyEntry('staff.created', admin.user.id)).toMatchObject({
        actor: { id: null, role: 'system' },
        ip: null,
        details: { role: 'admin' },
      });
      expect(await onlyEntry('user.banned', client.user.id)).toMatchObject({
        ...byPerson(moderator, 'moderator'),
        details: { reason: 'Abusive messages' },
      });
      expect(await onlyEntry('user.unbanned', client.user.id)).toMatchObject(
        byPerson(admin, 'admin'),
      );
      // a staff account is not also a registration
      expect(await log({ action: 'user.registered', targetId: moderator.user.id })).toEqual([]);
    });

    it('should record verification decisions, with the reason of a rejection', async () => {
      const approved = await newCraftsman(t);
      const rejected = await newCraftsman(t);
      for (const craftsman of [approved, rejected]) {
        await submitVerification(t, craftsman);
      }
      await t.http
        .post(`/api/admin/verifications/${approved.user.id}/approve`)
        .set('Authorization', admin.bearer)
        .expect(200);
      await t.http
        .post(`/api/admin/verifications/${rejected.user.id}/reject`)
        .set('Authorization', admin.bearer)
        .send({ reason: 'The ID is not readable' })
        .expect(200);

      expect(await onlyEntry('verification.approved', approved.user.id)).toMatchObject({
        ...byPerson(admin, 'admin'),
        target: { type: 'user', id: approved.user.id },
      });
      expect(await onlyEntry('verification.rejected', rejected.user.id)).toMatchObject({
        ...byPerson(admin, 'admin'),
        details: { reason: 'The ID is not readable' },
      });
    });

    it('should record every change of the services catalog', async () => {
      const moderator = await newModerator(t);
      const created = await t.http
        .post('/api/services')
        .set('Authorization', moderator.bearer)
        .send({ name: 'Roofing', description: 'Roofs and gutters' })
        .expect(201);
      const id = created.body.id as string;
      for (const name of ['Roof repair', 'Roofs']) {
        await t.http
          .put(`/api/services/${id}`)
          .set('Authorization', admin.bearer)
          .send({ name })
          .expect(200);
      }
      await t.http.delete(`/api/services/${id}`).set('Authorization', admin.bearer).expect(200);

      const entries = await log({ targetType: 'service', targetId: id });
      expect(entries.map((entry) => [entry.action, entry.details.name, entry.actor.role])).toEqual([
        ['service.deleted', 'Roofs', 'admin'],
        ['service.updated', 'Roofs', 'admin'],
        ['service.updated', 'Roof repair', 'admin'],
        ['service.created', 'Roofing', 'moderator'],
      ]);
      expect(entries.every((entry) => LOCALHOST.test(entry.ip ?? ''))).toBe(true);
    });

    it('should record every change of the FAQ', async () => {
      const moderator = await newModerator(t);
      const created = await t.http
        .post('/api/admin/faq')
        .set('Authorization', moderator.bearer)
        .send({
          topic: 'roof-leaks',
          language: 'en',
          question: 'Do you fix roofs?',
          answer: 'Post a job in the Roofing category.',
        })
        .expect(201);
      const id = created.body.id as string;
      await t.http
        .put(`/api/admin/faq/${id}`)
        .set('Authorization', admin.bearer)
        .send({ answer: 'Post a job in the Roofing category and invite roofers.' })
        .expect(200);
      await t.http.delete(`/api/admin/faq/${id}`).set('Authorization', admin.bearer).expect(200);

      const entries = await log({ targetType: 'faq_entry', targetId: id });
      expect(entries.map((entry) => [entry.action, entry.details.topic, entry.actor.role])).toEqual(
        [
          ['faq.deleted', 'roof-leaks', 'admin'],
          ['faq.updated', 'roof-leaks', 'admin'],
          ['faq.created', 'roof-leaks', 'moderator'],
        ],
      );
    });

    it('should record a forced cancellation of a job and other moves made by staff, not the parties’', async () => {
      const client = await newClient(t);
      const cancelled = await marketplace.postJob(t, client);
      const hired = await hiredJob(t, { paymentType: 'cash' });
      await t.http
        .delete(`/api/admin/jobs/${cancelled.id}`)
        .set('Authorization', admin.bearer)
        .expect(200);
      await t.http
        .patch(`/api/jobs/${hired.job.id}/status`)
        .set('Authorization', hired.craftsman.bearer)
        .send({ status: 'on_the_way' })
        .expect(200);
      const moderator = await newModerator(t);
      await t.http
        .patch(`/api/jobs/${hired.job.id}/status`)
        .set('Authorization', moderator.bearer)
        .send({ status: 'in_progress' })
        .expect(200);

      expect(await onlyEntry('job.force_cancelled', cancelled.id)).toMatchObject({
        ...byPerson(admin, 'admin'),
        target: { type: 'job', id: cancelled.id },
        details: { from: 'posted', to: 'cancelled' },
      });
      expect(await log({ targetType: 'job', targetId: hired.job.id })).toEqual([
        expect.objectContaining({
          action: 'job.status_forced',
          ...byPerson(moderator, 'moderator'),
          details: { from: 'on_the_way', to: 'in_progress' },
        }),
      ]);
    });

    it('should record a dispute taken and resolved by an admin', async () => {
      const { client, job } = await hiredJob(t, { paymentType: 'cash' });
      const dispute = (
        await t.http
          .post('/api/disputes')
          .set('Authorization', client.bearer)
          .send({ jobId: job.id, reason: 'no_show', description: 'He never came.' })
          .expect(201)
      ).body as { id: string };
      await t.http
        .post(`/api/admin/disputes/${dispute.id}/assign`)
        .set('Authorization', admin.bearer)
        .expect(200);
      await t.http
        .post(`/api/admin/disputes/${dispute.id}/resolve`)
        .set('Authorization', admin.bearer)
        .send({ outcome: 'no_payment', note: 'Settled in cash between them.' })
        .expect(200);

      expect(await log({ targetType: 'dispute', targetId: dispute.id })).toEqual([
        expect.objectContaining({
          action: 'dispute.resolved',
          ...byPerson(admin, 'admin'),
          details: { job: job.id, outcome: 'no_payment' },
        }),
        expect.objectContaining({
          action: 'dispute.assigned',
          ...byPerson(admin, 'admin'),
          details: { job: job.id },
        }),
      ]);
    });

    it('should record ledger adjustments and payouts marked paid or failed', async () => {
      const craftsman = await newCraftsman(t);
      const credit = await adjust(t, admin, craftsman, 30_000, 'Goodwill for a late payout');
      const withdraw = async () =>
        (
          await t.http
            .post('/api/wallet/withdraw')
            .set('Authorization', craftsman.bearer)
            .send({ amount: 10_000, destination: WALLET })
            .expect(201)
        ).body as { id: string };
      const paid = await withdraw();
      const failed = await withdraw();
      await t.http
        .post(`/api/admin/withdrawals/${paid.id}/mark-paid`)
        .set('Authorization', admin.bearer)
        .send({ reference: 'TRX-1001' })
        .expect(200);
      await t.http
        .post(`/api/admin/withdrawals/${failed.id}/mark-failed`)
        .set('Authorization', admin.bearer)
        .send({ reason: 'The wallet number does not exist' })
        .expect(200);

      expect(await onlyEntry('wallet.adjusted', craftsman.user.id)).toMatchObject({
        ...byPerson(admin, 'admin'),
        target: { type: 'user', id: craftsman.user.id },
        details: { entry: credit.id, amount: 30_000, reason: 'Goodwill for a late payout' },
      });
      expect(await onlyEntry('payout.paid', paid.id)).toMatchObject({
        ...byPerson(admin, 'admin'),
        target: { type: 'withdrawal', id: paid.id },
        details: {
          craftsman: craftsman.user.id,
          amount: 10_000,
          provider: 'manual',
          reference: 'TRX-1001',
        },
      });
      expect(await onlyEntry('payout.failed', failed.id)).toMatchObject({
        ...byPerson(admin, 'admin'),
        details: { reason: 'The wallet number does not exist' },
      });
    });

    it('should record a deletion requested, cancelled, requested again, and done by the system', async () => {
      const client = await newClient(t);
      const request = () =>
        t.http
          .post('/api/users/me/deletion')
          .set('Authorization', client.bearer)
          .send({ password: client.password })
          .expect(202);
      await request();
      await t.http.delete('/api/users/me/deletion').set('Authorization', client.bearer).expect(200);
      clock.advance(60_000);
      const scheduled = (await request()).body as { scheduledFor: string };
      await request(); // asked twice: the same deletion, recorded once
      clock.advance(GRACE_MS + 60_000);
      expect(await t.app.get(AccountDeletionService).runDue()).toBe(1);

      const entries = await log({ targetId: client.user.id });
      expect(entries.map((entry) => entry.action)).toEqual([
        'account.deleted',
        'account.deletion_requested',
        'account.deletion_cancelled',
        'account.deletion_requested',
        'user.registered',
      ]);
      expect(entries[0]).toMatchObject({ actor: { id: null, role: 'system' }, ip: null });
      expect(entries[1]).toMatchObject({
        ...byPerson(client, 'client'),
        details: { scheduledFor: scheduled.scheduledFor },
      });
      expect(entries[2]).toMatchObject(byPerson(client, 'client'));
    });
  });

  describe('listing', () => {
    it('should filter by actor (or the system), action, target and time, newest first, by cursor', async () => {
      const moderator = await newModerator(t);
      const first = await newClient(t);
      const second = await newClient(t);
      const startOfBans = clock.now();
      clock.advance(1_000);
      for (const target of [first, second]) {
        await t.http
          .patch(`/api/admin/users/${target.user.id}/ban`)
          .set('Authorization', moderator.bearer)
          .send({ reason: 'Spam' })
          .expect(200);
        clock.advance(1_000);
      }

      const byModerator = await log({ actor: moderator.user.id });
      expect(byModerator.map((entry) => [entry.action, entry.target.id])).toEqual([
        ['user.banned', second.user.id],
        ['user.banned', first.user.id],
      ]);
      expect((await log({ actor: 'system' })).map((entry) => entry.action)).toEqual([
        'staff.created',
      ]);
      expect((await log({ action: 'user.registered' })).map((entry) => entry.target.id)).toEqual([
        second.user.id,
        first.user.id,
      ]);
      expect(await log({ targetType: 'user', targetId: first.user.id })).toHaveLength(2);
      expect(
        (
          await log({
            from: new Date(startOfBans.getTime() + 500).toISOString(),
            to: new Date(startOfBans.getTime() + 1_500).toISOString(),
          })
        ).map((entry) => entry.target.id),
      ).toEqual([first.user.id]);

      const page = await t.http
        .get('/api/admin/activity-log')
        .query({ limit: 2 })
        .set('Authorization', admin.bearer)
        .expect(200);
      expect(page.body.pagination).toMatchObject({ page: 1, limit: 2, totalItems: 6 });
      const next = await t.http
        .get('/api/admin/activity-log')
        .query({ limit: 2, after: page.body.pagination.nextCursor as string })
        .set('Authorization', admin.bearer)
        .expect(200);
      const seqs = [...page.body.data, ...next.body.data].map((entry: Entry) => entry.seq);
      expect(seqs).toEqual([6, 5, 4, 3]);
    });

    it('should refuse a bad filter', async () => {
      for (const query of [
        { actor: 'nobody' },
        { action: 'user.sneezed' },
        { from: 'yesterday' },
        { from: '1' },
        { from: '2026-05-01', to: '2026-01-01' },
      ]) {
        const response = await t.http
          .get('/api/admin/activity-log')
          .query(query)
          .set('Authorization', admin.bearer)
          .expect(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('should be for admins only: a moderator, a client and a craftsman get 403', async () => {
      const others = [await newModerator(t), await newClient(t), await newCraftsman(t)];
      for (const other of others) {
        for (const path of ['/api/admin/activity-log', '/api/admin/activity-log/verify']) {
          const response = await t.http.get(path).set('Authorization', other.bearer).expect(403);
          expect(response.body.code).toBe('FORBIDDEN');
        }
      }
      await t.http.get('/api/admin/activity-log').expect(401);
    });
  });

  describe('idempotency', () => {
    it('should record nothing twice when an action’s event is published again', async () => {
      const craftsman = await newCraftsman(t);
      // a retried adjustment (the same Idempotency-Key) names the same ledger entry
      for (let i = 0; i < 2; i += 1) {
        await t.http
          .post(`/api/admin/wallets/${craftsman.user.id}/adjustments`)
          .set('Authorization', admin.bearer)
          .set('Idempotency-Key', 'goodwill-1')
          .send({ amount: 5_000, reason: 'Goodwill' })
          .expect(201);
      }
      const created = await t.http
        .post('/api/services')
        .set('Authorization', admin.bearer)
        .send({ name: 'Welding' })
        .expect(201);
      const before = await log();
      // the same event published again, as a retry or a sweep would
      const replay = new ServiceChangedEvent(
        created.body.id as string,
        'created',
        'Welding',
        { id: admin.user.id, role: Role.Admin },
        new Date(),
      );
      await t.app.get(DomainEvents).publish(replay);
      await t.app.get(DomainEvents).publish(replay);
      // a ban's sweep publishes every ban not known to be settled again
      const client = await newClient(t);
      await t.http
        .patch(`/api/admin/users/${client.user.id}/ban`)
        .set('Authorization', admin.bearer)
        .send({ reason: 'Spam' })
        .expect(200);
      await t.connection
        .collection('users')
        .updateOne({ email: client.user.email }, { $set: { banSettled: false } });
      clock.advance(120_000);
      expect(await t.app.get(UsersService).settleBans()).toBe(1);

      const after = await log();
      expect(after.slice(2).map((entry) => entry.id)).toEqual(before.map((entry) => entry.id));
      expect(after.slice(0, 2).map((entry) => entry.action)).toEqual([
        'user.banned',
        'user.registered',
      ]);
      expect(await log({ action: 'wallet.adjusted' })).toHaveLength(1);
      expect((await verify()).ok).toBe(true);
    });
  });

  describe('the hash chain', () => {
    it('should verify an untouched chain, and report the first entry edited in the database', async () => {
      const client = await newClient(t);
      await newClient(t);
      await t.http
        .patch(`/api/admin/users/${client.user.id}/ban`)
        .set('Authorization', admin.bearer)
        .send({ reason: 'Spam' })
        .expect(200);
      expect(await verify()).toMatchObject({ ok: true, checked: 4, head: { seq: 4 } });

      const ban = await onlyEntry('user.banned', client.user.id);
      await t.connection
        .collection('activity_log')
        .updateOne({ seq: ban.seq }, { $set: { 'details.reason': 'Nothing wrong' } });
      await t.connection
        .collection('activity_log')
        .updateOne({ seq: 3 }, { $set: { ip: '10.0.0.1' } });

      const broken = await verify();
      expect(broken).toMatchObject({
        ok: false,
        checked: 2,
        firstBreak: { seq: 3, reason: 'hash_mismatch' },
      });
      const third = (await log()).find((entry) => entry.seq === 3)!;
      expect(broken.firstBreak).toMatchObject({ id: third.id, actual: third.digest });
      expect(broken.firstBreak!.expected).not.toBe(third.digest);
    });

    it('should report an entry removed, and the last entries removed', async () => {
      await newClient(t);
      await newClient(t);
      await newClient(t);
      await t.connection.collection('activity_log').deleteOne({ seq: 4 });
      expect((await verify()).firstBreak).toMatchObject({
        seq: 4,
        id: null,
        reason: 'missing_entry',
      });
      await t.connection.collection('activity_log').deleteOne({ seq: 2 });
      expect(await verify()).toMatchObject({
        ok: false,
        checked: 1,
        firstBreak: { seq: 2, reason: 'missing_entry', expected: 'seq 2', actual: 'seq 3' },
      });
    });

    it('should keep one chain under concurrent actions, and carry on after a crash left the head behind', async () => {
      const names = Array.from({ length: 8 }, (_, i) => `Trade ${i}`);
      await Promise.all(
        names.map((name) =>
          t.http
            .post('/api/services')
            .set('Authorization', admin.bearer)
            .send({ name })
            .expect(201),
        ),
      );
      expect(await verify()).toMatchObject({ ok: true, checked: 9, head: { seq: 9 } });

      // a crash between an entry's insert and its head's move: the head names the one before
      const eighth = (await log()).find((entry) => entry.seq === 8)!;
      await t.connection
        .collection('activity_log_head')
        .updateOne({ _id: 'head' as never }, { $set: { seq: 8, hash: eighth.digest } });
      expect((await verify()).ok).toBe(true);
      await newClient(t);

      const entries = await log();
      expect(entries.map((entry) => entry.seq)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      expect(await verify()).toMatchObject({ ok: true, checked: 10, head: { seq: 10 } });
    });
  });
});
