export interface PageRequest {
  page: number;
  limit: number;
}

/** A page of a list that also takes `?after=<nextCursor>` (keyset pagination). */
export interface CursorPageRequest extends PageRequest {
  /** When given, the page starts right after the item this cursor names; `page` is ignored. */
  after?: string;
}

export interface PaginationMeta {
  page: number;
  limit: number;
  totalPages: number;
  totalItems: number;
}

export interface CursorPaginationMeta extends PaginationMeta {
  /** Pass as `?after=` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface Paginated<T, Meta extends PaginationMeta = PaginationMeta> {
  data: T[];
  pagination: Meta;
}

export type CursorPaginated<T> = Paginated<T, CursorPaginationMeta>;

export function skipOf({ page, limit }: PageRequest): number {
  return (page - 1) * limit;
}

export function paginated<T>(
  data: T[],
  totalItems: number,
  { page, limit }: PageRequest,
): Paginated<T> {
  return {
    data,
    pagination: { page, limit, totalPages: Math.ceil(totalItems / limit), totalItems },
  };
}

/** Same page, other items: for a service that maps a repository's page to response DTOs. */
export function mapPage<T, U, Meta extends PaginationMeta>(
  page: Paginated<T, Meta>,
  map: (item: T) => U,
): Paginated<U, Meta> {
  return { data: page.data.map(map), pagination: page.pagination };
}
