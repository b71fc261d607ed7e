import { DateTime } from 'luxon';

/** The calendar the reports count in (API.md "Operations": Cairo calendar days). */
export const REPORT_TIME_ZONE = 'Africa/Cairo';

/** How a report groups its days. */
export enum Granularity {
  Day = 'day',
  /** Saturday to Friday: Egypt's calendar week (CLDR's first day of the week for EG). */
  Week = 'week',
  Month = 'month',
}

/** A Cairo calendar day, `YYYY-MM-DD`. */
export type CairoDay = string;

/** The Cairo calendar day of an instant (Egypt's summer time included). */
export function cairoDayOf(at: Date): CairoDay {
  return DateTime.fromJSDate(at, { zone: REPORT_TIME_ZONE }).toISODate()!;
}

/** The first instant of a Cairo calendar day. */
export function startOfCairoDay(day: CairoDay): Date {
  return DateTime.fromISO(day, { zone: REPORT_TIME_ZONE }).startOf('day').toJSDate();
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (no 2026-02-30). */
export function isCalendarDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid;
}

/** Every day from `from` to `to`, both included, in order. */
export function daysFrom(from: CairoDay, to: CairoDay): CairoDay[] {
  const days: CairoDay[] = [];
  const last = DateTime.fromISO(to, { zone: 'UTC' });
  for (
    let day = DateTime.fromISO(from, { zone: 'UTC' });
    day <= last;
    day = day.plus({ days: 1 })
  ) {
    days.push(day.toISODate()!);
  }
  return days;
}

/** How many days from `from` to `to`, both included (0 when `to` is before `from`). */
export function dayCount(from: CairoDay, to: CairoDay): number {
  const span = DateTime.fromISO(to, { zone: 'UTC' }).diff(
    DateTime.fromISO(from, { zone: 'UTC' }),
    'days',
  ).days;
  return Math.max(0, Math.round(span) + 1);
}

/** One row of a report: its label and the days of [from, to] it covers. */
export interface ReportPeriod {
  /** `YYYY-MM-DD` (a day; a week, by its Saturday), or `YYYY-MM` (a month). */
  period: string;
  /** The first and last day it covers, clipped to the report's range. */
  from: CairoDay;
  to: CairoDay;
  days: CairoDay[];
}

/** The label of the period holding `day`. */
export function periodOf(day: CairoDay, granularity: Granularity): string {
  const date = DateTime.fromISO(day, { zone: 'UTC' });
  switch (granularity) {
    case Granularity.Day:
      return day;
    case Granularity.Week:
      // luxon's weekday: Monday 1 … Saturday 6, Sunday 7
      return date.minus({ days: (date.weekday + 1) % 7 }).toISODate()!;
    case Granularity.Month:
      return day.slice(0, 7);
  }
}

/** The periods of [from, to] in order, every one present (a period without data counts zeros). */
export function periodsOf(from: CairoDay, to: CairoDay, granularity: Granularity): ReportPeriod[] {
  const periods: ReportPeriod[] = [];
  for (const day of daysFrom(from, to)) {
    const label = periodOf(day, granularity);
    const last = periods.at(-1);
    if (last?.period === label) {
      last.to = day;
      last.days.push(day);
    } else {
      periods.push({ period: label, from: day, to: day, days: [day] });
    }
  }
  return periods;
}
