import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import type { CairoDay } from './report-calendar.js';
import {
  type DayRollup,
  ROLLUP_COUNTERS,
  type RollupCounters,
  type RollupFact,
  zeroCounters,
} from './rollup-facts.js';
import { DailyRollup } from './schemas/daily-rollup.schema.js';

/**
 * How many counted keys a day keeps (its latest). A fact announced again while its key is among
 * them counts nothing; one announced again after that many later facts of the same day would
 * count twice. A day of the marketplace has about 10 keys per job posted that day (posted,
 * quoted, hired, its invitations, the completions, cancellations and ledger entries of the
 * day): exact up to some 2,000 jobs a day, and a document of at most ~700 KB. Replays come
 * from retries and sweeps minutes later, not after thousands of other facts of that day.
 */
export const ROLLUP_COUNTED_KEYS = 20_000;

/** A day's figures as a report reads them (no counted keys). */
export interface DayTotals {
  day: CairoDay;
  counters: RollupCounters;
  firstQuoteMinutes: number[];
}

type RollupDocument = Partial<Record<keyof DailyRollup, unknown>> & { _id: string };

/** The `daily_rollups` documents: one per Cairo day (`_id`, `YYYY-MM-DD`). */
@Injectable()
export class RollupsRepository {
  constructor(@InjectModel(DailyRollup.name) private readonly model: Model<DailyRollup>) {}

  /**
   * Counts a fact into its day once: one upsert `$inc`, guarded by the fact's key not being
   * among the day's counted keys (`UsersRepository.countPublishedReview`'s marker list, per
   * day). When the key is there the guard matches nothing and the upsert's insert of the same
   * day is refused (E11000); the same refusal comes from two first facts of a day inserting at
   * once, so it is tried once more: a second refusal means the key was counted.
   *
   * @returns whether it counted now (false: counted before)
   */
  async count(fact: RollupFact): Promise<boolean> {
    const update = {
      $inc: fact.inc,
      $push: {
        counted: { $each: [fact.key], $slice: -ROLLUP_COUNTED_KEYS },
        ...(fact.firstQuoteMinutes !== undefined
          ? { firstQuoteMinutes: fact.firstQuoteMinutes }
          : {}),
      },
    };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await this.model
          .updateOne({ _id: fact.day, counted: { $ne: fact.key } }, update, { upsert: true })
          .exec();
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) {
          throw error;
        }
      }
    }
    return false;
  }

  /** The figures of these days that have a document (one read by `_id`, an index everywhere). */
  async findDays(days: CairoDay[]): Promise<DayTotals[]> {
    const found = await this.model
      .find({ _id: { $in: days } }, { counted: 0 })
      .lean<RollupDocument[]>()
      .exec();
    return found.map((document) => ({
      day: document._id,
      counters: countersOf(document),
      firstQuoteMinutes: (document.firstQuoteMinutes as number[] | undefined) ?? [],
    }));
  }

  /**
   * The fees owed at the start of `day` (piastres): every earlier day's `feeDebtChange`. One
   * pass over the days before it (a few thousand documents after years), never over jobs.
   */
  async feeDebtBefore(day: CairoDay): Promise<number> {
    const [total] = await this.model
      .aggregate<{ sum: number }>([
        { $match: { _id: { $lt: day } } },
        { $group: { _id: null, sum: { $sum: '$feeDebtChange' } } },
      ])
      .exec();
    return total?.sum ?? 0;
  }

  /**
   * Replaces the documents of `days` with the rebuilt ones (a day without facts loses its
   * document): one bulk write (a command for the replacements, one for the removals). What the listener counts into these days between the rebuild's
   * reading and this write is overwritten; a fact it read is among the keys written, so an
   * announcement of it afterwards counts nothing.
   *
   * @returns how many days have a document now, and how many have none
   */
  async replaceDays(
    days: CairoDay[],
    rollups: Map<CairoDay, DayRollup>,
  ): Promise<{ withData: number; empty: number }> {
    const operations: Array<AnyBulkWriteOperation<DailyRollup>> = [];
    const empty: CairoDay[] = [];
    for (const day of days) {
      const rollup = rollups.get(day);
      if (!rollup) {
        empty.push(day);
        continue;
      }
      // the id too: Mongoose validates a replacement as a whole document
      const replacement: DailyRollup = {
        _id: day,
        ...rollup.counters,
        firstQuoteMinutes: rollup.firstQuoteMinutes,
        counted: rollup.counted.slice(-ROLLUP_COUNTED_KEYS),
      };
      operations.push({ replaceOne: { filter: { _id: day }, replacement, upsert: true } });
    }
    if (empty.length > 0) {
      operations.push({ deleteMany: { filter: { _id: { $in: empty } } } });
    }
    if (operations.length > 0) {
      await this.model.bulkWrite(operations, { ordered: true });
    }
    return { withData: days.length - empty.length, empty: empty.length };
  }
}

function countersOf(document: RollupDocument): RollupCounters {
  const counters = zeroCounters();
  for (const counter of ROLLUP_COUNTERS) {
    const value = document[counter];
    counters[counter] = typeof value === 'number' ? value : 0;
  }
  return counters;
}
