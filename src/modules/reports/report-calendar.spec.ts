import {
  cairoDayOf,
  dayCount,
  Granularity,
  isCalendarDay,
  periodOf,
  periodsOf,
  startOfCairoDay,
} from './report-calendar.js';

describe('report calendar', () => {
  it('should give the Cairo calendar day of an instant, summer time included', () => {
    // 22:30 UTC is 00:30 the next day in Cairo in winter (UTC+2) and 01:30 in summer (UTC+3)
    expect(cairoDayOf(new Date('2026-01-14T22:30:00Z'))).toBe('2026-01-15');
    expect(cairoDayOf(new Date('2026-07-14T21:30:00Z'))).toBe('2026-07-15');
    expect(cairoDayOf(new Date('2026-07-14T20:59:59Z'))).toBe('2026-07-14');
    expect(startOfCairoDay('2026-07-15').toISOString()).toBe('2026-07-14T21:00:00.000Z');
    expect(startOfCairoDay('2026-01-15').toISOString()).toBe('2026-01-14T22:00:00.000Z');
  });

  it('should accept real days written YYYY-MM-DD only', () => {
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2026-1-05')).toBe(false);
    expect(isCalendarDay('2026-01-05T00:00:00Z')).toBe(false);
  });

  it('should count the days of a range, both ends included', () => {
    expect(dayCount('2026-03-01', '2026-03-01')).toBe(1);
    expect(dayCount('2026-03-01', '2026-03-31')).toBe(31);
    // Egypt's summer time starts on the last Friday of April: still one calendar day each
    expect(dayCount('2026-04-20', '2026-05-05')).toBe(16);
    expect(dayCount('2026-03-02', '2026-03-01')).toBe(0);
  });

  it('should start weeks on Saturday and label them by it', () => {
    // 2026-11-07 is a Saturday, 2026-11-13 a Friday
    expect(periodOf('2026-11-07', Granularity.Week)).toBe('2026-11-07');
    expect(periodOf('2026-11-13', Granularity.Week)).toBe('2026-11-07');
    expect(periodOf('2026-11-14', Granularity.Week)).toBe('2026-11-14');
    expect(periodOf('2026-11-09', Granularity.Week)).toBe('2026-11-07');
    expect(periodOf('2026-11-09', Granularity.Month)).toBe('2026-11');
  });

  it('should cut a range into every period, the first and last clipped to it', () => {
    expect(
      periodsOf('2026-11-05', '2026-11-16', Granularity.Week).map(({ period, from, to }) => [
        period,
        from,
        to,
      ]),
    ).toEqual([
      ['2026-10-31', '2026-11-05', '2026-11-06'],
      ['2026-11-07', '2026-11-07', '2026-11-13'],
      ['2026-11-14', '2026-11-14', '2026-11-16'],
    ]);
    expect(
      periodsOf('2026-01-30', '2026-03-02', Granularity.Month).map((p) => p.days.length),
    ).toEqual([2, 28, 2]);
    expect(periodsOf('2026-01-30', '2026-02-02', Granularity.Day)).toHaveLength(4);
  });
});
