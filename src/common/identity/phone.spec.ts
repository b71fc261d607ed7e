import { toE164 } from './phone.js';

describe(toE164.name, () => {
  it.each([
    '010 0123 4567',
    '01001234567',
    '0020 10 0123 4567',
    '00201001234567',
    '+20 10 0123 4567',
    '+20 (100) 123-4567',
  ])('should write the Egyptian number %p as +201001234567', (raw) => {
    expect(toE164(raw, 'EG')).toBe('+201001234567');
  });

  it('should read a national number in the region given', () => {
    expect(toE164('050 123 4567', 'SA')).toBe('+966501234567');
  });

  it('should keep a foreign number given with its country code', () => {
    expect(toE164('+1 202 555 0143', 'EG')).toBe('+12025550143');
  });

  it.each(['12345', '0100', '+20 999 999', 'phone', '+999 1234 5678'])(
    'should answer null for %p, which is no valid number',
    (raw) => {
      expect(toE164(raw, 'EG')).toBeNull();
    },
  );
});
