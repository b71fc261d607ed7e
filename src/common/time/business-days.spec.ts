import { describe, expect, it } from '@jest/globals';
import {
  addBusinessDays,
  type BusinessCalendar,
  EGYPT_FIXED_HOLIDAYS,
  parseHolidays,
} from './business-days.js';

/** Sun–Thu, Cairo, with the fixed holidays: the marketplace's default. */
const egypt: BusinessCalendar = {
  timeZone: 'Africa/Cairo',
  workingWeekdays: [7, 1, 2, 3, 4],
  holidays: parseHolidays(EGYPT_FIXED_HOLIDAYS),
};

function due(from: string, days: number, calendar = egypt): string {
  return addBusinessDays(new Date(from), days, calendar).toISOString();
}

describe(addBusinessDays.name, () => {
  it('should end on Monday night for a request on Thursday morning with 2 days', () => {
    // Thu 9 Jan 2025 10:00 Cairo (UTC+2) → Sun 12 (1), Mon 13 (2), 23:59:59.999 Cairo
    expect(due('2025-01-09T10:00:00+02:00', 2)).toBe('2025-01-13T21:59:59.999Z');
  });

  it('should count from Sunday for a request on the weekend', () => {
    expect(due('2025-01-10T10:00:00+02:00', 2)).toBe('2025-01-13T21:59:59.999Z'); // Friday
    expect(due('2025-01-11T23:00:00+02:00', 2)).toBe('2025-01-13T21:59:59.999Z'); // Saturday
    expect(due('2025-01-10T10:00:00+02:00', 1)).toBe('2025-01-12T21:59:59.999Z');
  });

  it('should count from the day in Cairo, not in UTC', () => {
    // Wed 8 Jan 23:30 UTC is Thu 9 Jan 01:30 in Cairo: the next business day is Sunday
    expect(due('2025-01-08T23:30:00Z', 1)).toBe('2025-01-12T21:59:59.999Z');
    // a minute before midnight in Cairo it is still Wednesday: the next one is Thursday
    expect(due('2025-01-08T21:59:00Z', 1)).toBe('2025-01-09T21:59:59.999Z');
  });

  it('should skip a fixed holiday on a working day', () => {
    // Tue 7 Jan 2025 is Coptic Christmas
    expect(due('2025-01-06T10:00:00+02:00', 1)).toBe('2025-01-08T21:59:59.999Z');
  });

  it('should skip one-off holidays (an Eid) as well as the fixed ones', () => {
    const withEid: BusinessCalendar = {
      ...egypt,
      holidays: parseHolidays(`${EGYPT_FIXED_HOLIDAYS},2025-03-30,2025-03-31,2025-04-01`),
    };
    // Thu 27 Mar → Sun 30, Mon 31, Tue 1 Apr are Eid al-Fitr → Wed 2 Apr
    expect(due('2025-03-27T10:00:00+02:00', 1, withEid)).toBe('2025-04-02T21:59:59.999Z');
    expect(due('2025-03-27T10:00:00+02:00', 1)).toBe('2025-03-30T21:59:59.999Z');
  });

  it('should not move the deadline for a holiday on the weekend', () => {
    const withSaturdayHoliday = { ...egypt, holidays: parseHolidays('2025-01-11') };
    expect(due('2025-01-09T10:00:00+02:00', 2, withSaturdayHoliday)).toBe(
      '2025-01-13T21:59:59.999Z',
    );
  });

  it('should end the day at 23:59:59.999 summer time once Cairo has moved its clocks forward', () => {
    // summer time starts on Fri 26 Apr 2024 at 00:00 (→ 01:00, UTC+3)
    expect(due('2024-04-23T10:00:00+02:00', 1)).toBe('2024-04-24T21:59:59.999Z'); // Wed, UTC+2
    // Thu 25 Apr is Sinai Liberation Day, Fri–Sat weekend → Sun 28 Apr, UTC+3
    expect(due('2024-04-23T10:00:00+02:00', 2)).toBe('2024-04-28T20:59:59.999Z');
  });

  it('should end the day of the autumn change after the clocks went back', () => {
    // summer time ends at the end of Thu 31 Oct 2024 (24:00 → 23:00): 23:00–24:00 happens twice,
    // and the day ends at the second 23:59:59.999, which is UTC+2
    expect(due('2024-10-29T10:00:00+03:00', 1)).toBe('2024-10-30T20:59:59.999Z'); // Wed, UTC+3
    expect(due('2024-10-30T10:00:00+03:00', 1)).toBe('2024-10-31T21:59:59.999Z'); // Thu
  });

  it('should cross the year and its holidays', () => {
    // Thu 31 Dec 2026 → Sun 3, Mon 4, Tue 5, Wed 6, (Thu 7 Coptic Christmas), Sun 10 Jan 2027
    expect(due('2026-12-31T10:00:00+02:00', 5)).toBe('2027-01-10T21:59:59.999Z');
  });

  it('should count in the zone of the calendar it is given', () => {
    const newYork: BusinessCalendar = {
      timeZone: 'America/New_York',
      workingWeekdays: [1, 2, 3, 4, 5],
      holidays: [],
    };
    // Fri 10 Jan 2025 02:00 UTC is Thu 9 Jan 21:00 in New York → Fri 10 Jan, UTC−5
    expect(due('2025-01-10T02:00:00Z', 1, newYork)).toBe('2025-01-11T04:59:59.999Z');
  });

  it('should refuse a count that is not a whole number of days ≥ 1', () => {
    expect(() => due('2025-01-09T10:00:00Z', 0)).toThrow(RangeError);
    expect(() => due('2025-01-09T10:00:00Z', 1.5)).toThrow('whole number');
    expect(() => due('2025-01-09T10:00:00Z', -1)).toThrow(RangeError);
  });

  it('should refuse an unknown time zone and a calendar without business days', () => {
    expect(() => due('2025-01-09T10:00:00Z', 1, { ...egypt, timeZone: 'Mars/Olympus' })).toThrow(
      'unknown time zone "Mars/Olympus"',
    );
    expect(() => due('2025-01-09T10:00:00Z', 1, { ...egypt, workingWeekdays: [] })).toThrow(
      'no business day',
    );
  });
});

describe(parseHolidays.name, () => {
  it('should read the fixed Egyptian holidays as yearly rules', () => {
    expect(parseHolidays(EGYPT_FIXED_HOLIDAYS)).toEqual([
      { kind: 'yearly', month: 1, day: 7 },
      { kind: 'yearly', month: 1, day: 25 },
      { kind: 'yearly', month: 4, day: 25 },
      { kind: 'yearly', month: 5, day: 1 },
      { kind: 'yearly', month: 6, day: 30 },
      { kind: 'yearly', month: 7, day: 23 },
      { kind: 'yearly', month: 10, day: 6 },
    ]);
  });

  it('should read one-off dates, ignoring spaces and empty items', () => {
    expect(parseHolidays(' 2026-03-20 , 02-29,,')).toEqual([
      { kind: 'once', year: 2026, month: 3, day: 20 },
      { kind: 'yearly', month: 2, day: 29 },
    ]);
    expect(parseHolidays('')).toEqual([]);
  });

  it.each(['13-01', '02-30', '2025-02-29', '1-7', 'Jan-07', '2025/03/30', '2025-3-30'])(
    'should refuse %p, naming it',
    (item) => {
      expect(() => parseHolidays(`01-07,${item},05-01`)).toThrow(`holiday "${item}"`);
    },
  );
});
