import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsIn } from 'class-validator';
import { PaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { DisputeStatus } from '../schemas/dispute.schema.js';

/** `GET /admin/disputes?status=&sort=`: newest first by default, `slaDue` the most urgent first. */
export class ListDisputesQueryDto extends PaginationQueryDto {
  @ApiProperty({ enum: DisputeStatus, enumName: 'DisputeStatus', required: false })
  @Optional()
  @IsEnum(DisputeStatus)
  status?: DisputeStatus;

  /** `newest` (default) or `slaDue`: the earliest resolution deadline (opened + 48 h) first. */
  @ApiProperty({ enum: ['newest', 'slaDue'], required: false })
  @Optional()
  @IsIn(['newest', 'slaDue'])
  sort?: 'newest' | 'slaDue';
}

/** `GET /admin/reports/disputes?from=&to=`: the half-open range [from, to), at most 366 days. */
export class DisputeReportQueryDto {
  /** ISO-8601 instant, inclusive. */
  @Type(() => Date)
  @IsDate()
  from!: Date;

  /** ISO-8601 instant, exclusive. */
  @Type(() => Date)
  @IsDate()
  to!: Date;
}
