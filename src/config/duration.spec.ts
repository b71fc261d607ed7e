import { describeDuration, parseIsoDuration } from './duration.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe(parseIsoDuration.name, () => {
  it.each([
    ['P30D', 30 * DAY],
    ['P14D', 14 * DAY],
    ['PT48H', 48 * HOUR],
    ['PT30S', 30 * SECOND],
    ['PT15M', 15 * MINUTE],
    ['P1W', 7 * DAY],
    ['P1W2D', 9 * DAY],
    ['P1DT12H', 36 * HOUR],
    ['PT1H30M', 90 * MINUTE],
    ['PT0S', 0],
    ['P0D', 0],
  ])('should read %s as its milliseconds', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it('should take fractions, with a point or a comma, rounded to whole milliseconds', () => {
    expect(parseIsoDuration('PT0.5S')).toBe(500);
    expect(parseIsoDuration('PT0,25S')).toBe(250);
    expect(parseIsoDuration('PT1.5H')).toBe(90 * MINUTE);
    expect(parseIsoDuration('P1.5D')).toBe(36 * HOUR);
    expect(parseIsoDuration('PT0.0004S')).toBe(0);
  });

  it('should count a day as 24 hours, the length the older *_DAYS variables gave it', () => {
    expect(parseIsoDuration('P1D')).toBe(parseIsoDuration('PT24H'));
  });

  it.each(['P1M', 'P1Y', 'P1Y2D', 'P0Y1M'])(
    'should refuse %s: months and years have no fixed length',
    (text) => {
      expect(() => parseIsoDuration(text)).toThrow(/years and months have no fixed length/);
    },
  );

  it.each(['-P1D', 'P-1D', 'PT-30S', '-P-1D'])('should refuse the negative %s', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(/cannot be negative/);
  });

  it.each(['', 'P', 'PT', 'P1DT', '30', '30d', 'p30d', 'P30', 'PT30', ' P30D', 'P30D ', 'P30DX'])(
    'should refuse %j as not an ISO-8601 duration',
    (text) => {
      expect(() => parseIsoDuration(text)).toThrow(/not an ISO-8601 duration/);
    },
  );

  it('should refuse a span beyond what a number of milliseconds holds exactly', () => {
    expect(() => parseIsoDuration('PT99999999999999999999H')).toThrow(/too long/);
  });
});

describe(describeDuration.name, () => {
  it.each([
    [HOUR, '1 hour'],
    [90 * MINUTE, '1 hour and 30 minutes'],
    [30 * SECOND, '30 seconds'],
    [30 * DAY, '30 days'],
    [DAY + HOUR + MINUTE + SECOND, '1 day, 1 hour, 1 minute, and 1 second'],
    [500, '500 milliseconds'],
    [0, '0 seconds'],
  ])('should write %d ms as %j', (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });
});
