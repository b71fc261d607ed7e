import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { Role } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { OverviewQueryDto } from './dto/overview-query.dto.js';
import { OverviewResponseDto } from './dto/overview-response.dto.js';
import { RebuildResponseDto } from './dto/rebuild-response.dto.js';
import { ReportRangeDto } from './dto/report-range.dto.js';
import { ReportsService } from './reports.service.js';

/**
 * The operators' reports (API.md "Operations"), admins only. `GET /admin/reports/disputes` is
 * the disputes module's.
 */
@ApiTags('admin')
@Controller('admin/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('overview')
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'The marketplace per day, week (Saturday–Friday) or month of Cairo calendar days: jobs posted, quoted and hired, first-quote time, invitations accepted, completions, cancellations, disputes, GMV by payment type, fees, fee debt, payouts within SLA; format=csv for CSV',
  })
  @ApiExtraModels(OverviewResponseDto)
  @ApiOkResponse({
    description: 'JSON; with format=csv, text/csv: a header row, then one row per period',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(OverviewResponseDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED: a day not written YYYY-MM-DD, to before from, over 731 days',
  })
  async overview(
    @Query() query: OverviewQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OverviewResponseDto | string> {
    const overview = await this.reports.overview(query);
    if (query.format !== 'csv') {
      return overview;
    }
    void reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="overview-${query.from}-${query.to}-${query.granularity}.csv"`,
      );
    return this.reports.toCsv(overview);
  }

  @Post('rebuild')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'Recompute the daily rollups of [from, to] from jobs, invitations, ledger entries and withdrawals, and replace them (after a crash lost events, or for data from before the reports)',
  })
  @ApiOkResponse({ type: RebuildResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  rebuild(@Body() body: ReportRangeDto): Promise<RebuildResponseDto> {
    return this.reports.rebuild(body);
  }
}
