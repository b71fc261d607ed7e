import { parseIsoDuration } from './duration.js';

describe(parseIsoDuration.name, () => {
  it.each([
    ['PT1H', 3_600_000],
    ['PT30S', 30_000],
    ['PT0.5S', 500],
    ['PT15M', 900_000],
    ['P30D', 30 * 86_400_000],
    ['P1DT12H', 36 * 3_600_000],
    ['P2W', 14 * 86_400_000],
    ['pt1h', 3_600_000],
  ])('should read %s as %d ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '1H', 'PT1', 'P1M', 'P1Y', 'PT-1S', 'P1H', 'PT1H30', '3600'])(
    'should refuse %j',
    (text) => {
      expect(() => parseIsoDuration(text)).toThrow(/not an ISO-8601 duration/);
    },
  );
});
