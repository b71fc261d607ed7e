import { isEmptyBody, jsonShapeProblem, type JsonShapeLimits } from './json-body.js';

const WIDE: JsonShapeLimits = { maxDepth: 100, maxKeysPerObject: 1000, maxMembers: 100_000 };

function objectOf(keys: number): string {
  return JSON.stringify(Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, i])));
}

describe(jsonShapeProblem.name, () => {
  it('should measure the nesting of arrays and objects alike', () => {
    const depth3 = { ...WIDE, maxDepth: 3 };

    expect(jsonShapeProblem('[[[]]]', depth3)).toBeUndefined();
    expect(jsonShapeProblem('[[[[]]]]', depth3)).toBe('The body nests deeper than 3 levels');
    expect(jsonShapeProblem('{"a":{"b":{"c":{}}}}', depth3)).toBe(
      'The body nests deeper than 3 levels',
    );
  });

  it('should not count brackets, colons or commas inside strings, escaped quotes included', () => {
    const tight: JsonShapeLimits = { maxDepth: 2, maxKeysPerObject: 1, maxMembers: 2 };

    expect(jsonShapeProblem('{"text":"[[[[[[{{{{ a:b, c:d, e"}', tight)).toBeUndefined();
    expect(jsonShapeProblem('{"text":"quote \\" [[[[[[ :::,,,"}', tight)).toBeUndefined();
  });

  it('should refuse an object with more keys than allowed, at any depth', () => {
    const limits = { ...WIDE, maxKeysPerObject: 100 };

    expect(jsonShapeProblem(objectOf(100), limits)).toBeUndefined();
    expect(jsonShapeProblem(objectOf(101), limits)).toBe(
      'An object of the body has more than 100 keys',
    );
    expect(jsonShapeProblem(`{"a":[1,${objectOf(101)}]}`, limits)).toBe(
      'An object of the body has more than 100 keys',
    );
  });

  it('should count keys per object, not across sibling objects', () => {
    const limits = { ...WIDE, maxKeysPerObject: 3 };

    expect(jsonShapeProblem('{"a":{"x":1,"y":2},"b":{"x":1,"y":2},"c":3}', limits)).toBeUndefined();
  });

  it('should refuse a body with more keys and array items in all than allowed', () => {
    const limits = { ...WIDE, maxMembers: 10 };

    expect(jsonShapeProblem(JSON.stringify({ ids: [1, 2, 3, 4, 5, 6, 7, 8, 9] }), limits)).toBe(
      undefined,
    );
    expect(jsonShapeProblem(JSON.stringify({ ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }), limits)).toBe(
      'The body has more than 10 keys and array items',
    );
    expect(jsonShapeProblem(`[${'{"a":1},'.repeat(5)}{"a":1}]`, limits)).toBe(
      'The body has more than 10 keys and array items',
    );
  });

  it('should count an empty array as no items and a one-item array as one', () => {
    const limits = { ...WIDE, maxMembers: 3 };

    expect(jsonShapeProblem('{"a":[ ],"b":[ 1 ]}', limits)).toBeUndefined();
    expect(jsonShapeProblem('{"a":[[]],"b":[1]}', limits)).toBe(
      'The body has more than 3 keys and array items',
    );
  });

  it('should let every legitimate body of this API through with the default limits', () => {
    const markRead = JSON.stringify({
      ids: Array.from({ length: 500 }, () => '0123456789abcdef01234567'),
    });
    const profile = JSON.stringify({
      firstName: 'Karim',
      location: { lat: 30.04, lng: 31.23 },
      craftsmanInfo: {
        skills: Array.from({ length: 20 }, (_, i) => `skill ${i}`),
        portfolioImageUrls: Array.from({ length: 30 }, (_, i) => `https://cdn.example.com/${i}`),
      },
    });

    expect(jsonShapeProblem(markRead)).toBeUndefined();
    expect(jsonShapeProblem(profile)).toBeUndefined();
  });

  it('should refuse the 90,000 unknown properties of the reported sign-in', () => {
    expect(jsonShapeProblem(objectOf(90_000))).toBe('An object of the body has more than 100 keys');
  });
});

describe(isEmptyBody.name, () => {
  it('should take zero bytes and JSON whitespace as no body', () => {
    expect(isEmptyBody('')).toBe(true);
    expect(isEmptyBody(' \r\n\t ')).toBe(true);
  });

  it('should not take anything else as no body', () => {
    expect(isEmptyBody('{}')).toBe(false);
    expect(isEmptyBody(' null ')).toBe(false);
    expect(isEmptyBody('\ufeff')).toBe(false);
  });
});
