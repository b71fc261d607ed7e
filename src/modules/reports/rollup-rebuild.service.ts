import { Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { type CairoDay, daysFrom, startOfCairoDay } from './report-calendar.js';
import {
  type DayRollup,
  factsOfInvitation,
  factsOfJob,
  isPayout,
  ledgerEntryFact,
  RollupFold,
} from './rollup-facts.js';
import { type PostedEntry, RollupSourcesRepository } from './rollup-sources.repository.js';
import { RollupsRepository } from './rollups.repository.js';

/** What a rebuild did. */
export interface RebuildResult {
  from: CairoDay;
  to: CairoDay;
  /** Days of [from, to] that have facts (a rollup document). */
  daysWithData: number;
  /** Days of [from, to] without any fact (no document). */
  emptyDays: number;
  /** Wall time of the recomputation and the write, ms. */
  tookMs: number;
}

/**
 * Recomputes daily rollups from the source collections (jobs, invitations, ledger entries and
 * the withdrawals they pay out) with the very functions the listener counts events with
 * (rollup-facts.ts), and replaces the stored ones. The answer to rollups that drifted (an
 * announcement lost to a crash after its write, a listener that failed, events from before the
 * reports existed): `POST /admin/reports/rebuild`. Its cost is O(documents touching the range),
 * what a report without rollups would pay every time (bench/reports.mjs).
 */
@Injectable()
export class RollupRebuildService {
  private readonly logger = new Logger(RollupRebuildService.name);

  constructor(
    private readonly sources: RollupSourcesRepository,
    private readonly rollups: RollupsRepository,
  ) {}

  /** The rollups of the days [from, to] as the source collections say now; days without facts absent. */
  async recompute(from: CairoDay, to: CairoDay): Promise<Map<CairoDay, DayRollup>> {
    const start = startOfCairoDay(from);
    const end = startOfCairoDay(nextDay(to));
    const fold = new RollupFold((day) => day >= from && day <= to);
    for await (const job of this.sources.jobsMovedBetween(start, end)) {
      factsOfJob(job).forEach((fact) => fold.add(fact));
    }
    for await (const invitation of this.sources.invitationsActiveBetween(start, end)) {
      factsOfInvitation(invitation).forEach((fact) => fold.add(fact));
    }
    const entries: PostedEntry[] = [];
    for await (const entry of this.sources.entriesPostedBetween(start, end)) {
      entries.push(entry);
    }
    const deadlines = await this.sources.deadlinesOf(
      entries.flatMap((entry) =>
        isPayout(entry.kind) && entry.withdrawal ? [entry.withdrawal] : [],
      ),
    );
    for (const entry of entries) {
      fold.add(
        ledgerEntryFact(entry, entry.withdrawal ? (deadlines.get(entry.withdrawal) ?? null) : null),
      );
    }
    return fold.days;
  }

  /**
   * The fees owed at the start of `day` (piastres), from the ledger: every posted entry before
   * it. What `RollupsRepository.feeDebtBefore` answers from the rollups.
   */
  async feeDebtBefore(day: CairoDay): Promise<number> {
    let total = 0;
    for await (const entry of this.sources.entriesPostedBetween(null, startOfCairoDay(day))) {
      total += ledgerEntryFact(entry, null)?.inc.feeDebtChange ?? 0;
    }
    return total;
  }

  /**
   * Recomputes the days [from, to] and replaces their rollups. Safe to run again; best run when
   * quiet: what the listener counts into these days while it reads is overwritten (run it again
   * to be sure).
   */
  async rebuild(from: CairoDay, to: CairoDay): Promise<RebuildResult> {
    const started = performance.now();
    const rollups = await this.recompute(from, to);
    const { withData, empty } = await this.rollups.replaceDays(daysFrom(from, to), rollups);
    const tookMs = Math.round(performance.now() - started);
    this.logger.log(`Rollups of ${from}..${to} rebuilt: ${withData} days with data, ${tookMs} ms`);
    return { from, to, daysWithData: withData, emptyDays: empty, tookMs };
  }
}

function nextDay(day: CairoDay): CairoDay {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}
