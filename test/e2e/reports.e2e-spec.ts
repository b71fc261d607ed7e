import { InvitationAcceptedEvent } from '../../src/modules/invitations/events/invitation-accepted.event.js';
import { JobCreatedEvent } from '../../src/modules/jobs/events/job-created.event.js';
import { JobStatusChangedEvent } from '../../src/modules/jobs/events/job-status-changed.event.js';
import { JobStatus } from '../../src/modules/jobs/job-status.js';
import { LedgerEntryPostedEvent } from '../../src/modules/money/ledger/events/ledger-entry-posted.event.js';
import { LedgerService } from '../../src/modules/money/ledger/ledger.service.js';
import { Granularity } from '../../src/modules/reports/report-calendar.js';
import { ReportsService } from '../../src/modules/reports/reports.service.js';
import { RollupListener } from '../../src/modules/reports/rollup.listener.js';
import { FakeClock } from '../support/fake-clock.js';
import { getJob, postJob } from '../support/marketplace.js';
import { adjust, balanceOf } from '../support/money.js';
import { FakeGateways, initiate, move, payAtFawry, type Payment } from '../support/payments.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** `GET /admin/reports/overview`, one period. */
interface Period {
  period: string;
  from: string;
  to: string;
  jobsPosted: number;
  jobsQuoted: number;
  quotedShare: number | null;
  medianHoursToFirstQuote: number | null;
  jobsHired: number;
  hireRate: number | null;
  invitationsSent: number;
  invitationsAccepted: number;
  invitationAcceptanceRate: number | null;
  jobsCompleted: number;
  jobsCancelled: number;
  completionRate: number | null;
  cancellationRate: number | null;
  disputesOpened: number;
  disputeRate: number | null;
  gmv: { escrow: number; cashProtected: number; cash: number; total: number };
  platformFees: number;
  feeDebtOutstanding: number;
  payoutsPaid: number;
  payoutsWithinSla: number;
  payoutsWithinSlaRate: number | null;
}

interface Overview {
  from: string;
  to: string;
  granularity: string;
  timeZone: string;
  weekStartsOn: string;
  periods: Period[];
}

interface JobView {
  id: string;
  statusHistory: Array<{ from?: string; to: string; at: string }>;
}

const HOUR_MS = 3_600_000;
// Wednesday 13 January 2027, 09:00 in Cairo (UTC+2 in winter): D1; D2 and D3 follow; D8 is the
// next Wednesday. Weeks start on Saturday: 9–15 January, then 16–22 January.
const D1_MORNING = Date.parse('2027-01-13T07:00:00Z');
const [D1, D2, D3, D8] = ['2027-01-13', '2027-01-14', '2027-01-15', '2027-01-20'];
const WALLET = { type: 'mobile_wallet', accountName: 'Karim Adel', msisdn: '010 0123 4567' };

