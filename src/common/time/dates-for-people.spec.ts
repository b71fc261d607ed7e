import { canonicalTimeZone, formatDateTimeForPerson } from './dates-for-people.js';

describe(formatDateTimeForPerson.name, () => {
  const lateEveningUtc = new Date('2030-02-13T23:30:00Z');

  it('should write the Cairo calendar day, already the next one after 22:00 UTC', () => {
    expect(formatDateTimeForPerson(lateEveningUtc, 'Africa/Cairo')).toBe(
      '14 February 2030 at 01:30 EET',
    );
  });

  it('should follow daylight saving time (Cairo is UTC+3 in summer)', () => {
    expect(formatDateTimeForPerson(new Date('2030-07-10T21:30:00Z'), 'Africa/Cairo')).toBe(
      '11 July 2030 at 00:30 EEST',
    );
  });

  it('should write the day of the zone asked for', () => {
    expect(formatDateTimeForPerson(lateEveningUtc, 'America/New_York')).toBe(
      '13 February 2030 at 18:30 GMT-5',
    );
  });
});

describe(canonicalTimeZone.name, () => {
  it('should spell a known zone the IANA way, and know no unknown one', () => {
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('Africa/Cairo')).toBe('Africa/Cairo');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
  });
});
