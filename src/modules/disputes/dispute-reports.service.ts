import { Injectable } from '@nestjs/common';
import { MAX_REPORT_RANGE_MS } from './dispute-limits.js';
import { DisputesErrors } from './disputes.errors.js';
import { DisputesRepository, type OpenerStats } from './disputes.repository.js';
import type { DisputeReportDto } from './dto/dispute-response.dto.js';

const HOUR_MS = 3_600_000;
/** At most this many resolutions feed one report (a year of a busy marketplace). */
const REPORT_MAX_RESOLUTIONS = 100_000;

/**
 * What staff read about disputes as a whole: the SLA report (the seed's target: a median under
 * 72 hours to resolve) and, per user, the disputes he opened and how they ended (eBay watches
 * repeat filers).
 */
@Injectable()
export class DisputeReportsService {
  constructor(private readonly disputes: DisputesRepository) {}

  /**
   * `GET /admin/reports/disputes`: disputes opened in [from, to), and of those resolved in
   * [from, to) the nearest-rank median and 90th percentile of the hours they took (one
   * decimal) and how many took over 72 hours.
   * @throws 400 VALIDATION_FAILED (to not after from, or a range over 366 days)
   */
  async report(from: Date, to: Date): Promise<DisputeReportDto> {
    const span = to.getTime() - from.getTime();
    if (span <= 0 || span > MAX_REPORT_RANGE_MS) {
      throw DisputesErrors.reportRange();
    }
    const { opened, durationsMs } = await this.disputes.resolutionTimes(
      from,
      to,
      REPORT_MAX_RESOLUTIONS,
    );
    const hours = durationsMs.map((ms) => ms / HOUR_MS).sort((a, b) => a - b);
    return {
      opened,
      resolved: hours.length,
      medianHoursToResolve: nearestRank(hours, 0.5),
      p90HoursToResolve: nearestRank(hours, 0.9),
      breaches72h: hours.filter((value) => value > 72).length,
    };
  }

  /** For each of `userIds`, the disputes he opened and how they ended (one aggregation). */
  async countsFor(userIds: string[]): Promise<Map<string, Omit<OpenerStats, 'userId'>>> {
    const rows = await this.disputes.openerStats([...new Set(userIds)]);
    return new Map(rows.map(({ userId, ...counts }) => [userId, counts]));
  }
}

/** The nearest-rank percentile of sorted values, one decimal; null for none. */
export function nearestRank(sorted: number[], p: number): number | null {
  if (sorted.length === 0) {
    return null;
  }
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return Math.round(sorted[rank - 1] * 10) / 10;
}
