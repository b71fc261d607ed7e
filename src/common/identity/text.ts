/**
 * Characters that render as nothing (zero-width spaces and joiners, word joiner, BOM, soft
 * hyphen, bidi controls, Hangul fillers, variation selectors...): Unicode's
 * Default_Ignorable_Code_Point property, so the list stays Unicode's, not ours.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/** `text` without the characters that render as nothing, trimmed. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '').trim();
}

/** Scripts whose letters may share one word (UTS #39 "highly restrictive" profile). */
const COMPATIBLE_WITH_HAN = new Set(['Hiragana', 'Katakana', 'Hangul', 'Bopomofo']);

/**
 * The scripts a letter may belong to, most common first. A letter of none of them counts as
 * `Other` (a word of Latin and such a letter is still two scripts).
 */
const SCRIPTS = [
  'Latin',
  'Arabic',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Hebrew',
  'Georgian',
  'Cherokee',
  'Coptic',
  'Syriac',
  'Thaana',
  'Ethiopic',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Mongolian',
  'Tifinagh',
  'Canadian_Aboriginal',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Bopomofo',
].map((name) => ({ name, pattern: new RegExp(`^\\p{Script=${name}}$`, 'u') }));

/** Digits, punctuation and combining marks belong to no script of their own. */
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

function scriptOf(char: string): string | null {
  if (NEUTRAL.test(char)) {
    return null;
  }
  return SCRIPTS.find(({ pattern }) => pattern.test(char))?.name ?? 'Other';
}

/**
 * The scripts of the letters in `text` (`Common` and `Inherited` characters, such as digits,
 * `.`, `-`, `+`, are in none), e.g. `['Latin', 'Cyrillic']` for `pаypal` with a Cyrillic `а`.
 * Han goes with Hiragana, Katakana, Hangul or Bopomofo, as Japanese and Korean write.
 */
export function scriptsOf(text: string): string[] {
  const scripts = new Set<string>();
  for (const char of text) {
    const script = scriptOf(char);
    if (script) {
      scripts.add(script);
    }
  }
  if (scripts.has('Han') && [...scripts].some((script) => COMPATIBLE_WITH_HAN.has(script))) {
    scripts.delete('Han');
  }
  if (scripts.has('Hiragana') && scripts.has('Katakana')) {
    scripts.delete('Katakana');
  }
  return [...scripts];
}

/** True when the letters of `text` come from more than one script (a look-alike's mark). */
export function isMixedScript(text: string): boolean {
  return scriptsOf(text).length > 1;
}
