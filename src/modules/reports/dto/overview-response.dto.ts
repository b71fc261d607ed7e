import { ApiProperty } from '@nestjs/swagger';
import { Granularity } from '../report-calendar.js';

/**
 * Gross merchandise value (piastres): the hired price of the jobs completed for the first time
 * in the period, by the job's payment type; refunds after completion are not taken off.
 */
export class GmvDto {
  /** Paid online into escrow (card, Fawry). */
  escrow!: number;
  /** Paid in cash at a Fawry outlet into escrow. */
  cashProtected!: number;
  /** Paid to the craftsman in cash (the platform's fee becomes his debt). */
  cash!: number;
  /** The three together. */
  total!: number;
}

/**
 * One period's figures. Counts are whole numbers; rates are fractions 0..1 rounded to 4
 * decimals, null when their denominator is 0 (nothing to measure, rather than a claim of 0 %).
 * A period without any data has every count and amount 0 (gaps filled with zeros); the fee
 * debt, a balance, carries over.
 *
 * Job cohorts: posting, first quote and hire count on the day the job was posted, so that
 * `quotedShare`, `hireRate` and `medianHoursToFirstQuote` are about the jobs posted in the
 * period (and rise as those jobs go on). Outcomes (completion, cancellation, dispute) and money
 * count on the day they happen.
 */
export class OverviewPeriodDto {
  /** `YYYY-MM-DD` for a day or a week (its Saturday); `YYYY-MM` for a month. */
  period!: string;
  /** The first day of the period inside the report's range. */
  from!: string;
  /** The last day of the period inside the report's range (included). */
  to!: string;

  /** Jobs posted in the period. */
  jobsPosted!: number;
  /** Of them, the jobs that got at least one quote (so far). */
  jobsQuoted!: number;
  /** jobsQuoted / jobsPosted: the share of the period's jobs with ≥ 1 quote. */
  quotedShare!: number | null;
  /**
   * Hours from posting to the first quote, nearest-rank median (the ⌈n/2⌉-th smallest) over the
   * period's jobs with a quote, measured in whole minutes, 2 decimals; null when none.
   */
  medianHoursToFirstQuote!: number | null;
  /** Of the jobs posted in the period, those hired (so far). */
  jobsHired!: number;
  /** jobsHired / jobsPosted: the match rate. */
  hireRate!: number | null;

  /** Invitations first sent in the period (not an invitation link's). */
  invitationsSent!: number;
  /** Of them, those accepted (so far). */
  invitationsAccepted!: number;
  /** invitationsAccepted / invitationsSent. */
  invitationAcceptanceRate!: number | null;

  /** Jobs completed for the first time in the period (by the client, by itself, or by a dispute's resolution). */
  jobsCompleted!: number;
  /** Jobs cancelled in the period (open or hired, by their client, staff, a ban or a dispute's refund). */
  jobsCancelled!: number;
  /** jobsCompleted / (jobsCompleted + jobsCancelled): of the jobs that ended in the period, the share completed. */
  completionRate!: number | null;
  /** jobsCancelled / (jobsCompleted + jobsCancelled): of the jobs that ended in the period, the share cancelled. */
  cancellationRate!: number | null;
  /** Disputes opened in the period (every move of a job into `disputed`). */
  disputesOpened!: number;
  /** disputesOpened / jobsCompleted: disputes per completed job, as card networks count (may exceed 1). */
  disputeRate!: number | null;

  gmv!: GmvDto;
  /** Piastres the platform earned in the period: net of fees given back (platform:revenue). */
  platformFees!: number;
  /** Piastres of cash-job fees craftsmen owed at the end of the period's last day. */
  feeDebtOutstanding!: number;
  /** Payouts paid (posted to the ledger) in the period. */
  payoutsPaid!: number;
  /** Of them, those paid by their withdrawal's `expectedBy` (PAYOUT_BUSINESS_DAYS Egyptian business days). */
  payoutsWithinSla!: number;
  /** payoutsWithinSla / payoutsPaid. */
  payoutsWithinSlaRate!: number | null;
}

/** `GET /admin/reports/overview` (JSON). */
export class OverviewResponseDto {
  /** The first day of the range, `YYYY-MM-DD`. */
  from!: string;
  /** The last day of the range, included. */
  to!: string;

  @ApiProperty({ enum: Granularity, enumName: 'ReportGranularity' })
  granularity!: Granularity;

  /** The calendar the days are counted in: always `Africa/Cairo`. */
  timeZone!: string;

  /** The first day of a week: always `saturday`. */
  weekStartsOn!: string;

  /** Every period of the range, in order. */
  periods!: OverviewPeriodDto[];
}
