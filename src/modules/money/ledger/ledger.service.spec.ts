import fc from 'fast-check';
import { checkPostings, UnbalancedEntryError } from './ledger.service.js';

const A = 'craftsman:64b000000000000000000001:available';
const B = 'platform:revenue';
const C = 'gateway:paymob';

describe(checkPostings.name, () => {
  it('should accept a balanced transfer of two or more postings on distinct accounts', () => {
    expect(() =>
      checkPostings([
        { account: A, amount: 1_000 },
        { account: B, amount: -1_000 },
      ]),
    ).not.toThrow();
    expect(() =>
      checkPostings([
        { account: A, amount: -1 },
        { account: B, amount: 3 },
        { account: C, amount: -2 },
      ]),
    ).not.toThrow();
  });

  it.each([
    ['no posting', [], 'An entry has at least two postings'],
    ['a single posting', [{ account: A, amount: 0 }], 'An entry has at least two postings'],
    [
      'a zero amount',
      [
        { account: A, amount: 0 },
        { account: B, amount: 0 },
      ],
      `Posting to ${A}: 0 is not a non-zero integer`,
    ],
    [
      'a fraction of a piastre',
      [
        { account: A, amount: 0.5 },
        { account: B, amount: -0.5 },
      ],
      `Posting to ${A}: 0.5 is not a non-zero integer`,
    ],
    [
      'an amount past the safe integers',
      [
        { account: A, amount: 2 ** 53 },
        { account: B, amount: -(2 ** 53) },
      ],
      `Posting to ${A}: ${2 ** 53} is not a non-zero integer`,
    ],
    [
      'the same account twice',
      [
        { account: A, amount: 5 },
        { account: A, amount: -5 },
      ],
      `Posting to ${A}: bad or repeated account`,
    ],
    [
      'a malformed account name',
      [
        { account: 'Platform:Revenue', amount: 5 },
        { account: B, amount: -5 },
      ],
      'Posting to Platform:Revenue: bad or repeated account',
    ],
    [
      'postings that do not sum to zero',
      [
        { account: A, amount: 5 },
        { account: B, amount: -4 },
      ],
      'The postings sum to 1, not 0',
    ],
  ])('should refuse %s', (_, postings, message) => {
    expect(() => checkPostings(postings)).toThrow(new UnbalancedEntryError(message));
  });

  it('should refuse any postings whose sum is off by a non-zero amount', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((n) => n !== 0),
          {
            minLength: 1,
            maxLength: 2,
          },
        ),
        fc.integer({ min: -1_000, max: 1_000 }).filter((n) => n !== 0),
        (amounts, error) => {
          const accounts = [A, B, C];
          const balanced = -amounts.reduce((sum, amount) => sum + amount, 0);
          fc.pre(balanced !== 0 && balanced + error !== 0);
          const postings = [...amounts, balanced + error].map((amount, i) => ({
            account: accounts[i],
            amount,
          }));
          expect(() => checkPostings(postings)).toThrow(`The postings sum to ${error}, not 0`);
        },
      ),
    );
  });
});
