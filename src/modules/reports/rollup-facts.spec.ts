import { InvitationAction, InvitationSource } from '../invitations/invitation-status.js';
import { JobStatus, PaymentType } from '../jobs/job-status.js';
import { LedgerEntryKind } from '../money/ledger/schemas/ledger-entry.schema.js';
import {
  factsOfInvitation,
  factsOfJob,
  factsOfMove,
  type JobFactsSource,
  ledgerEntryFact,
  RollupFold,
} from './rollup-facts.js';

const CRAFTSMAN = '64b000000000000000000001';
const at = (iso: string) => new Date(iso);

/** Posted 10:00 Cairo on 5 Nov, first quote 95 minutes later, hired, completed on the 9th (Cairo). */
const job: JobFactsSource = {
  id: 'job1',
  createdAt: at('2026-11-05T08:00:00.500Z'),
  paymentType: PaymentType.Cash,
  jobPrice: 12_345,
  completedAt: at('2026-11-08T22:30:00Z'),
  statusHistory: [
    { to: JobStatus.Posted, at: at('2026-11-05T08:00:00Z') },
    { from: JobStatus.Posted, to: JobStatus.Quoted, at: at('2026-11-05T09:35:59Z') },
    { from: JobStatus.Quoted, to: JobStatus.Hired, at: at('2026-11-06T09:00:00Z') },
    { from: JobStatus.Hired, to: JobStatus.OnTheWay, at: at('2026-11-07T09:00:00Z') },
    { from: JobStatus.OnTheWay, to: JobStatus.InProgress, at: at('2026-11-07T10:00:00Z') },
    { from: JobStatus.InProgress, to: JobStatus.Completed, at: at('2026-11-08T22:30:00Z') },
    { from: JobStatus.Completed, to: JobStatus.Disputed, at: at('2026-11-10T10:00:00Z') },
    { from: JobStatus.Disputed, to: JobStatus.Completed, at: at('2026-11-12T10:00:00Z') },
  ],
};

describe('rollup facts', () => {
  it('should count a job on its posted day (posted, quoted, hired) and its outcomes on their own day', () => {
    const fold = new RollupFold(() => true);
    factsOfJob(job).forEach((fact) => fold.add(fact));
    expect(fold.days.get('2026-11-05')).toMatchObject({
      counters: expect.objectContaining({ jobsPosted: 1, jobsQuoted: 1, jobsHired: 1 }),
      firstQuoteMinutes: [95],
      counted: ['p:job1', 'q:job1', 'h:job1'],
    });
    // 22:30 UTC on the 8th is the 9th in Cairo; completed again after the dispute: once, on the first day
    expect(fold.days.get('2026-11-09')?.counters).toMatchObject({
      jobsCompleted: 1,
      gmvCash: 12_345,
    });
    expect(fold.days.get('2026-11-10')?.counters).toMatchObject({ disputesOpened: 1 });
    expect(fold.days.has('2026-11-12')).toBe(false);
  });

  it('should give a live move the facts its history entry gives the rebuild', () => {
    const resolution = job.statusHistory[7];
    expect(factsOfMove(job, resolution)).toEqual(factsOfMove(job, job.statusHistory[5]));
    expect(factsOfMove(job, job.statusHistory[3])).toEqual([]);
  });

  it('should count an invitation on the day it was first sent, not an invitation link’s', () => {
    const history = [
      { action: InvitationAction.Created, at: at('2026-11-05T21:59:00Z') },
      { action: InvitationAction.Accepted, at: at('2026-11-07T10:00:00Z') },
    ];
    const invitation = {
      id: 'inv1',
      source: InvitationSource.CraftsmanId,
      status: 'cancelled',
      createdAt: at('2026-11-01T00:00:00Z'),
      history,
    };
    expect(factsOfInvitation(invitation)).toEqual([
      { day: '2026-11-05', key: 'i:inv1', inc: { invitationsSent: 1 } },
      { day: '2026-11-05', key: 'a:inv1', inc: { invitationsAccepted: 1 } },
    ]);
    expect(factsOfInvitation({ ...invitation, source: InvitationSource.InviteLink })).toEqual([]);
  });

  it('should read fees, fee debt and payouts off a posted entry', () => {
    const settledAt = at('2026-11-05T10:00:00Z');
    expect(
      ledgerEntryFact(
        {
          id: 'e1',
          kind: LedgerEntryKind.CashJobFee,
          settledAt,
          postings: [
            { account: `craftsman:${CRAFTSMAN}:fees_owed`, amount: -1_235 },
            { account: 'platform:revenue', amount: 1_235 },
          ],
        },
        null,
      ),
    ).toEqual({
      day: '2026-11-05',
      key: 'e:e1',
      inc: { platformFees: 1_235, feeDebtChange: 1_235 },
    });
    const payout = {
      id: 'e2',
      kind: LedgerEntryKind.PayoutPaid,
      settledAt,
      postings: [
        { account: `craftsman:${CRAFTSMAN}:pending_payout`, amount: -5_000 },
        { account: 'gateway:manual', amount: 5_000 },
      ],
    };
    expect(ledgerEntryFact(payout, settledAt)?.inc).toEqual({
      payoutsPaid: 1,
      payoutsWithinSla: 1,
    });
    expect(ledgerEntryFact(payout, at('2026-11-05T09:59:59Z'))?.inc).toEqual({
      payoutsPaid: 1,
      payoutsWithinSla: 0,
    });
    expect(
      ledgerEntryFact(
        {
          ...payout,
          kind: LedgerEntryKind.WithdrawalRequest,
        },
        null,
      ),
    ).toBeNull();
  });

  it('should count each key once when folding', () => {
    const fold = new RollupFold((day) => day === '2026-11-05');
    const fact = { day: '2026-11-05', key: 'p:x', inc: { jobsPosted: 1 } };
    fold.add(fact);
    fold.add(fact);
    fold.add({ day: '2026-11-06', key: 'p:y', inc: { jobsPosted: 1 } });
    expect(fold.days.get('2026-11-05')?.counters.jobsPosted).toBe(1);
    expect(fold.days.size).toBe(1);
  });
});
