/**
 * Where the next page of a newest-first timeline starts in one of the sources it merges (a
 * user's history: his jobs, quotes, payments, ...), given the last item the previous page
 * showed. Items of the source older than `at` follow; of those at `at` itself, all of them,
 * none, or those whose `_id` is below `idBelow` (the source of the last item, which is ordered
 * by `_id` at equal times).
 */
export interface TimelineBound {
  at: Date;
  sameTime: 'all' | 'none' | { idBelow: string };
}

/** One page's read of a user's records for his timeline (the repositories' `findForHistory`). */
export interface TimelineRead {
  userId: string;
  /** Null: the first page. */
  before: TimelineBound | null;
  limit: number;
}

/** The sort every source of a timeline is read in: newest first, then by `_id`. */
export function timelineSort(timeField = 'createdAt'): Record<string, -1> {
  return { [timeField]: -1, _id: -1 };
}

/**
 * The condition on `timeField` (and `_id`) that keeps the items after `before`, to spread into
 * a filter beside the user's equality field (which keeps serving as the index's prefix).
 */
export function olderThan(
  before: TimelineBound | null,
  timeField = 'createdAt',
): Record<string, unknown> {
  if (!before) {
    return {};
  }
  const { at, sameTime } = before;
  if (sameTime === 'all') {
    return { [timeField]: { $lte: at } };
  }
  if (sameTime === 'none') {
    return { [timeField]: { $lt: at } };
  }
  return {
    $or: [{ [timeField]: { $lt: at } }, { [timeField]: at, _id: { $lt: sameTime.idBelow } }],
  };
}
