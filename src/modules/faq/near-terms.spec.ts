import { levenshtein, NearTerms } from './near-terms.js';

describe(NearTerms.name, () => {
  const vocabulary = new NearTerms(['withdraw', 'wallet', 'walet', 'refund', 'review', 'فلوس']);

  it('should find the terms one or two edits away, with their distance', () => {
    expect(vocabulary.near('widthraw', 2)).toEqual([{ term: 'withdraw', distance: 2 }]);
    expect(vocabulary.near('refnd', 1)).toEqual([{ term: 'refund', distance: 1 }]);
    expect(vocabulary.near('فلوص', 1)).toEqual([{ term: 'فلوس', distance: 1 }]);
  });

  it('should leave out the word itself and terms further than asked', () => {
    expect(vocabulary.near('wallet', 1)).toEqual([{ term: 'walet', distance: 1 }]);
    expect(vocabulary.near('widthraw', 1)).toEqual([]);
    expect(vocabulary.near('refund', 0)).toEqual([]);
  });

  it('should find what a brute-force comparison finds', () => {
    const terms = ['payment', 'payout', 'pay', 'paid', 'dispute', 'deposit', 'escrow', 'screw'];
    const near = new NearTerms(terms);
    for (const word of ['paymnt', 'pyout', 'dispte', 'esrow', 'deposite', 'xyz']) {
      const expected = terms
        .filter((term) => term !== word && levenshtein(word, term, 2) <= 2)
        .sort();
      expect(
        near
          .near(word, 2)
          .map((found) => found.term)
          .sort(),
      ).toEqual(expected);
    }
  });
});

describe(levenshtein.name, () => {
  it('should count insertions, deletions and substitutions', () => {
    expect(levenshtein('kitten', 'sitting', 5)).toBe(3);
    expect(levenshtein('', 'abc', 5)).toBe(3);
    expect(levenshtein('same', 'same', 1)).toBe(0);
  });

  it('should stop at limit + 1 once the distance is over the limit', () => {
    expect(levenshtein('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});
