import { normalizeEmail, normalizePhone } from './users.service.js';

describe(normalizePhone.name, () => {
  it.each([
    ['+20 100-123 4567', '+201001234567'],
    ['+201001234567', '+201001234567'],
    ['(010) 0123.4567', '01001234567'],
    [' 01001234567 ', '01001234567'],
  ])('should write %p as %p', (raw, normalized) => {
    expect(normalizePhone(raw)).toBe(normalized);
  });
});

describe(normalizeEmail.name, () => {
  it('should trim and lower-case', () => {
    expect(normalizeEmail('  Mona.Khaled@Example.COM ')).toBe('mona.khaled@example.com');
  });
});
