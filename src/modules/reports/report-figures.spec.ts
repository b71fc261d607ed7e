import { Granularity } from './report-calendar.js';
import {
  buildOverview,
  csvRowOf,
  medianHours,
  OVERVIEW_CSV_COLUMNS,
  rate,
} from './report-figures.js';
import { zeroCounters } from './rollup-facts.js';

describe(buildOverview.name, () => {
  const day = (
    date: string,
    counters: Partial<ReturnType<typeof zeroCounters>>,
    minutes: number[] = [],
  ) => ({
    day: date,
    counters: { ...zeroCounters(), ...counters },
    firstQuoteMinutes: minutes,
  });

  it('should sum days into periods, merge first-quote minutes exactly and fill gaps with zeros', () => {
    const overview = buildOverview(
      { from: '2026-11-05', to: '2026-11-16', granularity: Granularity.Week },
      [
        day('2026-11-05', { jobsPosted: 2, jobsQuoted: 1, jobsHired: 1, feeDebtChange: 500 }, [90]),
        day(
          '2026-11-06',
          { jobsPosted: 2, jobsQuoted: 2, jobsCompleted: 3, jobsCancelled: 1 },
          [30, 600],
        ),
        day('2026-11-15', {
          platformFees: 1_000,
          feeDebtChange: -200,
          payoutsPaid: 2,
          payoutsWithinSla: 1,
        }),
      ],
      1_000,
    );
    expect(overview.periods.map((p) => p.period)).toEqual([
      '2026-10-31',
      '2026-11-07',
      '2026-11-14',
    ]);
    expect(overview.periods[0]).toMatchObject({
      from: '2026-11-05',
      to: '2026-11-06',
      jobsPosted: 4,
      jobsQuoted: 3,
      quotedShare: 0.75,
      // 30, 90, 600 minutes: the 2nd smallest
      medianHoursToFirstQuote: 1.5,
      hireRate: 0.25,
      completionRate: 0.75,
      cancellationRate: 0.25,
      disputeRate: 0,
      feeDebtOutstanding: 1_500,
    });
    expect(overview.periods[1]).toMatchObject({
      jobsPosted: 0,
      quotedShare: null,
      medianHoursToFirstQuote: null,
      gmv: { escrow: 0, cashProtected: 0, cash: 0, total: 0 },
      platformFees: 0,
      feeDebtOutstanding: 1_500,
    });
    expect(overview.periods[2]).toMatchObject({
      platformFees: 1_000,
      feeDebtOutstanding: 1_300,
      payoutsWithinSlaRate: 0.5,
    });
  });

  it('should round rates to 4 decimals and medians to 2, null without anything to measure', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(0, 0)).toBeNull();
    expect(medianHours([])).toBeNull();
    expect(medianHours([61, 1, 200, 7])).toBe(0.12);
  });

  it('should write a period as a CSV row, gmv flattened and null as an empty cell', () => {
    const [period] = buildOverview(
      { from: '2026-11-05', to: '2026-11-05', granularity: Granularity.Day },
      [day('2026-11-05', { gmvCash: 300, gmvEscrow: 700 })],
      0,
    ).periods;
    const row = csvRowOf(period);
    expect(row).toHaveLength(OVERVIEW_CSV_COLUMNS.length);
    expect(row[OVERVIEW_CSV_COLUMNS.indexOf('gmvTotal')]).toBe(1_000);
    expect(row[OVERVIEW_CSV_COLUMNS.indexOf('quotedShare')]).toBe('');
  });
});
