/**
 * Arabic spelling folded to one form, so that the ways people type a word (with or without
 * hamza, ta marbuta written as ha, alef maqsura as ya, short vowels, tatweel, Arabic-Indic
 * digits, letters held down: "فلووووس") meet the FAQ's spelling. Pure: the same text always
 * gives the same result, and both the FAQ and the question go through it.
 *
 * What it folds (the usual light normalisation of Arabic retrieval, Larkey et al., "Light
 * stemming for Arabic information retrieval", plus what Egyptian typing adds):
 * - compatibility forms (presentation forms, full-width Latin) by NFKC;
 * - diacritics U+064B–U+065F (tanween, harakat, shadda, sukun, hamza and madda marks) and the
 *   superscript alef U+0670; tatweel U+0640;
 * - أ إ آ ٱ → ا; ى and Persian ی → ي; ة → ه; ؤ → و; ئ → ي; Persian ک → ك;
 * - Arabic-Indic (٠–٩) and Eastern Arabic-Indic (۰–۹) digits → 0–9;
 * - Arabic punctuation (، ؛ ؟) → its Latin counterpart;
 * - a letter typed three times or more in a row → once (Arabic spelling never triples one),
 *   and a doubled ي → one (تقييم is often typed تقيم);
 * - Latin letters lower-cased (questions mix both scripts: "ازاي اعمل refund").
 */
export function normalizeArabic(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627')
    .replace(/[\u0649\u06CC\u0626]/g, '\u064A')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0624/g, '\u0648')
    .replace(/\u06A9/g, '\u0643')
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(/\u060C/g, ',')
    .replace(/\u061B/g, ';')
    .replace(/\u061F/g, '?')
    .replace(/([\u0621-\u064A])\1{2,}/g, '$1')
    .replace(/\u064A\u064A/g, '\u064A')
    .toLowerCase();
}

/** Whether the text has Arabic letters (U+0621–U+064A, after or before normalisation). */
export function hasArabicLetters(text: string): boolean {
  return /[\u0600-\u06FF]/.test(text);
}

/** The article and conjunctions written joined to a word, longest first. */
const ARTICLE_PREFIXES = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال'] as const;

/**
 * Egyptian verb prefixes: the continuous ب (بيدفع، بتتحجز) and the future ه/ح (هسحب، حيدفع)
 * before the person marker (ي، ت، ن، ا).
 */
const VERB_PREFIXES = ['بي', 'بت', 'بن', 'با', 'هي', 'هت', 'هن', 'حي', 'حت', 'حن'] as const;

/** Pronoun and plural endings, each stripped once in this order (Light10's list, plus كم، نا، هم). */
const SUFFIXES = ['ها', 'هم', 'كم', 'نا', 'ان', 'ات', 'ون', 'ين', 'يه', 'ه', 'ي', 'ك'] as const;

/**
 * A light stem of one normalised Arabic word (`normalizeArabic` first): the joined article or
 * conjunction, an Egyptian verb prefix or the negation م…ش, and pronoun or plural endings are
 * cut, never below two letters (a root is three; a stem shorter than that matches everything).
 * Not a morphological analysis: "فلوسي"، "الفلوس" and "فلوسك" become "فلوس", "بتتحجز" and
 * "هيتحجز" become "تحجز". Words that are not Arabic come back as they are.
 */
export function lightStemArabic(word: string): string {
  if (!hasArabicLetters(word) || word.length < 4) {
    return word;
  }
  let stem = word;
  // Egyptian negation wraps the verb: مبيوصلش، ماوصلتش
  if (stem.length >= 5 && stem.startsWith('م') && stem.endsWith('ش')) {
    stem = stem.slice(stem.startsWith('ما') ? 2 : 1, -1);
  }
  stem = stripPrefix(stem);
  for (const suffix of SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= 3) {
      stem = stem.slice(0, -suffix.length);
    }
  }
  return stem;
}

function stripPrefix(word: string): string {
  const article = ARTICLE_PREFIXES.find(
    (prefix) => word.startsWith(prefix) && word.length - prefix.length >= 2,
  );
  if (article) {
    return word.slice(article.length);
  }
  const verb = VERB_PREFIXES.find((prefix) => word.startsWith(prefix) && word.length >= 5);
  if (verb) {
    return word.slice(verb.length);
  }
  // a joined و (and) before a word of four letters or more: "وفلوسي"
  return word.startsWith('و') && word.length >= 5 ? word.slice(1) : word;
}
