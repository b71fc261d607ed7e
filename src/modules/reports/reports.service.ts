import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import type { OverviewResponseDto } from './dto/overview-response.dto.js';
import { type CairoDay, dayCount, daysFrom, type Granularity } from './report-calendar.js';
import { buildOverview, csvRowOf, OVERVIEW_CSV_COLUMNS } from './report-figures.js';
import { type RebuildResult, RollupRebuildService } from './rollup-rebuild.service.js';
import { ReportsErrors } from './reports.errors.js';
import { RollupsRepository } from './rollups.repository.js';

/** The widest range of a report or a rebuild: two years of days (a leap day included). */
export const MAX_REPORT_DAYS = 731;

/** A report's range and grouping. */
export interface OverviewRequest {
  from: CairoDay;
  to: CairoDay;
  granularity: Granularity;
}

/**
 * The marketplace overview for operators (API.md "Operations"): per period, its funnel (jobs
 * posted, quoted, hired; invitations accepted), its outcomes (completions, cancellations,
 * disputes) and its money (GMV by payment type, platform fees, fee debt, payouts within SLA).
 * What each figure counts is in OverviewPeriodDto and rollup-facts.ts. Read from the daily
 * rollups: a report costs O(days), whatever the number of jobs.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly rebuilder: RollupRebuildService,
  ) {}

  /**
   * The overview from the rollups: two reads (the days' documents, the fee debt before them).
   * @throws 400 VALIDATION_FAILED (to before from, or more than MAX_REPORT_DAYS days)
   */
  async overview(request: OverviewRequest): Promise<OverviewResponseDto> {
    const days = daysOf(request);
    const [figures, feeDebtBefore] = await Promise.all([
      this.rollups.findDays(days),
      this.rollups.feeDebtBefore(request.from),
    ]);
    return buildOverview(request, figures, feeDebtBefore);
  }

  /**
   * The same overview recomputed from the source collections, as the rebuild computes it:
   * O(documents touching the range). For checking the rollups and measuring what they save
   * (bench/reports.mjs); not a route.
   * @throws 400 VALIDATION_FAILED (as `overview`)
   */
  async overviewFromSources(request: OverviewRequest): Promise<OverviewResponseDto> {
    daysOf(request);
    const [rollups, feeDebtBefore] = await Promise.all([
      this.rebuilder.recompute(request.from, request.to),
      this.rebuilder.feeDebtBefore(request.from),
    ]);
    return buildOverview(request, rollups.values(), feeDebtBefore);
  }

  /** The overview as CSV (RFC 4180): a header, then one row per period; `gmv` flattened. */
  toCsv(overview: OverviewResponseDto): string {
    return stringify([[...OVERVIEW_CSV_COLUMNS], ...overview.periods.map(csvRowOf)]);
  }

  /**
   * Recomputes and replaces the rollups of [from, to] (RollupRebuildService.rebuild).
   * @throws 400 VALIDATION_FAILED (as `overview`)
   */
  rebuild(range: { from: CairoDay; to: CairoDay }): Promise<RebuildResult> {
    checkRange(range);
    return this.rebuilder.rebuild(range.from, range.to);
  }
}

function checkRange(range: { from: CairoDay; to: CairoDay }): void {
  const count = dayCount(range.from, range.to);
  if (count < 1 || count > MAX_REPORT_DAYS) {
    throw ReportsErrors.range(MAX_REPORT_DAYS);
  }
}

function daysOf(range: { from: CairoDay; to: CairoDay }): CairoDay[] {
  checkRange(range);
  return daysFrom(range.from, range.to);
}
