import { mixedScriptPartOf, normalizeEmail } from './email.js';

describe(normalizeEmail.name, () => {
  it.each([
    ['case and surrounding space', '  Mona.Khaled@Example.COM ', 'mona.khaled@example.com'],
    ['full-width letters', 'ａｄｍｉｎ@ｅｘａｍｐｌｅ.com', 'admin@example.com'],
    ['zero-width characters', 'ad\u200Bmin@exa\u200Dmple.com\uFEFF', 'admin@example.com'],
    ['a full-width @', 'admin＠example.com', 'admin@example.com'],
  ])('should fold %s', (_what, raw, normalized) => {
    expect(normalizeEmail(raw)).toBe(normalized);
  });

  it('should keep the letters of another script (a look-alike is refused, not rewritten)', () => {
    expect(normalizeEmail('\u0430dmin@example.com')).toBe('\u0430dmin@example.com');
  });
});

describe(mixedScriptPartOf.name, () => {
  it('should name the local part that mixes Cyrillic and Latin', () => {
    expect(mixedScriptPartOf('\u0430dmin@example.com')).toBe('local part');
  });

  it('should name the domain label that mixes scripts', () => {
    expect(mixedScriptPartOf('admin@ex\u0430mple.com')).toBe('domain');
  });

  it.each(['admin@example.com', 'пётр@пример.рф', 'user@пример.com', 'mona+1@mail-2.example.eg'])(
    'should accept %p, one script per part',
    (email) => {
      expect(mixedScriptPartOf(email)).toBeNull();
    },
  );
});
