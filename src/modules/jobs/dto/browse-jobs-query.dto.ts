import { IsBoolean, IsEnum, IsString, MaxLength } from 'class-validator';
import { MAX_CURSOR_LENGTH } from '../../../common/database/cursor.js';
import { NearPaginationQueryDto } from '../../../common/geo/near-query.dto.js';
import { BooleanQuery } from '../../../common/validation/boolean-query.decorator.js';
import { JobStatus } from '../job-status.js';
import { Optional } from '../../../common/validation/optional.decorator.js';

export class BrowseJobsQueryDto extends NearPaginationQueryDto {
  /** Without `mine`, only open statuses (posted, quoted). */
  @Optional()
  @IsEnum(JobStatus)
  status?: JobStatus;

  /** A service name from the catalog. */
  @Optional()
  @IsString()
  @MaxLength(60)
  category?: string;

  /** Words the title's words start with, case-insensitive. */
  @Optional()
  @IsString()
  @MaxLength(100)
  q?: string;

  /** A client's own jobs, or the jobs a craftsman was hired for; any status. */
  @Optional()
  @BooleanQuery()
  @IsBoolean()
  mine?: boolean;

  /**
   * The `pagination.nextCursor` of the previous page: the next page starts right after its last
   * job, however many were posted meanwhile (`page` is ignored). Newest-first lists only: not
   * with `lat,lng`.
   */
  @Optional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  after?: string;
}
