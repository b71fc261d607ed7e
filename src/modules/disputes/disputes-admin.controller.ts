import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Role } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { ApiPaginatedResponse } from '../../common/pagination/paginated-response.dto.js';
import { mapPage, type Paginated } from '../../common/pagination/paginated.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { toDisputeResponse } from './dispute.mapper.js';
import { DisputeReportsService } from './dispute-reports.service.js';
import { DisputeResolutionService } from './dispute-resolution.service.js';
import { DisputesService } from './disputes.service.js';
import { DisputeReportDto, DisputeResponseDto } from './dto/dispute-response.dto.js';
import { DisputeReportQueryDto, ListDisputesQueryDto } from './dto/list-disputes-query.dto.js';
import { ResolveDisputeDto } from './dto/resolve-dispute.dto.js';

const STAFF = [Role.Admin, Role.Moderator];

@ApiTags('admin')
@Controller('admin')
export class DisputesAdminController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly resolutions: DisputeResolutionService,
    private readonly reports: DisputeReportsService,
  ) {}

  @Get('disputes')
  @Authenticated({ roles: STAFF })
  @ApiOperation({
    summary:
      'Disputes by status, newest first or (sort=slaDue) the nearest resolution deadline first',
  })
  @ApiPaginatedResponse(DisputeResponseDto)
  async list(@Query() query: ListDisputesQueryDto): Promise<Paginated<DisputeResponseDto>> {
    return mapPage(
      await this.disputes.listForStaff(query.status, query.sort ?? 'newest', query),
      (dispute) => toDisputeResponse(dispute, true),
    );
  }

  @Post('disputes/:id/assign')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({ summary: 'Take an open dispute: it stops counting as unassigned' })
  @ApiOkResponse({ type: DisputeResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'DISPUTE_CLOSED' })
  async assign(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<DisputeResponseDto> {
    return toDisputeResponse(await this.disputes.assign(id, admin), true);
  }

  @Post('disputes/:id/resolve')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'Resolve a dispute: the money is settled once (release, refund, split or none) and the job completed (cancelled for a refund)',
  })
  @ApiOkResponse({ type: DisputeResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'SPLIT_MISMATCH: split amounts missing or not summing to what is held',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'DISPUTE_CLOSED: resolved, or being resolved with another decision',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'the ledger did not settle: retry the same decision',
  })
  async resolve(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: ResolveDisputeDto,
  ): Promise<DisputeResponseDto> {
    return toDisputeResponse(await this.resolutions.resolve(id, admin, body), true);
  }

  @Get('reports/disputes')
  @Authenticated({ roles: STAFF })
  @ApiOperation({
    summary:
      'Disputes opened and resolved in [from, to): nearest-rank median and p90 hours to resolve, resolutions over 72 h',
  })
  @ApiOkResponse({ type: DisputeReportDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  report(@Query() query: DisputeReportQueryDto): Promise<DisputeReportDto> {
    return this.reports.report(query.from, query.to);
  }
}