describe('Reports: the marketplace overview from daily rollups', () => {
  const clock = new FakeClock();
  const gateways = new FakeGateways();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: await gateways.start() });
    admin = await loginAsAdmin(t);
  });

  afterAll(async () => {
    await t.close();
    await gateways.close();
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  async function overview(query: Record<string, string>): Promise<Overview> {
    return (await t.http.get('/api/admin/reports/overview').set(as(admin)).query(query).expect(200))
      .body as Overview;
  }

  async function quote(craftsman: Session, jobId: string, price: number): Promise<string> {
    const response = await t.http
      .post(`/api/jobs/${jobId}/quotes`)
      .set(as(craftsman))
      .send({ price })
      .expect(201);
    return response.body.id as string;
  }

  async function accept(client: Session, jobId: string, quoteId: string): Promise<void> {
    await t.http.post(`/api/jobs/${jobId}/quotes/${quoteId}/accept`).set(as(client)).expect(200);
  }

  async function invite(client: Session, jobId: string, craftsman: Session): Promise<string> {
    const response = await t.http
      .post(`/api/jobs/${jobId}/invite`)
      .set(as(client))
      .send({ craftsmanId: craftsman.user.id })
      .expect(201);
    return response.body.id as string;
  }

  /** Whole minutes from a job's posting to its first quote, from its history as the API shows it. */
  async function minutesToFirstQuote(client: Session, jobId: string): Promise<number> {
    const job = await getJob<JobView>(t, client, jobId);
    const posted = Date.parse(job.statusHistory[0].at);
    const quoted = job.statusHistory.find((move) => move.from === 'posted')!;
    return Math.floor((Date.parse(quoted.at) - posted) / 60_000);
  }

  /** The stored rollups, normalized: counted keys and minutes are sets, not sequences. */
  async function storedRollups(): Promise<Array<Record<string, unknown>>> {
    const documents = await t.connection
      .collection('daily_rollups')
      .find({}, { sort: { _id: 1 } })
      .toArray();
    return documents.map(({ counted, firstQuoteMinutes, ...counters }) => ({
      ...Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0)),
      counted: [...((counted as string[] | undefined) ?? [])].sort(),
      firstQuoteMinutes: [...((firstQuoteMinutes as number[] | undefined) ?? [])].sort(
        (a, b) => a - b,
      ),
    }));
  }

  describe('after a week of activity', () => {
    let clientA: Session;
    let clientB: Session;
    /** Hired on cash job J1, escrow job J2, cash job J6. */
    let c1: Session;
    let c2: Session;
    let c6: Session;
    const jobs: Record<string, string> = {};
    const minutes: number[] = [];
    let invitationAccepted: { id: string; jobId: string; craftsmanId: string };
    let disputeMoveAt: Date;
    const payouts: string[] = [];

    beforeAll(async () => {
      clock.advance(D1_MORNING - clock.now().getTime());
      clientA = await newClient(t);
      clientB = await newClient(t);
      [c1, c2, c6] = await Promise.all([newCraftsman(t), newCraftsman(t), newCraftsman(t)]);
      const [c4, c5] = await Promise.all([newCraftsman(t), newCraftsman(t)]);

      // ---- D1: five jobs posted, three quoted (30, 90, 120 minutes), two hired, one cancelled
      const post = async (client: Session, paymentType: string) =>
        (await postJob(t, client, { paymentType })).id;
      jobs.J1 = await post(clientA, 'cash');
      jobs.J2 = await post(clientA, 'escrow');
      jobs.J3 = await post(clientB, 'cash');
      jobs.J4 = await post(clientB, 'cash');
      jobs.J5 = await post(clientB, 'cash');
      const toC4 = await invite(clientB, jobs.J3, c4);
      const toC5 = await invite(clientB, jobs.J4, c5);
      clock.advance(0.5 * HOUR_MS);
      const q2 = await quote(c2, jobs.J2, 20_000);
      clock.advance(HOUR_MS);
      const q1 = await quote(c1, jobs.J1, 30_000);
      await t.http.post(`/api/invitations/${toC4}/accept`).set(as(c4)).expect(200);
      await t.http
        .post(`/api/invitations/${toC5}/reject`)
        .set(as(c5))
        .send({ reasonCode: 'busy' })
        .expect(200);
      invitationAccepted = { id: toC4, jobId: jobs.J3, craftsmanId: c4.user.id };
      clock.advance(0.5 * HOUR_MS);
      await accept(clientA, jobs.J1, q1);
      await accept(clientA, jobs.J2, q2);
      const payment = (
        await initiate(t, clientA, { jobId: jobs.J2, provider: 'fawry' }).expect(201)
      ).body as Payment;
      await payAtFawry(t, gateways, payment);
      for (const [craftsman, jobId] of [
        [c1, jobs.J1],
        [c2, jobs.J2],
      ] as const) {
        await move(t, craftsman, jobId, 'on_the_way');
        await move(t, craftsman, jobId, 'in_progress');
      }
      await quote(c4, jobs.J3, 9_000);
      await t.http.delete(`/api/jobs/${jobs.J3}`).set(as(clientB)).expect(200);
      for (const [client, jobId] of [
        [clientA, jobs.J1],
        [clientA, jobs.J2],
        [clientB, jobs.J3],
      ] as const) {
        minutes.push(await minutesToFirstQuote(client, jobId));
      }

      // ---- D2: both hired jobs completed (cash 30,000, escrow 20,000), J4 cancelled unquoted
      clock.advance(24 * HOUR_MS);
      await move(t, clientA, jobs.J1, 'completed');
      await move(t, clientA, jobs.J2, 'completed');
      await t.http.delete(`/api/jobs/${jobs.J4}`).set(as(clientB)).expect(200);

      // ---- D3: J6 posted, hired, disputed and resolved (completed, no payment); C1 settles
      // his fee with a credit; C2 is paid out one withdrawal and asks for another
      clock.advance(24 * HOUR_MS);
      jobs.J6 = await post(clientA, 'cash');
      await accept(clientA, jobs.J6, await quote(c6, jobs.J6, 15_000));
      minutes.push(await minutesToFirstQuote(clientA, jobs.J6));
      await move(t, c6, jobs.J6, 'on_the_way');
      await move(t, c6, jobs.J6, 'in_progress');
      const dispute = await t.http
        .post('/api/disputes')
        .set(as(clientA))
        .send({ jobId: jobs.J6, reason: 'poor_quality', description: 'The tap still drips.' })
        .expect(201);
      disputeMoveAt = new Date(
        (await getJob<JobView>(t, clientA, jobs.J6)).statusHistory.find(
          (entry) => entry.to === 'disputed',
        )!.at,
      );
      await t.http
        .post(`/api/admin/disputes/${dispute.body.id}/resolve`)
        .set(as(admin))
        .send({ outcome: 'no_payment', note: 'Settled between them in cash.' })
        .expect(200);
      await adjust(t, admin, c1, 3_000);
      for (let i = 0; i < 2; i += 1) {
        const withdrawal = await t.http
          .post('/api/wallet/withdraw')
          .set(as(c2))
          .send({ amount: 6_000, destination: WALLET })
          .expect(201);
        payouts.push(withdrawal.body.id as string);
      }
      await t.http
        .post(`/api/admin/withdrawals/${payouts[0]}/mark-paid`)
        .set(as(admin))
        .send({ reference: 'NBE-1' })
        .expect(200);

      // ---- D8: the second payout, three days after its expectedBy (Monday 18 January)
      clock.advance(5 * 24 * HOUR_MS);
      await t.http
        .post(`/api/admin/withdrawals/${payouts[1]}/mark-paid`)
        .set(as(admin))
        .send({ reference: 'NBE-2' })
        .expect(200);
    });

    it('should give each day the figures of what happened on it', async () => {
      const report = await overview({ from: D1, to: D8 });
      const feesOwedByC6 = (await balanceOf(t, c6)).feesOwed;
      expect(report).toMatchObject({
        from: D1,
        to: D8,
        granularity: 'day',
        timeZone: 'Africa/Cairo',
        weekStartsOn: 'saturday',
      });
      expect(report.periods.map((period) => period.period)).toEqual([
        D1,
        D2,
        D3,
        '2027-01-16',
        '2027-01-17',
        '2027-01-18',
        '2027-01-19',
        D8,
      ]);
      const [d1, d2, d3, gap, , , , d8] = report.periods;
      const sorted = minutes.slice(0, 3).sort((a, b) => a - b);
      expect(sorted.map((m) => Math.round(m / 30))).toEqual([1, 3, 4]);
      expect(d1).toMatchObject({
        jobsPosted: 5,
        jobsQuoted: 3,
        quotedShare: 0.6,
        medianHoursToFirstQuote: Math.round((sorted[1] / 60) * 100) / 100,
        jobsHired: 2,
        hireRate: 0.4,
        invitationsSent: 2,
        invitationsAccepted: 1,
        invitationAcceptanceRate: 0.5,
        jobsCompleted: 0,
        jobsCancelled: 1,
        completionRate: 0,
        cancellationRate: 1,
        disputesOpened: 0,
        disputeRate: null,
        gmv: { escrow: 0, cashProtected: 0, cash: 0, total: 0 },
        platformFees: 0,
        feeDebtOutstanding: 0,
        payoutsPaid: 0,
        payoutsWithinSlaRate: null,
      });
      // 10 % fees: C1's 3,000 owed (cash), 2,000 kept from C2's release (escrow)
      expect(d2).toMatchObject({
        jobsPosted: 0,
        quotedShare: null,
        jobsCompleted: 2,
        jobsCancelled: 1,
        completionRate: 0.6667,
        cancellationRate: 0.3333,
        gmv: { escrow: 20_000, cashProtected: 0, cash: 30_000, total: 50_000 },
        platformFees: 5_000,
        feeDebtOutstanding: 3_000,
      });
      expect(d3).toMatchObject({
        jobsPosted: 1,
        jobsQuoted: 1,
        medianHoursToFirstQuote: Math.round((minutes[3] / 60) * 100) / 100,
        jobsHired: 1,
        hireRate: 1,
        jobsCompleted: 1,
        disputesOpened: 1,
        disputeRate: 1,
        gmv: { escrow: 0, cashProtected: 0, cash: 15_000, total: 15_000 },
        platformFees: feesOwedByC6,
        // C1's credit paid his 3,000
        feeDebtOutstanding: feesOwedByC6,
        payoutsPaid: 1,
        payoutsWithinSla: 1,
        payoutsWithinSlaRate: 1,
      });
      expect(gap).toMatchObject({
        jobsPosted: 0,
        jobsCompleted: 0,
        gmv: { escrow: 0, cashProtected: 0, cash: 0, total: 0 },
        platformFees: 0,
        feeDebtOutstanding: feesOwedByC6,
        payoutsPaid: 0,
      });
      expect(d8).toMatchObject({ payoutsPaid: 1, payoutsWithinSla: 0, payoutsWithinSlaRate: 0 });
      // the fee debt at the end is what the craftsmen's wallets say they owe
      const owed = await Promise.all([c1, c2, c6].map((c) => balanceOf(t, c)));
      expect(d8.feeDebtOutstanding).toBe(owed.reduce((sum, balance) => sum + balance.feesOwed, 0));
    });

    it('should group days into Saturday-to-Friday weeks and months, clipped to the range', async () => {
      const weeks = await overview({ from: D1, to: D8, granularity: 'week' });
      const sorted = [...minutes].sort((a, b) => a - b);
      expect(weeks.periods).toHaveLength(2);
      expect(weeks.periods[0]).toMatchObject({
        period: '2027-01-09',
        from: D1,
        to: D3,
        jobsPosted: 6,
        jobsQuoted: 4,
        quotedShare: 0.6667,
        medianHoursToFirstQuote: Math.round((sorted[1] / 60) * 100) / 100,
        jobsHired: 3,
        hireRate: 0.5,
        jobsCompleted: 3,
        jobsCancelled: 2,
        completionRate: 0.6,
        disputesOpened: 1,
        disputeRate: 0.3333,
        gmv: { escrow: 20_000, cashProtected: 0, cash: 45_000, total: 65_000 },
        payoutsPaid: 1,
      });
      expect(weeks.periods[1]).toMatchObject({
        period: '2027-01-16',
        from: '2027-01-16',
        to: D8,
        jobsPosted: 0,
        payoutsPaid: 1,
        payoutsWithinSlaRate: 0,
        feeDebtOutstanding: weeks.periods[0].feeDebtOutstanding,
      });
      const months = await overview({ from: '2026-12-01', to: '2027-02-28', granularity: 'month' });
      expect(months.periods.map((p) => [p.period, p.from, p.to, p.jobsPosted])).toEqual([
        ['2026-12', '2026-12-01', '2026-12-31', 0],
        ['2027-01', '2027-01-01', '2027-01-31', 6],
        ['2027-02', '2027-02-01', '2027-02-28', 0],
      ]);
      expect(months.periods[1]).toMatchObject({
        ...weeks.periods[0],
        period: '2027-01',
        from: '2027-01-01',
        to: '2027-01-31',
        payoutsPaid: 2,
        payoutsWithinSla: 1,
        payoutsWithinSlaRate: 0.5,
      });
    });

    it('should answer CSV with format=csv: a header and one row per period', async () => {
      const json = await overview({ from: D1, to: D8, granularity: 'week' });
      const response = await t.http
        .get('/api/admin/reports/overview')
        .set(as(admin))
        .query({ from: D1, to: D8, granularity: 'week', format: 'csv' })
        .expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="overview-${D1}-${D8}-week.csv"`,
      );
      const [header, ...rows] = response.text.trim().split('\n');
      const columns = header.split(',');
      expect(columns.slice(0, 6)).toEqual([
        'period',
        'from',
        'to',
        'jobsPosted',
        'jobsQuoted',
        'quotedShare',
      ]);
      expect(rows).toHaveLength(2);
      const cell = (row: string, column: string) => row.split(',')[columns.indexOf(column)];
      expect(cell(rows[0], 'period')).toBe('2027-01-09');
      expect(cell(rows[0], 'jobsPosted')).toBe('6');
      expect(cell(rows[0], 'gmvTotal')).toBe(String(json.periods[0].gmv.total));
      expect(cell(rows[0], 'medianHoursToFirstQuote')).toBe(
        String(json.periods[0].medianHoursToFirstQuote),
      );
      // nothing to measure: an empty cell
      expect(cell(rows[1], 'quotedShare')).toBe('');
    });

    it('should count an event announced again once', async () => {
      const before = await storedRollups();
      // straight to the rollups' listener: announced again to every listener, a move would
      // also be notified again, and a dispute recorded again
      const listener = t.app.get(RollupListener);
      const ledger = t.app.get(LedgerService);
      const j1 = await getJob<JobView & { completedAt: string }>(t, clientA, jobs.J1);
      await listener.onJobCreated(new JobCreatedEvent(jobs.J1, clientA.user.id, 'Plumbing'));
      // built by hand, without the job: the listener reads it
      await listener.onJobMoved(
        new JobStatusChangedEvent(
          jobs.J1,
          clientA.user.id,
          c1.user.id,
          JobStatus.InProgress,
          JobStatus.Completed,
          clientA.user.id,
          new Date(j1.completedAt),
        ),
      );
      await listener.onJobMoved(
        new JobStatusChangedEvent(
          jobs.J6,
          clientA.user.id,
          c6.user.id,
          JobStatus.InProgress,
          JobStatus.Disputed,
          clientA.user.id,
          disputeMoveAt,
        ),
      );
      await listener.onInvitationAccepted(
        new InvitationAcceptedEvent(
          {
            invitationId: invitationAccepted.id,
            jobId: invitationAccepted.jobId,
            clientId: clientB.user.id,
            craftsmanId: invitationAccepted.craftsmanId,
            inviteeEmail: null,
            sentAt: new Date(D1_MORNING),
          },
          'conversation',
        ),
      );
      for (const key of [`fee:${jobs.J1}`, `release:${jobs.J2}`, `withdrawal:${payouts[1]}:paid`]) {
        const entry = await ledger.findByKey(key);
        expect(entry?.state).toBe('posted');
        await listener.onEntryPosted(new LedgerEntryPostedEvent(entry!));
      }
      expect(await storedRollups()).toEqual(before);
    });

    it('should store rollups equal to their recomputation from the source collections', async () => {
      const before = await storedRollups();
      expect(before.map((rollup) => rollup._id)).toEqual([D1, D2, D3, D8]);
      const reports = t.app.get(ReportsService);
      for (const granularity of Object.values(Granularity)) {
        const request = { from: '2027-01-01', to: '2027-01-31', granularity };
        expect(await reports.overviewFromSources(request)).toEqual(await reports.overview(request));
      }
      const rebuilt = await t.http
        .post('/api/admin/reports/rebuild')
        .set(as(admin))
        .send({ from: '2027-01-01', to: '2027-01-31' })
        .expect(200);
      expect(rebuilt.body).toMatchObject({
        from: '2027-01-01',
        to: '2027-01-31',
        daysWithData: 4,
        emptyDays: 27,
      });
      expect(await storedRollups()).toEqual(before);
    });

    it('should restore a day the rollups lost with a rebuild', async () => {
      const expected = await overview({ from: D1, to: D8 });
      await t.connection.collection('daily_rollups').deleteOne({ _id: D2 } as never);
      const short = await overview({ from: D1, to: D8 });
      expect(short.periods[1]).toMatchObject({ jobsCompleted: 0, platformFees: 0 });
      await t.http
        .post('/api/admin/reports/rebuild')
        .set(as(admin))
        .send({ from: D2, to: D2 })
        .expect(200);
      expect(await overview({ from: D1, to: D8 })).toEqual(expected);
    });
  });

  describe('who may read it, and what it accepts', () => {
    it('should answer admins only: moderators and others 403, no token 401', async () => {
      const query = { from: D1, to: D8 };
      const moderator = await newModerator(t);
      const client = await newClient(t);
      for (const who of [moderator, client]) {
        const refused = await t.http
          .get('/api/admin/reports/overview')
          .set(as(who))
          .query(query)
          .expect(403);
        expect(refused.body.code).toBe('FORBIDDEN');
        await t.http.post('/api/admin/reports/rebuild').set(as(who)).send(query).expect(403);
      }
      await t.http.get('/api/admin/reports/overview').query(query).expect(401);
    });

    it.each([
      ['no from', { to: D1 }, 'from'],
      ['a day that does not exist', { from: '2027-02-29', to: '2027-03-01' }, 'from'],
      ['an instant instead of a day', { from: '2027-01-13T00:00:00Z', to: D8 }, 'from'],
      ['to before from', { from: D8, to: D1 }, 'to'],
      ['more than 731 days', { from: '2025-01-01', to: '2027-01-02' }, 'to'],
      ['an unknown granularity', { from: D1, to: D8, granularity: 'quarter' }, 'granularity'],
      ['an unknown format', { from: D1, to: D8, format: 'xlsx' }, 'format'],
    ])('should refuse %s with 400 VALIDATION_FAILED', async (_case, query, field) => {
      const response = await t.http
        .get('/api/admin/reports/overview')
        .set(as(admin))
        .query(query)
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });

    it('should take two full years, a leap day included', async () => {
      const report = await overview({ from: '2027-01-01', to: '2028-12-31', granularity: 'month' });
      expect(report.periods).toHaveLength(24);
      await t.http
        .post('/api/admin/reports/rebuild')
        .set(as(admin))
        .send({ from: '2027-01-01', to: '2029-01-01' })
        .expect(400);
    });
  });
});
