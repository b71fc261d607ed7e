import { isMixedScript, scriptsOf, stripInvisible } from './text.js';

describe(stripInvisible.name, () => {
  it.each([
    ['zero-width space', 'Mo\u200Bna'],
    ['zero-width joiner and non-joiner', '\u200DMo\u200Cna'],
    ['word joiner and BOM', '\uFEFFMo\u2060na'],
    ['soft hyphen', 'Mo\u00ADna'],
    ['bidi overrides', '\u202EMona\u202C'],
  ])('should remove the %s', (_what, raw) => {
    expect(stripInvisible(raw)).toBe('Mona');
  });

  it('should keep visible letters of every script and trim', () => {
    expect(stripInvisible('  منى خالد ')).toBe('منى خالد');
  });
});

describe(scriptsOf.name, () => {
  it.each([
    ['admin', ['Latin']],
    ['аdmin', ['Cyrillic', 'Latin']],
    ['mona.khaled+work-2', ['Latin']],
    ['1234.567', []],
    ['пример', ['Cyrillic']],
    ['مني', ['Arabic']],
    ['παypal', ['Greek', 'Latin']],
    ['東京とトウキョウ', ['Hiragana']],
    ['서울시청', ['Hangul']],
  ])('should find the scripts of %p', (text, scripts) => {
    expect(scriptsOf(text).sort()).toEqual([...scripts].sort());
  });
});

describe(isMixedScript.name, () => {
  it('should call Latin with one Cyrillic letter mixed, and one script alone not', () => {
    expect(isMixedScript('pаypal')).toBe(true);
    expect(isMixedScript('paypal')).toBe(false);
    expect(isMixedScript('пример')).toBe(false);
  });
});
