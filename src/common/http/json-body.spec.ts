import { jsonNestsDeeperThan } from './json-body.js';

describe(jsonNestsDeeperThan.name, () => {
  it('should measure arrays and objects alike', () => {
    expect(jsonNestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(jsonNestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":{"b":{"c":{}}}}', 3)).toBe(true);
  });

  it('should not count brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan('{"text":"[[[[[[{{{{"}', 2)).toBe(false);
    expect(jsonNestsDeeperThan('{"text":"quote \\" [[[[[["}', 2)).toBe(false);
  });

  it('should let flat bodies through however long', () => {
    expect(
      jsonNestsDeeperThan(JSON.stringify({ list: Array.from({ length: 10_000 }, (_, i) => i) }), 2),
    ).toBe(false);
  });
});
