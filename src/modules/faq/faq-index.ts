import MiniSearch, { type SearchOptions, type SearchResult } from 'minisearch';
import { hasArabicLetters } from './arabic-normalizer.js';
import { termOf, termsOf, tokenize } from './faq-text.js';
import { type NearTerm, NearTerms } from './near-terms.js';
import type { FaqEntryEntity, FaqLanguage } from './schemas/faq-entry.schema.js';

/** What the index needs of an entry. */
export type IndexedFaqEntry = Pick<
  FaqEntryEntity,
  'id' | 'topic' | 'language' | 'question' | 'answer' | 'keywords'
>;

/** A topic found for a question: its entry in the asker's language, and how well it matched. */
export interface FaqMatch<T extends IndexedFaqEntry = IndexedFaqEntry> {
  entry: T;
  /** 0..1: the share of the question the topic answers (see `FaqIndex.ask`). */
  score: number;
}

export interface FaqAskOptions {
  /** Answer in this language when the topic has it (else its other language). */
  language: FaqLanguage;
  /** At most this many topics. */
  limit: number;
  /** Topics scoring below this are left out. */
  minScore: number;
}

/** One topic as MiniSearch indexes it: the text of all its languages, by field. */
interface TopicDocument {
  id: number;
  question: string;
  answer: string;
  keywords: string;
}

/**
 * Field weights: the question and the keywords say what a topic is about, the answer mentions
 * much else in passing.
 */
const BOOST = { question: 2, keywords: 1.5, answer: 1 };

/**
 * A query term matched through a prefix or a near spelling ("widthraw" for "withdraw") covers
 * less of the question than the same word exactly.
 */
const INEXACT_MATCH = 0.7;

/**
 * A query term found only in a topic's answer covers less of the question than one in its
 * question or keywords: answers mention much in passing ("never", "see").
 */
const ANSWER_ONLY_MATCH = 0.4;

/** The fields that say what a topic is about. */
const TOPIC_FIELDS = new Set(['question', 'keywords']);

/**
 * How far a topic behind the best one is pushed down: its score is its coverage times
 * (its BM25 / the best BM25) to this power. 0.5 keeps a second topic that covers the question
 * as well as the first a little behind it, and one the question merely brushes far behind.
 */
const RELEVANCE_EXPONENT = 0.5;

/**
 * Edits allowed for a term ("widthraw" is two from "withdraw"): none for short words, and for
 * Arabic one letter later than for English, since Arabic stems of four letters are one edit
 * apart from many others ("سلام" and "سبام").
 */
function fuzziness(term: string): number {
  const shortest = hasArabicLetters(term) ? 5 : 4;
  if (term.length < shortest) {
    return 0;
  }
  return term.length < 8 ? 1 : 2;
}

/**
 * The weight of a near spelling's match, as MiniSearch weighs its own fuzzy matches (its default
 * `weights.fuzzy` times length / (length + distance)).
 */
const FUZZY_WEIGHT = 0.45;

/**
 * How fully one query term matched a topic through one search: exactly or not (`exact`: the
 * term searched is the query's), in the topic's fields or only its answer.
 */
function matchQuality(result: SearchResult, exact: boolean): number {
  const fields = Object.values(result.match as Record<string, string[]>).flat();
  const inTopicFields = fields.some((field) => TOPIC_FIELDS.has(field));
  return (exact ? 1 : INEXACT_MATCH) * (inTopicFields ? 1 : ANSWER_ONLY_MATCH);
}

/** Each term searched as it is (`FaqIndex.ask` analyses the question itself), and its prefixes. */
const TERM_SEARCH: SearchOptions = {
  boost: BOOST,
  prefix: (term) => term.length >= 3,
  fuzzy: false,
  tokenize: (term) => [term],
  processTerm: (term) => term,
};

/** A near spelling searched exactly, weighted as a fuzzy match. */
function nearSearch(near: NearTerm): SearchOptions {
  const weight = (FUZZY_WEIGHT * near.term.length) / (near.term.length + near.distance);
  return { ...TERM_SEARCH, prefix: false, boostTerm: () => weight };
}

/** What one query term found in one topic. */
interface TermHit {
  bm25: number;
  /** The best of its matches (`matchQuality`). */
  quality: number;
}

/**
 * The FAQ's search index: built in memory from the entries (MiniSearch, BM25+ with prefix
 * matching, and near spellings from `NearTerms`) and replaced, never changed, when they change. One indexed document per
 * topic holds all its languages, so a mixed question ("ازاي اعمل refund") matches a topic by
 * its English and its Arabic words at once, and the answer comes in the asker's language.
 */
