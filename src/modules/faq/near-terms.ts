/** A vocabulary term within a few edits of a searched one. */
export interface NearTerm {
  term: string;
  /** Levenshtein distance, at least 1. */
  distance: number;
}

/**
 * The terms of a vocabulary within a few edits (Levenshtein) of a word, found by symmetric
 * deletion (Wolf Garbe's SymSpell): every term is filed under each string it gives with up to
 * `maxDistance` letters deleted, so the candidates for a word are the terms filed under its own
 * deletions, checked with the real distance. A lookup costs tens of map reads whatever the
 * vocabulary's size, where walking a tree of terms with an edit-distance matrix (MiniSearch's
 * `fuzzy`) costs a millisecond or more per word: too much for a public route that takes 300
 * characters of anything.
 */
export class NearTerms {
  private readonly byDeletion = new Map<string, string[]>();

  constructor(
    terms: Iterable<string>,
    private readonly maxDistance = 2,
  ) {
    for (const term of new Set(terms)) {
      for (const deletion of deletionsOf(term, maxDistance)) {
        const filed = this.byDeletion.get(deletion);
        if (filed) {
          filed.push(term);
        } else {
          this.byDeletion.set(deletion, [term]);
        }
      }
    }
  }

  /** The vocabulary's terms 1 to `distance` edits from `word` (not `word` itself). */
  near(word: string, distance: number): NearTerm[] {
    const within = Math.min(distance, this.maxDistance);
    if (within < 1) {
      return [];
    }
    const found = new Map<string, number>();
    for (const deletion of deletionsOf(word, within)) {
      for (const term of this.byDeletion.get(deletion) ?? []) {
        if (term === word || found.has(term) || Math.abs(term.length - word.length) > within) {
          continue;
        }
        const edits = levenshtein(word, term, within);
        if (edits <= within) {
          found.set(term, edits);
        }
      }
    }
    return [...found].map(([term, edits]) => ({ term, distance: edits }));
  }
}

/** `word` and every string made from it by deleting 1 to `depth` of its letters. */
function deletionsOf(word: string, depth: number): Set<string> {
  const all = new Set([word]);
  let level = [word];
  for (let step = 0; step < depth; step += 1) {
    const next: string[] = [];
    for (const text of level) {
      for (let index = 0; index < text.length; index += 1) {
        const deleted = text.slice(0, index) + text.slice(index + 1);
        if (!all.has(deleted)) {
          all.add(deleted);
          next.push(deleted);
        }
      }
    }
    level = next;
  }
  return all;
}

/**
 * The Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it is known to be over
 * `limit`.
 */
export function levenshtein(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) {
      return limit + 1;
    }
    previous = current;
  }
  return previous[b.length];
}
