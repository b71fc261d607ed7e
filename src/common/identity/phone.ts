import { type CountryCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/core';
// the full metadata (number ranges per region, not only lengths), as a JS module
import metadata from 'libphonenumber-js/max/metadata';

export type PhoneRegion = CountryCode;

/** ISO 3166-1 alpha-2 codes libphonenumber-js knows (`EG`, `SA`, `AE`, ...). */
export const PHONE_REGIONS: readonly string[] = getCountries(metadata);

/**
 * The E.164 form (`+201001234567`) of a phone number written any usual way: national
 * (`010 0123 4567`, read in `defaultRegion`), with the international prefix (`0020 10...`) or
 * with `+`. `null` when it is not a valid number (the full metadata decides, not the length).
 */
export function toE164(raw: string, defaultRegion: PhoneRegion): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultRegion, metadata);
  return parsed?.isValid() ? parsed.number : null;
}

/** What a person is told about a phone number that is not one. */
export function invalidPhoneMessage(field: string, defaultRegion: PhoneRegion): string {
  return `${field} must be a valid phone number: +<country code><number>, or a national number in ${defaultRegion}`;
}
