import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonErrors } from '../../common/errors/domain.error.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { Role } from '../../common/auth/role.js';
import {
  ApiPaginatedResponse,
  CursorPaginationMetaDto,
} from '../../common/pagination/paginated-response.dto.js';
import { type CursorPaginated, mapPage } from '../../common/pagination/paginated.js';
import { SYSTEM_ROLE } from './activity-actions.js';
import { ActivityLogService } from './activity-log.service.js';
import { ActivityEntryResponseDto } from './dto/activity-entry-response.dto.js';
import { ActivityLogQueryDto } from './dto/activity-log-query.dto.js';
import { ChainVerificationResponseDto } from './dto/chain-verification-response.dto.js';

/** The activity log (API.md "Operations"): admins only (a moderator gets 403). */
@ApiTags('admin')
@Controller('admin/activity-log')
export class ActivityLogController {
  constructor(private readonly activity: ActivityLogService) {}

  @Get()
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'Every important action (registrations, deletions, bans, verifications, services, forced moves, disputes, payouts, adjustments), newest first, by actor, action, target and time',
  })
  @ApiPaginatedResponse(ActivityEntryResponseDto, undefined, CursorPaginationMetaDto)
  async list(
    @Query() query: ActivityLogQueryDto,
  ): Promise<CursorPaginated<ActivityEntryResponseDto>> {
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from >= to) {
      throw CommonErrors.validation([{ field: 'to', message: 'to must be after from' }]);
    }
    const page = await this.activity.list(
      {
        actorId: query.actor === SYSTEM_ROLE ? null : query.actor,
        action: query.action,
        targetType: query.targetType,
        targetId: query.targetId,
        from,
        to,
      },
      query,
    );
    return mapPage(page, (entry) => ActivityEntryResponseDto.from(entry));
  }

  @Get('verify')
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'Recompute the activity log’s hash chain in order and report the first entry edited, removed or out of place',
  })
  @ApiOkResponse({ type: ChainVerificationResponseDto })
  async verify(): Promise<ChainVerificationResponseDto> {
    const { head, ...verification } = await this.activity.verify();
    return { ...verification, head: { seq: head.seq, digest: head.hash } };
  }
}
