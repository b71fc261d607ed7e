import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsMongoId, Matches } from 'class-validator';
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

  /** ISO-8601 date or instant (`2026-11-30`, `2026-11-30T08:00:00Z`), inclusive. */
  @Optional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 date or instant' })
  from?: string;

  /** ISO-8601 date or instant, exclusive; after `from` (400 otherwise). */
  @Optional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO-8601 date or instant' })
  to?: string;
}
