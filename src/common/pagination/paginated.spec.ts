import { paginated, skipOf } from './paginated.js';

describe(paginated.name, () => {
  it('should count pages from the total', () => {
    expect(paginated(['a', 'b'], 42, { page: 5, limit: 10 })).toEqual({
      data: ['a', 'b'],
      pagination: { page: 5, limit: 10, totalPages: 5, totalItems: 42 },
    });
  });

  it('should report zero pages for an empty list', () => {
    expect(paginated([], 0, { page: 1, limit: 10 }).pagination).toEqual({
      page: 1,
      limit: 10,
      totalPages: 0,
      totalItems: 0,
    });
  });

  it('should skip the items of the pages before', () => {
    expect(skipOf({ page: 1, limit: 10 })).toBe(0);
    expect(skipOf({ page: 3, limit: 25 })).toBe(50);
  });
});
