import type { OverviewPeriodDto, OverviewResponseDto } from './dto/overview-response.dto.js';
import {
  type CairoDay,
  type Granularity,
  periodsOf,
  type ReportPeriod,
  REPORT_TIME_ZONE,
} from './report-calendar.js';
import { type RollupCounters, zeroCounters } from './rollup-facts.js';

/** What a report is built from: a day's counters and first-quote minutes (a rollup, or recomputed). */
export interface DayFigures {
  day: CairoDay;
  counters: RollupCounters;
  firstQuoteMinutes: number[];
}

/** `part / whole` rounded to 4 decimals; null when `whole` is 0. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** The nearest-rank median (the ⌈n/2⌉-th smallest) of minutes, in hours with 2 decimals; null for none. */
export function medianHours(minutes: number[]): number | null {
  if (minutes.length === 0) {
    return null;
  }
  const sorted = [...minutes].sort((a, b) => a - b);
  const median = sorted[Math.ceil(sorted.length / 2) - 1];
  return Math.round((median / 60) * 100) / 100;
}

/**
 * The report of [from, to] in periods of `granularity` from the days' figures (days without
 * any are zeros) and the fees owed before `from` (piastres).
 */
export function buildOverview(
  range: { from: CairoDay; to: CairoDay; granularity: Granularity },
  days: Iterable<DayFigures>,
  feeDebtBefore: number,
): OverviewResponseDto {
  const byDay = new Map<CairoDay, DayFigures>();
  for (const figures of days) {
    byDay.set(figures.day, figures);
  }
  let feeDebt = feeDebtBefore;
  const periods = periodsOf(range.from, range.to, range.granularity).map((period) => {
    const figures = period.days.map((day) => byDay.get(day)).filter((found) => found !== undefined);
    const summed = sumCounters(figures.map((found) => found.counters));
    feeDebt += summed.feeDebtChange;
    return periodFigures(
      period,
      summed,
      figures.flatMap((found) => found.firstQuoteMinutes),
      feeDebt,
    );
  });
  return {
    from: range.from,
    to: range.to,
    granularity: range.granularity,
    timeZone: REPORT_TIME_ZONE,
    weekStartsOn: 'saturday',
    periods,
  };
}

function sumCounters(all: RollupCounters[]): RollupCounters {
  const sum = zeroCounters();
  for (const counters of all) {
    for (const counter of Object.keys(sum) as Array<keyof RollupCounters>) {
      sum[counter] += counters[counter];
    }
  }
  return sum;
}

function periodFigures(
  period: ReportPeriod,
  c: RollupCounters,
  firstQuoteMinutes: number[],
  feeDebtOutstanding: number,
): OverviewPeriodDto {
  const ended = c.jobsCompleted + c.jobsCancelled;
  return {
    period: period.period,
    from: period.from,
    to: period.to,
    jobsPosted: c.jobsPosted,
    jobsQuoted: c.jobsQuoted,
    quotedShare: rate(c.jobsQuoted, c.jobsPosted),
    medianHoursToFirstQuote: medianHours(firstQuoteMinutes),
    jobsHired: c.jobsHired,
    hireRate: rate(c.jobsHired, c.jobsPosted),
    invitationsSent: c.invitationsSent,
    invitationsAccepted: c.invitationsAccepted,
    invitationAcceptanceRate: rate(c.invitationsAccepted, c.invitationsSent),
    jobsCompleted: c.jobsCompleted,
    jobsCancelled: c.jobsCancelled,
    completionRate: rate(c.jobsCompleted, ended),
    cancellationRate: rate(c.jobsCancelled, ended),
    disputesOpened: c.disputesOpened,
    disputeRate: rate(c.disputesOpened, c.jobsCompleted),
    gmv: {
      escrow: c.gmvEscrow,
      cashProtected: c.gmvCashProtected,
      cash: c.gmvCash,
      total: c.gmvEscrow + c.gmvCashProtected + c.gmvCash,
    },
    platformFees: c.platformFees,
    feeDebtOutstanding,
    payoutsPaid: c.payoutsPaid,
    payoutsWithinSla: c.payoutsWithinSla,
    payoutsWithinSlaRate: rate(c.payoutsWithinSla, c.payoutsPaid),
  };
}

/** The CSV columns, in order: a period's fields, `gmv` flattened. */
export const OVERVIEW_CSV_COLUMNS = [
  'period',
  'from',
  'to',
  'jobsPosted',
  'jobsQuoted',
  'quotedShare',
  'medianHoursToFirstQuote',
  'jobsHired',
  'hireRate',
  'invitationsSent',
  'invitationsAccepted',
  'invitationAcceptanceRate',
  'jobsCompleted',
  'jobsCancelled',
  'completionRate',
  'cancellationRate',
  'disputesOpened',
  'disputeRate',
  'gmvEscrow',
  'gmvCashProtected',
  'gmvCash',
  'gmvTotal',
  'platformFees',
  'feeDebtOutstanding',
  'payoutsPaid',
  'payoutsWithinSla',
  'payoutsWithinSlaRate',
] as const;

/** A period as a CSV row (OVERVIEW_CSV_COLUMNS); null becomes an empty cell. */
export function csvRowOf(period: OverviewPeriodDto): Array<string | number> {
  const { gmv, ...fields } = period;
  const flat: Record<string, string | number | null> = {
    ...fields,
    gmvEscrow: gmv.escrow,
    gmvCashProtected: gmv.cashProtected,
    gmvCash: gmv.cash,
    gmvTotal: gmv.total,
  };
  return OVERVIEW_CSV_COLUMNS.map((column) => flat[column] ?? '');
}
