import { DateTime } from 'luxon';

/**
 * Egypt's fixed public holidays (the same date every year), as `parseHolidays` reads them:
 * Coptic Christmas (01-07), Revolution / Police Day (01-25), Sinai Liberation Day (04-25),
 * Labour Day (05-01), June 30 Revolution (06-30), Revolution Day (07-23), Armed Forces Day
 * (10-06). The movable ones (Eids, the Prophet's birthday, Sham El-Nessim) are one-off
 * `YYYY-MM-DD` items added to the configuration each year, as are the days the government moves
 * a holiday to a Thursday.
 */
export const EGYPT_FIXED_HOLIDAYS = '01-07,01-25,04-25,05-01,06-30,07-23,10-06';

/** A day off: the same month and day every year, or one calendar date. */
export type HolidayRule =
  | { kind: 'yearly'; month: number; day: number }
  | { kind: 'once'; year: number; month: number; day: number };

/** When people work: what `addBusinessDays` counts in. */
export interface BusinessCalendar {
  /** IANA name of the zone whose calendar days are counted (`Africa/Cairo`). */
  timeZone: string;
  /** Luxon weekday numbers (1 = Monday … 7 = Sunday) that are working days; Egypt: [7, 1, 2, 3, 4]. */
  workingWeekdays: number[];
  /** Days off that fall on working weekdays (one on a weekend changes nothing). */
  holidays: HolidayRule[];
}

const YEARLY = /^(\d{2})-(\d{2})$/;
const ONCE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A year in which every month-day exists, so that `02-29` is accepted as a yearly rule. */
const LEAP_YEAR = 2024;

/**
 * The holidays of a configuration value: comma-separated items, each `MM-DD` (every year, e.g.
 * `01-07`) or `YYYY-MM-DD` (once, e.g. an Eid: `2026-03-20`). Spaces around items and empty
 * items (`''`, a trailing comma) are ignored.
 *
 * @example parseHolidays(`${EGYPT_FIXED_HOLIDAYS},2026-03-20,2026-03-21`)
 * @throws Error naming the first item that is not a real `MM-DD` or `YYYY-MM-DD` date
 */
export function parseHolidays(text: string): HolidayRule[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(parseHoliday);
}

function parseHoliday(item: string): HolidayRule {
  const yearly = YEARLY.exec(item);
  if (yearly) {
    const rule = { kind: 'yearly' as const, month: Number(yearly[1]), day: Number(yearly[2]) };
    assertRealDate(item, LEAP_YEAR, rule.month, rule.day);
    return rule;
  }
  const once = ONCE.exec(item);
  if (once) {
    const rule = {
      kind: 'once' as const,
      year: Number(once[1]),
      month: Number(once[2]),
      day: Number(once[3]),
    };
    assertRealDate(item, rule.year, rule.month, rule.day);
    return rule;
  }
  throw new Error(`holiday "${item}" is neither MM-DD (every year) nor YYYY-MM-DD (once)`);
}

function assertRealDate(item: string, year: number, month: number, day: number): void {
  if (!DateTime.utc(year, month, day).isValid) {
    throw new Error(`holiday "${item}" is not a date of the calendar`);
  }
}

/** A business day could not be found in this many days: the calendar has none. */
const MAX_DAYS_WITHOUT_WORK = 366;

/**
 * The deadline `days` business days after `from`: the END (23:59:59.999 local time) of the
 * `days`-th business day strictly after the calendar day `from` falls on in `calendar.timeZone`.
 * A business day is a working weekday that no holiday rule names. In Cairo (Sun–Thu), a request
 * on Thursday 10:00 with `days = 2` is due at the end of Monday; one on Friday or Saturday, also
 * at the end of Monday. The end of the day is the local one, whatever the UTC offset that day
 * (on the last Thursday of October, Cairo's 23:59:59.999 is the one after clocks go back).
 *
 * @param from the instant counted from (only its local calendar day matters)
 * @param days whole business days, ≥ 1
 * @returns the instant the last of those days ends
 * @throws RangeError when `days` is not an integer ≥ 1, the zone is unknown, or the calendar has
 *   no business day in a whole year (no working weekday, or every day a holiday)
 */
export function addBusinessDays(from: Date, days: number, calendar: BusinessCalendar): Date {
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`business days must be a whole number ≥ 1 (got ${days})`);
  }
  const local = DateTime.fromJSDate(from, { zone: calendar.timeZone });
  if (!local.isValid) {
    throw new RangeError(`unknown time zone "${calendar.timeZone}"`);
  }
  // calendar dates are stepped through in UTC, where every day is 24 hours long
  let date = DateTime.utc(local.year, local.month, local.day);
  let remaining = days;
  let sinceLastBusinessDay = 0;
  while (remaining > 0) {
    date = date.plus({ days: 1 });
    if (isBusinessDay(date, calendar)) {
      remaining -= 1;
      sinceLastBusinessDay = 0;
    } else if (++sinceLastBusinessDay > MAX_DAYS_WITHOUT_WORK) {
      throw new RangeError('the business calendar has no business day in a whole year');
    }
  }
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day },
    { zone: calendar.timeZone },
  )
    .endOf('day')
    .toJSDate();
}

function isBusinessDay(date: DateTime, calendar: BusinessCalendar): boolean {
  return (
    calendar.workingWeekdays.includes(date.weekday) &&
    !calendar.holidays.some((holiday) => isOn(holiday, date))
  );
}

function isOn(holiday: HolidayRule, date: DateTime): boolean {
  switch (holiday.kind) {
    case 'yearly':
      return holiday.month === date.month && holiday.day === date.day;
    case 'once':
      return holiday.year === date.year && holiday.month === date.month && holiday.day === date.day;
  }
}
