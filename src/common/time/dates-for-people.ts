/**
 * Dates written into text that people read (in-app notifications, pushes, emails) are in the
 * reader's time zone: an instant stored in UTC is a different calendar day in Cairo for two or
 * three hours every night. Machine-readable fields (`expiresAt` in JSON) stay ISO-8601 UTC.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * `date` as a person in `timeZone` (an IANA name) reads it: `14 February 2030 at 01:30 EET`.
 * Throws RangeError for a zone Intl does not know (validate zones where they come in).
 */
export function formatDateTimeForPerson(date: Date, timeZone: string): string {
  return formatIn(timeZone).format(date);
}

/**
 * The IANA name of a time zone in its canonical spelling (`america/new_york` →
 * `America/New_York`), or `null` when Intl does not know it.
 */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
