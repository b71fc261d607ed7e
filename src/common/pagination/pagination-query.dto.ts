import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { Optional } from '../validation/optional.decorator.js';

export const MAX_PAGE_SIZE = 100;

/** `?page=1&limit=10` on every list. Extend it with a list's own filters. */
export class PaginationQueryDto {
  /** 1-based page number. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  /** Items per page, at most 100. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 10;
}

/** A list that also pages by cursor: `?after=<nextCursor>` continues after the previous page. */
export class CursorPaginationQueryDto extends PaginationQueryDto {
  /**
   * The `pagination.nextCursor` of the previous page. The next page then starts right after
   * that page's last item, at the same cost however deep it is; `page` is ignored.
   */
  @Optional()
  @IsString()
  @MaxLength(512)
  after?: string;
}
