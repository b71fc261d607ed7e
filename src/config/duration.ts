import { Duration } from 'luxon';

/** Years and months: calendar units, not a fixed number of milliseconds. */
const CALENDAR_UNITS = ['years', 'months'] as const;

/**
 * The milliseconds of an ISO-8601 duration (`P30D`, `PT48H`, `PT30S`, `P1W`, `PT1H30M`,
 * `PT0.5S`), as the configuration's time spans take them. Parsing is luxon's
 * `Duration.fromISO`; on top of it:
 *
 * - a day is 24 hours and a week 7 days: a span is added to an instant, as the older `*_DAYS`
 *   variables always were, not to a calendar date (so a day across a DST change is still 24 h);
 * - years and months are refused: a month is 28 to 31 days, so `P1M` has no single length (write
 *   `P30D`);
 * - negative spans are refused, and so is a designator with no component (`P`, `PT`, `P1DT`);
 * - fractions are accepted (`PT1.5H`, `PT0,5S`), and the result is rounded to whole
 *   milliseconds.
 *
 * @param text the duration, uppercase designators, no spaces (`P30D`, not `p30d` or `30 days`)
 * @returns the span in milliseconds, ≥ 0, a safe integer
 * @throws Error with a sentence saying what is wrong (no variable name: the caller adds it)
 */
export function parseIsoDuration(text: string): number {
  const duration = Duration.fromISO(text);
  if (!duration.isValid || text === 'P' || text.endsWith('T')) {
    throw new Error('not an ISO-8601 duration (e.g. P30D, PT48H, PT30S)');
  }
  // luxon reads `-P1D` and `P-1D` (and `-P-1D`, as +1 day)
  if (text.includes('-')) {
    throw new Error('a time span cannot be negative');
  }
  const parts = duration.toObject();
  if (CALENDAR_UNITS.some((unit) => parts[unit])) {
    throw new Error('years and months have no fixed length: write days (P30D) or weeks (P4W)');
  }
  const ms = Math.round(duration.toMillis());
  if (!Number.isSafeInteger(ms)) {
    throw new Error('too long to be a time span');
  }
  return ms;
}

/**
 * A span for people to read, in English: `1 hour`, `1 hour and 30 minutes`, `30 seconds`,
 * `30 days` (days at most: never months).
 *
 * @param ms a span in milliseconds, ≥ 0
 */
export function describeDuration(ms: number): string {
  const parts = Duration.fromMillis(ms, { locale: 'en' })
    .shiftTo('days', 'hours', 'minutes', 'seconds', 'milliseconds')
    .toObject();
  const nonZero = Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== 0));
  if (Object.keys(nonZero).length === 0) {
    return '0 seconds';
  }
  return Duration.fromObject(nonZero, { locale: 'en' }).toHuman({ listStyle: 'long' });
}
