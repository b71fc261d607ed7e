import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsMongoId, Matches } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { ActivityAction, ActivityTargetType, SYSTEM_ROLE } from '../activity-actions.js';

/**
 * `GET /admin/activity-log?actor=&action=&targetType=&targetId=&from=&to=&page=&limit=&after=`:
 * every filter optional, all of them together narrow the list.
 */
export class ActivityLogQueryDto extends CursorPaginationQueryDto {
  /** The acting user's id, or `system` for what nobody did by hand (sweeps, gateways). */
  @ApiProperty({ required: false, example: '665f1c2e9b1d8a0012345678' })
  @Optional()
  @Matches(new RegExp(`^([0-9a-fA-F]{24}|${SYSTEM_ROLE})$`), {
    message: `actor must be a user id or "${SYSTEM_ROLE}"`,
  })
  actor?: string;

  @ApiProperty({ enum: ActivityAction, enumName: 'ActivityAction', required: false })
  @Optional()
  @IsEnum(ActivityAction)
  action?: ActivityAction;

  @ApiProperty({ enum: ActivityTargetType, enumName: 'ActivityTargetType', required: false })
  @Optional()
  @IsEnum(ActivityTargetType)
  targetType?: ActivityTargetType;

  /** The id of what the action was done to (a user, a job, a dispute, ...). */
  @Optional()
  @IsMongoId()
  targetId?: string;

  /** ISO-8601 instant, inclusive. */
  @Optional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** ISO-8601 instant, exclusive. */
  @Optional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}
