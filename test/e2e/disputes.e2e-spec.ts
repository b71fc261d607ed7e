import { CronService } from '../../src/modules/cron/cron.service.js';
import { JobCompletionService } from '../../src/modules/jobs/job-completion.service.js';
import { FakeClock } from '../support/fake-clock.js';
import * as marketplace from '../support/marketplace.js';
import { balanceOf } from '../support/money.js';
import {
  expectBalancedLedger,
  FakeGateways,
  hiredJob,
  move,
  notificationsOfType,
  paidJob as paidJobAt,
  paymentOf,
} from '../support/payments.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { connectSocket, nextEvent } from '../support/socket.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;

interface Dispute {
  id: string;
  job: string;
  openedBy: string;
  reason: string;
  description: string;
  status: string;
  awaitingFrom: string;
  respondBy: string;
  firstResponseAt: string | null;
  evidence: Array<{
    id: string;
    by: string;
    text: string | null;
    messages: Array<{ id: string; sender: string; text: string; sentAt: string }>;
  }>;
  outcome: string | null;
  clientAmount?: number;
  craftsmanAmount?: number;
  note: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

describe('Disputes', () => {
  const clock = new FakeClock();
  const gateways = new FakeGateways();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: await gateways.start() });
  });

  afterAll(async () => {
    await t?.close();
    await gateways.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    admin = await loginAsAdmin(t);
  });

  /** An escrow job, paid at Fawry and held, hired / on the way / in progress. */
  function paidJob(until: 'hired' | 'on_the_way' | 'in_progress' = 'in_progress', price = 10_000) {
    return paidJobAt(t, gateways, { until, price });
  }

  function openDispute(who: Session, body: Record<string, unknown>) {
    return t.http.post('/api/disputes').set('Authorization', who.bearer).send(body);
  }

  async function opened(who: Session, jobId: string, reason = 'poor_quality'): Promise<Dispute> {
    return (
      await openDispute(who, {
        jobId,
        reason,
        description: 'The work is not what was agreed.',
      }).expect(201)
    ).body as Dispute;
  }

  async function disputeOf(viewer: Session, id: string): Promise<Dispute> {
    return (await t.http.get(`/api/disputes/${id}`).set('Authorization', viewer.bearer).expect(200))
      .body as Dispute;
  }

  function resolve(who: Session, id: string, body: Record<string, unknown>) {
    return t.http
      .post(`/api/admin/disputes/${id}/resolve`)
      .set('Authorization', who.bearer)
      .send({ note: 'Decided on the evidence.', ...body });
  }

  function evidence(who: Session, id: string, body: Record<string, unknown>) {
    return t.http.post(`/api/disputes/${id}/evidence`).set('Authorization', who.bearer).send(body);
  }

  async function statusOf(viewer: Session, jobId: string): Promise<string> {
    return (await marketplace.getJob<{ id: string; status: string }>(t, viewer, jobId)).status;
  }

  async function disputesOfJob(jobId: string): Promise<number> {
    return t.connection.collection('disputes').countDocuments({ openKey: { $regex: `^${jobId}` } });
  }

  describe('opening', () => {
    it('should show the dispute live on both parties’ sockets as it opens and is resolved', async () => {
      const { client, craftsman, job } = await paidJob();
      const craftsmanSocket = await connectSocket(t, craftsman.accessToken);
      const clientSocket = await connectSocket(t, client.accessToken);
      try {
        const seenByCraftsman = nextEvent<Dispute>(craftsmanSocket, 'dispute.updated');
        const seenByClient = nextEvent<Dispute>(clientSocket, 'dispute.updated');
        const opened = (
          await openDispute(client, {
            jobId: job.id,
            reason: 'no_show',
            description: 'Nobody came on the day agreed.',
          }).expect(201)
        ).body as Dispute;
        expect(await seenByCraftsman).toMatchObject({ id: opened.id, status: 'open' });
        expect(await seenByClient).toMatchObject({ id: opened.id, status: 'open' });

        const resolved = nextEvent<Dispute>(
          craftsmanSocket,
          'dispute.updated',
          (dispute) => dispute.status === 'resolved',
        );
        await t.http
          .post(`/api/admin/disputes/${opened.id}/resolve`)
          .set('Authorization', admin.bearer)
          .send({ outcome: 'refund_client', note: 'The craftsman did not come.' })
          .expect(200);
        expect(await resolved).toMatchObject({ id: opened.id, outcome: 'refund_client' });
      } finally {
        craftsmanSocket.disconnect();
        clientSocket.disconnect();
      }
    });

    it('should open a dispute on a job in progress: the job is disputed and the other party told', async () => {
      const { client, craftsman, job } = await paidJob();
      const before = Date.now();
      const response = await openDispute(client, {
        jobId: job.id,
        reason: 'poor_quality',
        description: 'The heater still leaks.',
      }).expect(201);
      const dispute = response.body as Dispute;
      expect(dispute).toMatchObject({
        job: job.id,
        openedBy: client.user.id,
        reason: 'poor_quality',
        description: 'The heater still leaks.',
        status: 'open',
        awaitingFrom: craftsman.user.id,
        evidence: [],
        firstResponseAt: null,
        outcome: null,
      });
      const window = t.config.trust.disputeResponseWindowMs;
      const respondBy = new Date(dispute.respondBy).getTime();
      expect(respondBy).toBeGreaterThanOrEqual(
        clock.now().getTime() - (Date.now() - before) + window - 5_000,
      );
      expect(respondBy).toBeLessThanOrEqual(clock.now().getTime() + window);
      expect(await statusOf(client, job.id)).toBe('disputed');
      expect(await notificationsOfType(t, craftsman, 'dispute.opened')).toBe(1);
      expect(await notificationsOfType(t, client, 'dispute.opened')).toBe(0);

      // parties and staff see it; others don't
      expect((await disputeOf(craftsman, dispute.id)).id).toBe(dispute.id);
      expect((await disputeOf(admin, dispute.id)).id).toBe(dispute.id);
      const outsider = await newClient(t);
      await t.http
        .get(`/api/disputes/${dispute.id}`)
        .set('Authorization', outsider.bearer)
        .expect(403);
      const mine = await t.http
        .get('/api/disputes/mine')
        .set('Authorization', craftsman.bearer)
        .expect(200);
      expect(mine.body.data.map((d: Dispute) => d.id)).toEqual([dispute.id]);
      expect(mine.body.pagination).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 1 });
    });

    it('should refuse outsiders, staff, jobs not disputable and bad bodies', async () => {
      const { client, job } = await paidJob('hired');
      const outsider = await newCraftsman(t);
      const body = { jobId: job.id, reason: 'other', description: 'x' };
      await openDispute(outsider, body).expect(403);
      await openDispute(admin, body).expect(403);
      await openDispute(client, { ...body, reason: 'bored' }).expect(400);
      await openDispute(client, { ...body, description: '' }).expect(400);
      await openDispute(client, { ...body, description: 'x'.repeat(4001) }).expect(400);

      const posted = await marketplace.postJob(t, client, {
        title: 'Paint the hall',
        description: 'Two coats of white paint in the hall.',
        category: 'Plumbing',
      });
      const refused = await openDispute(client, { ...body, jobId: posted.id }).expect(409);
      expect(refused.body.code).toBe('JOB_NOT_DISPUTABLE');
      expect(await disputesOfJob(posted.id)).toBe(0);
    });

    it('should keep one open dispute per job when both parties open one at once', async () => {
      const { client, craftsman, job } = await paidJob();
      const body = { jobId: job.id, reason: 'incomplete', description: 'Half done.' };
      const answers = await Promise.all([
        openDispute(client, body),
        openDispute(craftsman, { ...body, reason: 'payment' }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      const loser = answers.find((answer) => answer.status === 409);
      expect(loser?.body.code).toBe('DISPUTE_EXISTS');
      expect(await disputesOfJob(job.id)).toBe(1);
      expect(await statusOf(client, job.id)).toBe('disputed');
      const again = await openDispute(client, body).expect(409);
      expect(again.body.code).toBe('DISPUTE_EXISTS');
    });

    it('should take a completed job within DISPUTE_WINDOW (−1 s) and refuse it after (+1 s)', async () => {
      const windowMs = t.config.trust.disputeWindowMs;
      async function completedJob() {
        const { client, craftsman, job } = await hiredJob(t, { paymentType: 'cash' });
        await move(t, craftsman, job.id, 'on_the_way');
        await move(t, craftsman, job.id, 'in_progress');
        const done = await move(t, client, job.id, 'completed');
        return { client, craftsman, job, completedAt: new Date(done.body.completedAt).getTime() };
      }
      const early = await completedJob();
      clock.advance(early.completedAt + windowMs - 1_000 - clock.now().getTime());
      await opened(early.craftsman, early.job.id, 'payment');
      expect(await statusOf(early.client, early.job.id)).toBe('disputed');

      const late = await completedJob();
      clock.advance(late.completedAt + windowMs + 1_000 - clock.now().getTime());
      const refused = await openDispute(late.client, {
        jobId: late.job.id,
        reason: 'damage',
        description: 'Found damage later.',
      }).expect(409);
      expect(refused.body.code).toBe('DISPUTE_WINDOW_CLOSED');
      // the job's status route keeps the same window
      const patched = await move(t, late.client, late.job.id, 'disputed', 409);
      expect(patched.body.code).toBe('DISPUTE_WINDOW_CLOSED');
      expect(await statusOf(late.client, late.job.id)).toBe('completed');
      expect(await disputesOfJob(late.job.id)).toBe(0);
    });

    it('should record exactly one dispute for a job disputed through PATCH /jobs/:id/status', async () => {
      const { client, craftsman, job } = await paidJob();
      await move(t, craftsman, job.id, 'disputed');
      expect(await disputesOfJob(job.id)).toBe(1);
      const mine = await t.http
        .get('/api/disputes/mine')
        .set('Authorization', client.bearer)
        .expect(200);
      expect(mine.body.data).toHaveLength(1);
      expect(mine.body.data[0]).toMatchObject({
        job: job.id,
        openedBy: craftsman.user.id,
        reason: 'other',
        status: 'open',
        awaitingFrom: client.user.id,
      });
      const refused = await openDispute(client, {
        jobId: job.id,
        reason: 'other',
        description: 'again',
      }).expect(409);
      expect(refused.body.code).toBe('DISPUTE_EXISTS');
      expect(await disputesOfJob(job.id)).toBe(1);
    });

    it('should block the release of a job disputed during its auto-complete window', async () => {
      const { client, craftsman, job, payment } = await paidJob();
      await t.http
        .post(`/api/jobs/${job.id}/request-completion`)
        .set('Authorization', craftsman.bearer)
        .expect(200);
      await opened(client, job.id, 'incomplete');
      clock.advance(t.config.money.autoCompleteAfterMs + HOUR);
      await t.app.get(JobCompletionService).autoCompleteDue();
      await t.app.get(CronService).sweepMoney();
      expect(await statusOf(client, job.id)).toBe('disputed');
      expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'held' });
      expect((await balanceOf(t, craftsman)).balance).toBe(0);
      await expectBalancedLedger(t, admin);
    });
  });

  describe('cancellation rules', () => {
    it('should refund in full a held payment when the client cancels a hired job', async () => {
      const { client, job, payment } = await paidJob('hired');
      await move(t, client, job.id, 'cancelled');
      await t.app.get(CronService).sweepMoney();
      const refunded = await paymentOf(t, client, payment.id);
      expect(refunded.status).toBe('refunded');
      expect(refunded.refundedAmount).toBe(payment.amount);
      await expectBalancedLedger(t, admin);
    });

    it('should refuse a cancel once on the way, and take a no_show dispute instead', async () => {
      const { client, job } = await paidJob('on_the_way');
      const refused = await move(t, client, job.id, 'cancelled', 409);
      expect(refused.body.code).toBe('INVALID_STATUS_TRANSITION');
      const dispute = await opened(client, job.id, 'no_show');
      expect(dispute.reason).toBe('no_show');
      expect(await statusOf(client, job.id)).toBe('disputed');
    });
  });

  describe('evidence', () => {
    /** A hired cash job whose parties have a conversation (the invitation was accepted). */
    async function jobWithConversation() {
      const client = await newClient(t);
      const craftsman = await newCraftsman(t);
      const job = await marketplace.postJob(t, client, {
        title: 'Fix the kitchen tap',
        description: 'The kitchen tap drips day and night.',
        category: 'Plumbing',
      });
      const invitation = await marketplace.inviteCraftsman(t, client, job.id, craftsman);
      const accepted = await t.http
        .post(`/api/invitations/${invitation.id}/accept`)
        .set('Authorization', craftsman.bearer)
        .expect(200);
      const conversationId = accepted.body.conversationId as string;
      await marketplace.hire(t, client, job.id, craftsman, 20_000);
      const say = async (who: Session, text: string) =>
        (
          await t.http
            .post(`/api/conversations/${conversationId}/messages`)
            .set('Authorization', who.bearer)
            .send({ text })
            .expect(201)
        ).body as { id: string; createdAt: string };
      return { client, craftsman, job, say };
    }

    it('should copy messages, renew respondBy for the other side and set firstResponseAt', async () => {
      const { client, craftsman, job, say } = await jobWithConversation();
      const promise = await say(craftsman, 'I will come on Sunday at 10.');
      const dispute = await opened(client, job.id, 'no_show');

      const first = await evidence(client, dispute.id, {
        text: 'He never came on Sunday.',
        messageIds: [promise.id],
      }).expect(201);
      const withEvidence = first.body as Dispute;
      expect(withEvidence.evidence).toHaveLength(1);
      expect(withEvidence.evidence[0]).toMatchObject({
        by: client.user.id,
        text: 'He never came on Sunday.',
        messages: [
          {
            id: promise.id,
            sender: craftsman.user.id,
            text: 'I will come on Sunday at 10.',
            sentAt: promise.createdAt,
          },
        ],
      });
      expect(withEvidence.firstResponseAt).toBeNull();
      expect(withEvidence.awaitingFrom).toBe(craftsman.user.id);
      expect(await notificationsOfType(t, craftsman, 'dispute.evidence')).toBe(1);

      clock.advance(HOUR);
      const answer = await evidence(craftsman, dispute.id, { text: 'The client was away.' }).expect(
        201,
      );
      const answered = answer.body as Dispute;
      expect(answered.evidence).toHaveLength(2);
      expect(answered.firstResponseAt).not.toBeNull();
      expect(answered.awaitingFrom).toBe(client.user.id);
      expect(new Date(answered.respondBy).getTime()).toBeGreaterThan(
        new Date(withEvidence.respondBy).getTime(),
      );
      expect(await notificationsOfType(t, client, 'dispute.evidence')).toBe(1);

      // the copy is stored as it read then, whatever the conversation holds later
      await say(craftsman, 'Sorry, I meant Monday.');
      const stored = await disputeOf(admin, dispute.id);
      expect(stored.evidence[0].messages[0].text).toBe('I will come on Sunday at 10.');
      expect(stored.firstResponseAt).toBe(answered.firstResponseAt);
    });

    it('should refuse no_payment while money is held', async () => {
      const { client, job } = await paidJob('in_progress', 10_000);
      const dispute = await opened(client, job.id);
      await resolve(admin, dispute.id, { outcome: 'no_payment' }).expect(400);
      expect((await disputeOf(admin, dispute.id)).status).toBe('open');
    });

    it('should refuse empty evidence, foreign messages, files and outsiders', async () => {
      const { client, craftsman, job, say } = await jobWithConversation();
      const dispute = await opened(craftsman, job.id, 'payment');
      await say(client, 'hello');
      await evidence(client, dispute.id, {}).expect(400);
      const other = await jobWithConversation();
      const foreign = await other.say(other.client, 'not yours');
      const refused = await evidence(client, dispute.id, { messageIds: [foreign.id] }).expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      const files = await evidence(client, dispute.id, {
        text: 'photo',
        fileIds: ['65f000000000000000000001'],
      }).expect(404);
      expect(files.body.code).toBe('NOT_FOUND');
      await evidence(await newClient(t), dispute.id, { text: 'me too' }).expect(403);
      expect((await disputeOf(client, dispute.id)).evidence).toHaveLength(0);
    });
  });

  describe('reminders and SLA alerts', () => {
    it('should remind the awaited party once per respondBy', async () => {
      const { client, craftsman, job } = await paidJob();
      await opened(client, job.id);
      const cron = t.app.get(CronService);
      const { disputeResponseWindowMs, disputeResponseReminderBeforeMs } = t.config.trust;
      clock.advance(disputeResponseWindowMs - disputeResponseReminderBeforeMs - 60_000);
      await cron.sweepDisputes();
      expect(await notificationsOfType(t, craftsman, 'dispute.response_reminder')).toBe(0);
      clock.advance(2 * 60_000);
      await Promise.all([cron.sweepDisputes(), t.app.get(CronService).sweepDisputes()]);
      await cron.sweepDisputes();
      expect(await notificationsOfType(t, craftsman, 'dispute.response_reminder')).toBe(1);
      expect(await notificationsOfType(t, client, 'dispute.response_reminder')).toBe(0);
    });

    it('should alert admins once of an unassigned and once of an unresolved dispute', async () => {
      const first = await paidJob();
      const second = await paidJob();
      const unattended = await opened(first.client, first.job.id);
      const taken = await opened(second.client, second.job.id);
      await t.http
        .post(`/api/admin/disputes/${taken.id}/assign`)
        .set('Authorization', admin.bearer)
        .expect(200);
      const cron = t.app.get(CronService);
      const alertsOf = async () => {
        const list = await t.http
          .get('/api/notifications')
          .query({ limit: 100 })
          .set('Authorization', admin.bearer)
          .expect(200);
        return (list.body.data as Array<{ type: string; data: Record<string, string> }>)
          .filter((n) => n.type === 'dispute.sla_alert')
          .map((n) => `${n.data.disputeId}:${n.data.kind}`)
          .sort();
      };
      clock.advance(t.config.trust.disputeUnassignedAlertAfterMs + 60_000);
      await cron.sweepDisputes();
      await cron.sweepDisputes();
      expect(await alertsOf()).toEqual([`${unattended.id}:unassigned`]);
      clock.advance(t.config.trust.disputeUnresolvedAlertAfterMs);
      await cron.sweepDisputes();
      await cron.sweepDisputes();
      expect(await alertsOf()).toEqual(
        [
          `${unattended.id}:unassigned`,
          `${unattended.id}:unresolved`,
          `${taken.id}:unresolved`,
        ].sort(),
      );
      const byDue = await t.http
        .get('/api/admin/disputes')
        .query({ status: 'open', sort: 'slaDue' })
        .set('Authorization', admin.bearer)
        .expect(200);
      expect(byDue.body.data.map((d: Dispute) => d.id)).toEqual([unattended.id, taken.id]);
    });
  });

  // these go through DisputeSettlementService (the money of a resolution)
  describe('resolution', () => {
    // no_payment is for a job with no money through the platform (a cash job)
    const OUTCOMES: Array<[string, Record<string, unknown>, string, string | null]> = [
      ['release_to_craftsman', {}, 'completed', 'released'],
      ['refund_client', {}, 'cancelled', 'refunded'],
      ['split', { clientAmount: 4_000, craftsmanAmount: 6_000 }, 'completed', null],
      ['no_payment', {}, 'completed', null],
    ];

    it.each(OUTCOMES)(
      'should resolve %s: the job moves, both sides are told and the ledger stays balanced',
      async (outcome, amounts, jobStatus, paymentStatus) => {
        const { client, craftsman, job, payment } =
          outcome === 'no_payment'
            ? { ...(await hiredJob(t, { paymentType: 'cash', price: 10_000 })), payment: null }
            : await paidJob('in_progress', 10_000);
        const dispute = await opened(client, job.id);
        const resolved = (await resolve(admin, dispute.id, { outcome, ...amounts }).expect(200))
          .body as Dispute;
        expect(resolved).toMatchObject({
          status: 'resolved',
          outcome,
          note: 'Decided on the evidence.',
        });
        expect(resolved.resolvedAt).not.toBeNull();
        await t.app.get(CronService).sweepMoney();
        expect(await statusOf(client, job.id)).toBe(jobStatus);
        if (payment && paymentStatus) {
          expect((await paymentOf(t, client, payment.id)).status).toBe(paymentStatus);
        }
        expect(await notificationsOfType(t, client, 'dispute.resolved')).toBe(1);
        expect(await notificationsOfType(t, craftsman, 'dispute.resolved')).toBe(1);
        await expectBalancedLedger(t, admin);

        // closed: no more evidence, no second resolution
        const late = await evidence(client, dispute.id, { text: 'one more thing' }).expect(409);
        expect(late.body.code).toBe('DISPUTE_CLOSED');
        const twice = await resolve(admin, dispute.id, { outcome: 'no_payment' }).expect(409);
        expect(twice.body.code).toBe('DISPUTE_CLOSED');
        // a new dispute may be opened on a job completed again by the resolution
        if (jobStatus === 'completed') {
          await opened(craftsman, job.id, 'payment');
        }
      },
    );

    it('should refuse split amounts that do not sum to what is held, moving nothing', async () => {
      const { client, craftsman, job, payment } = await paidJob('in_progress', 10_000);
      const dispute = await opened(client, job.id);
      const refused = await resolve(admin, dispute.id, {
        outcome: 'split',
        clientAmount: 4_000,
        craftsmanAmount: 5_000,
      }).expect(400);
      expect(refused.body.code).toBe('SPLIT_MISMATCH');
      expect((await disputeOf(admin, dispute.id)).status).toBe('open');
      expect(await statusOf(client, job.id)).toBe('disputed');
      expect(await paymentOf(t, client, payment.id)).toMatchObject({ status: 'held' });
      expect((await balanceOf(t, craftsman)).balance).toBe(0);
      await expectBalancedLedger(t, admin);
    });

    it('should let only admins resolve, and one resolution win of two at once', async () => {
      const { client, job } = await paidJob('in_progress', 10_000);
      const dispute = await opened(client, job.id);
      const moderator = await newModerator(t);
      await resolve(moderator, dispute.id, { outcome: 'refund_client' }).expect(403);
      const [a, b] = await Promise.all([
        resolve(admin, dispute.id, { outcome: 'refund_client' }),
        resolve(admin, dispute.id, { outcome: 'release_to_craftsman' }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      await t.app.get(CronService).sweepMoney();
      await expectBalancedLedger(t, admin);
    });

    it('should report opened, resolved and time-to-resolve on known data, and count per opener', async () => {
      const from = clock.now();
      const hours = [10, 20, 80];
      const openers: Session[] = [];
      for (const h of hours) {
        const { client, job } = await paidJob('in_progress', 10_000);
        const dispute = await opened(client, job.id);
        openers.push(client);
        clock.advance(h * HOUR);
        await resolve(admin, dispute.id, { outcome: 'refund_client' }).expect(200);
        clock.advance(-h * HOUR);
      }
      const pending = await paidJob('in_progress', 10_000);
      await opened(pending.craftsman, pending.job.id, 'payment');
      clock.advance(100 * HOUR);
      const report = await t.http
        .get('/api/admin/reports/disputes')
        .query({ from: from.toISOString(), to: clock.now().toISOString() })
        .set('Authorization', admin.bearer)
        .expect(200);
      expect(report.body).toEqual({
        opened: 4,
        resolved: 3,
        medianHoursToResolve: 20,
        p90HoursToResolve: 80,
        breaches72h: 1,
      });
      const users = await t.http
        .get('/api/admin/users')
        .query({ role: 'client', limit: 100 })
        .set('Authorization', admin.bearer)
        .expect(200);
      const counts = (users.body.data as Array<{ id: string; disputes: unknown }>).find(
        (user) => user.id === openers[0].user.id,
      );
      expect(counts?.disputes).toEqual({ opened: 1, open: 0, won: 1, lost: 0, other: 0 });
      await t.app.get(CronService).sweepMoney();
      await expectBalancedLedger(t, admin);
    });
  });
});