export class FaqIndex<T extends IndexedFaqEntry = IndexedFaqEntry> {
  private readonly search = new MiniSearch<TopicDocument>({
    fields: ['question', 'answer', 'keywords'],
    tokenize: (text) => tokenize(text),
    processTerm: (word) => termOf(word),
  });

  /** The entries of each topic, by the topic's document id. */
  private readonly topics: T[][] = [];

  /** The indexed terms, for near spellings. */
  private readonly nearTerms: NearTerms;

  constructor(entries: readonly T[]) {
    const byTopic = new Map<string, T[]>();
    for (const entry of entries) {
      byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), entry]);
    }
    const documents = [...byTopic.values()].map((topicEntries, id): TopicDocument => {
      this.topics.push(topicEntries);
      return {
        id,
        question: topicEntries.map((entry) => entry.question).join('\n'),
        answer: topicEntries.map((entry) => entry.answer).join('\n'),
        keywords: topicEntries.flatMap((entry) => entry.keywords).join('\n'),
      };
    });
    this.search.addAll(documents);
    this.nearTerms = new NearTerms(
      documents.flatMap((document) =>
        tokenize(`${document.question}\n${document.answer}\n${document.keywords}`).flatMap(
          (word) => termOf(word) ?? [],
        ),
      ),
    );
  }

  /** How many topics the index holds. */
  get size(): number {
    return this.topics.length;
  }

  /**
   * The topics that answer `question`, best first. MiniSearch's BM25 scores have no scale (they
   * grow with the question's length and the words' rarity), so a topic's score is computed on
   * its own scale: its coverage, the share of the question's information it matches, each term
   * weighted by its rarity across topics (idf; a term matching no topic weighs as much as the
   * rarest, so a question about something else scores low) and by how it matched (exactly, or
   * a prefix or near spelling: `INEXACT_MATCH`; in the question or keywords, or only in the
   * answer: `ANSWER_ONLY_MATCH`), times (its BM25 / the best topic's BM25) ^
   * `RELEVANCE_EXPONENT` to order topics that cover the question equally. The best possible,
   * 1, is a topic whose question or keywords hold every word of the question, ranking first.
   */
  ask(question: string, options: FaqAskOptions): Array<FaqMatch<T>> {
    const terms = termsOf(question);
    if (terms.length === 0 || this.size === 0) {
      return [];
    }
    const found = new Map<number, { bm25: number; covered: number }>();
    let totalWeight = 0;
    for (const term of terms) {
      const hits = this.lookUp(term);
      // a word no topic has weighs as much as the rarest one (not more: it may be a filler)
      const weight = Math.log(1 + this.size / (1 + Math.max(1, hits.size)));
      totalWeight += weight;
      for (const [id, hit] of hits) {
        const topic = found.get(id) ?? { bm25: 0, covered: 0 };
        topic.bm25 += hit.bm25;
        topic.covered += weight * hit.quality;
        found.set(id, topic);
      }
    }
    const bestBm25 = Math.max(0, ...[...found.values()].map((topic) => topic.bm25));
    return [...found.entries()]
      .map(([id, { bm25, covered }]) => ({
        entry: this.inLanguage(this.topics[id], options.language),
        score: (covered / totalWeight) * Math.pow(bm25 / bestBm25, RELEVANCE_EXPONENT),
      }))
      .filter((match) => match.score >= options.minScore)
      .sort((a, b) => b.score - a.score)
      .slice(0, options.limit);
  }

  /**
   * The topics one query term matches: as it is, as a prefix ("withdraw" → "withdrawal"), and
   * through near spellings ("widthraw") up to `fuzziness` edits away.
   */
  private lookUp(term: string): Map<number, TermHit> {
    const hits = new Map<number, TermHit>();
    const add = (results: SearchResult[], exact: boolean) => {
      for (const result of results) {
        const hit = hits.get(result.id as number) ?? { bm25: 0, quality: 0 };
        hit.bm25 += result.score;
        hit.quality = Math.max(
          hit.quality,
          matchQuality(result, exact && result.terms.includes(term)),
        );
        hits.set(result.id as number, hit);
      }
    };
    add(this.search.search(term, TERM_SEARCH), true);
    for (const near of this.nearTerms.near(term, fuzziness(term))) {
      // a longer term starting with this one was found as a prefix already
      if (!near.term.startsWith(term)) {
        add(this.search.search(near.term, nearSearch(near)), false);
      }
    }
    return hits;
  }

  private inLanguage(entries: T[], language: FaqLanguage): T {
    return entries.find((entry) => entry.language === language) ?? entries[0];
  }
}
