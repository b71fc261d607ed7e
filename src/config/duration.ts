const DURATION =
  /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/;

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Milliseconds in an ISO-8601 duration such as `PT1H`, `P30D`, `P1DT12H`, `PT30S` or `PT0.5S`
 * (weeks, days, hours, minutes, seconds with up to 3 decimals). Years and months are refused:
 * their length depends on the calendar. Throws an `Error` naming the text when it is not one.
 */
export function parseIsoDuration(text: string): number {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (!match) {
    throw new Error(`"${text}" is not an ISO-8601 duration such as PT1H, P30D or PT30S`);
  }
  const [weeks, days, hours, minutes] = match.slice(1, 5).map((part) => Number(part ?? 0));
  const seconds = Number((match[5] ?? '0').replace(',', '.'));
  return Math.round(
    weeks * 7 * DAY_MS +
      days * DAY_MS +
      hours * HOUR_MS +
      minutes * MINUTE_MS +
      seconds * SECOND_MS,
  );
}
