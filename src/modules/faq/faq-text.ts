import { lightStemArabic, normalizeArabic } from './arabic-normalizer.js';

/**
 * How FAQ text and questions become search terms, the same way for both: `normalizeArabic`
 * (which also lower-cases Latin letters), split on anything that is not a letter or a digit,
 * function words dropped (English, Modern Standard and Egyptian Arabic: "how", "ازاي", "عايز"),
 * then a light stem (`lightStemArabic`, `stemEnglish`) and a few spellings folded to one
 * (`SPELLINGS`: "paid" is "pay", "صنايعي" is "حرفي").
 */

/** Words that say how a question is asked, not what it is about (after `normalizeArabic`). */
const STOPWORDS = new Set([
  // English
  ...[
    'a',
    'about',
    'am',
    'an',
    'and',
    'any',
    'are',
    'as',
    'at',
    'be',
    'been',
    'but',
    'by',
    'can',
    'could',
    'did',
    'do',
    'does',
    'for',
    'from',
    'get',
    'getting',
    'got',
    'happen',
    'happens',
    'had',
    'has',
    'have',
    'he',
    'her',
    'his',
    'how',
    'i',
    'if',
    'in',
    'into',
    'is',
    'it',
    'its',
    'just',
    'me',
    'my',
    'of',
    'on',
    'or',
    'our',
    'please',
    'pls',
    'plz',
    'should',
    'so',
    'some',
    'that',
    'the',
    'their',
    'them',
    'then',
    'there',
    'they',
    'this',
    'to',
    'u',
    'us',
    'was',
    'we',
    'were',
    'what',
    'whats',
    'when',
    'where',
    'which',
    'who',
    'why',
    'will',
    'with',
    'would',
    'you',
    'your',
    // fillers of spoken questions
    'also',
    'cant',
    'didnt',
    'doesnt',
    'dont',
    'im',
    'isnt',
    'ive',
    'many',
    'much',
    'need',
    'really',
    'still',
    'too',
    'until',
    'very',
    'want',
    'wont',
  ],
  // Arabic, Modern Standard and Egyptian
  ...[
    'ازاي',
    'ازيك',
    'كيف',
    'ايه',
    'ايش',
    'ماذا',
    'ما',
    'هو',
    'هي',
    'انا',
    'انت',
    'انتو',
    'احنا',
    'نحن',
    'في',
    'من',
    'علي',
    'الي',
    'لي',
    'ليا',
    'عن',
    'مع',
    'او',
    'و',
    'ده',
    'دي',
    'دا',
    'دول',
    'اللي',
    'الذي',
    'التي',
    'هل',
    'لو',
    'اذا',
    'ان',
    'انه',
    'اني',
    'كان',
    'يكون',
    'عايز',
    'عاوز',
    'عايزه',
    'عاوزه',
    'عايزين',
    'اريد',
    'ممكن',
    'يمكن',
    'يمكنني',
    'امتي',
    'متي',
    'فين',
    'اين',
    'ليه',
    'لماذا',
    'بتاع',
    'بتاعي',
    'بتاعتي',
    'كده',
    'كدا',
    'بس',
    'يا',
    'مش',
    'لا',
    'كل',
    'اي',
    'حاجه',
    'شي',
    'اعمل',
    'اعملها',
    'يعني',
    'طيب',
    'لسه',
    'هو',
    'ذلك',
    'هذا',
    'هذه',
    'تم',
    'عند',
    'عندي',
    'حد',
    'لما',
    'اما',
    'بعد',
    'قبل',
    'ازاى',
    // the article typed apart ("الـ wallet") and fillers of spoken Egyptian questions
    'ال',
    'ينفع',
    'كذا',
    'لكذا',
    'عشان',
    'علشان',
    'بقي',
    'برضه',
    'بردو',
    'اوي',
    'مين',
    'فيها',
    'فيه',
  ].map(normalizeArabic),
]);

