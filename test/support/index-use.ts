// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw MongoDB filters and sorts
export type Document = Record<string, any>;

export interface RecordedFind {
  collection: string;
  filter: Document;
  sort: Document;
}

const isScalar = (value: unknown): boolean =>
  value === null || typeof value !== 'object' || value instanceof Date || 'toHexString' in value;

/**
 * Equality fields at the top of a filter (operators and `$or` branches are left to the index
 * scan's filter). `{$in: [a, b]}` of plain values counts: MongoDB reads one index range per
 * value and merges them in the index's order (SORT_MERGE), with no blocking sort.
 */
export function equalityFields(filter: Document): string[] {
  return Object.entries(filter)
    .filter(
      ([key, value]) =>
        !key.startsWith('$') &&
        (isScalar(value) ||
          (Object.keys(value as object).length === 1 &&
            Array.isArray((value as Document).$in) &&
            ((value as Document).$in as unknown[]).every(isScalar))),
    )
    .map(([key]) => key);
}

/**
 * An index serves a find when its leading keys are equality fields of the filter (at least
 * one), followed by the sort's keys in the sort's order and directions (or all reversed): an
 * index scan in sort order, with no collection scan and no in-memory sort.
 */
export function servedBy(find: Pick<RecordedFind, 'filter' | 'sort'>, indexKey: Document): boolean {
  const keys = Object.keys(indexKey);
  const equalities = new Set(equalityFields(find.filter));
  let i = 0;
  while (i < keys.length && equalities.has(keys[i])) {
    i += 1;
  }
  const sorted = Object.entries(find.sort);
  const follows = (flip: 1 | -1) =>
    sorted.every(
      ([key, order], j) => keys[i + j] === key && indexKey[key] === flip * Number(order),
    );
  return i > 0 && (follows(1) || follows(-1));
}
