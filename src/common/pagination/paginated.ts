export interface PageRequest {
  page: number;
  limit: number;
}

export interface PaginationMeta {
  page: number;
  limit: number;
  totalPages: number;
  totalItems: number;
}

export interface Paginated<T> {
  data: T[];
  pagination: PaginationMeta;
}

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
export function mapPage<T, U>(page: Paginated<T>, map: (item: T) => U): Paginated<U> {
  return { data: page.data.map(map), pagination: page.pagination };
}