/** Spellings of one word folded to one (after normalisation, before stemming). */
const SPELLINGS: Readonly<Record<string, string>> = {
  paid: 'pay',
  paying: 'pay',
  payed: 'pay',
  pays: 'pay',
  cancelled: 'cancel',
  canceled: 'cancel',
  canceling: 'cancel',
  cancelling: 'cancel',
  cancellation: 'cancel',
  withdrawal: 'withdraw',
  withdrawals: 'withdraw',
  withdrew: 'withdraw',
  refunded: 'refund',
  refunds: 'refund',
  reviews: 'review',
  reviewed: 'review',
  disputes: 'dispute',
  disputed: 'dispute',
  craftsmen: 'craftsman',
  handyman: 'craftsman',
  worker: 'craftsman',
  technician: 'craftsman',
  // Egyptian Arabic word → the FAQ's word
  [normalizeArabic('صنايعي')]: normalizeArabic('حرفي'),
  [normalizeArabic('الصنايعي')]: normalizeArabic('حرفي'),
  [normalizeArabic('صنايعيه')]: normalizeArabic('حرفي'),
  [normalizeArabic('الصنايعيه')]: normalizeArabic('حرفي'),
  [normalizeArabic('الفني')]: normalizeArabic('حرفي'),
  [normalizeArabic('فني')]: normalizeArabic('حرفي'),
  [normalizeArabic('الاسطى')]: normalizeArabic('حرفي'),
  [normalizeArabic('اسطى')]: normalizeArabic('حرفي'),
};

/** The shortest term kept: one letter says nothing ("s" of "it's"). */
const MIN_TERM_LENGTH = 2;

/** Letters and digits of any script, in runs; everything else separates words. */
const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a text, normalised (`normalizeArabic`), before stopwords and stemming. */
export function tokenize(text: string): string[] {
  return normalizeArabic(text).match(WORD) ?? [];
}

/**
 * English suffixes a question and the FAQ may disagree on ("payments" / "payment",
 * "reviewing" / "review"): plural s, -ies, -es, -ing, -ed. Light on purpose; words of four
 * letters or fewer are left alone ("fees", "is").
 */
export function stemEnglish(word: string): string {
  if (!/^[a-z]+$/.test(word) || word.length <= 4) {
    return word.endsWith('s') && word.length === 4 && !word.endsWith('ss')
      ? word.slice(0, -1)
      : word;
  }
  if (word.endsWith('ies')) {
    return `${word.slice(0, -3)}y`;
  }
  if (/(ss|sh|ch|x)es$/.test(word)) {
    return word.slice(0, -2);
  }
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) {
    return word.slice(0, -1);
  }
  if (word.endsWith('ing') && word.length >= 6) {
    return word.slice(0, -3);
  }
  if (word.endsWith('ed') && word.length >= 6) {
    return word.slice(0, -2);
  }
  return word;
}

/**
 * The search term of one word from `tokenize`, or null for a function word. Both the FAQ and
 * the question go through this (MiniSearch's `processTerm`).
 */
export function termOf(word: string): string | null {
  if (STOPWORDS.has(word)) {
    return null;
  }
  const spelled = SPELLINGS[word] ?? word;
  const stem = stemEnglish(lightStemArabic(spelled));
  if (stem.length < MIN_TERM_LENGTH || STOPWORDS.has(stem)) {
    return null;
  }
  return stem;
}

/** The distinct search terms of a text, in order: what `GET /faq/ask` looks up. */
export function termsOf(text: string): string[] {
  const terms = tokenize(text).flatMap((word) => termOf(word) ?? []);
  return [...new Set(terms)];
}

/**
 * Which language a question is in: the script most of its letters are written in. A question
 * mixing both ("ازاي اعمل refund") is usually Arabic with an English word in it. Counted after
 * NFKC, so Arabic typed in presentation forms (U+FB50–FDFF, U+FE70–FEFF: some keyboards, text
 * copied from PDFs) counts as Arabic.
 */
export function languageOf(text: string): 'ar' | 'en' {
  const arabic = (text.normalize('NFKC').match(/[\u0621-\u064A]/g) ?? []).length;
  const latin = (text.match(/[a-zA-Z]/g) ?? []).length;
  return arabic > 0 && arabic * 2 >= latin ? 'ar' : 'en';
}
