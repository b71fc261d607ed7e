import { performance } from 'node:perf_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { FaqIndexStampRepository } from './faq-index-stamp.repository.js';
import { type FaqAskOptions, FaqIndex, type FaqMatch } from './faq-index.js';
import { FaqRepository } from './faq.repository.js';
import type { FaqEntryEntity } from './schemas/faq-entry.schema.js';

/**
 * How often an instance asks whether the FAQ changed elsewhere: at most one read (of the stamp,
 * by `_id`) per second, so a question costs no MongoDB command most of the time and one at
 * worst, and an edit made on another instance is found within a second.
 */
const STAMP_CHECK_INTERVAL_MS = 1_000;

/**
 * The index is rebuilt from the collection at least this often, stamp or not: an edit whose
 * stamp was lost (the instance died between the two writes) is found within ten minutes.
 */
const MAX_INDEX_AGE_MS = 10 * 60_000;

/**
 * This instance's FAQ search index, kept in step with `faq_entries` across instances.
 *
 * Every change to the entries is followed by a new stamp (`FaqIndexStampRepository.renew`).
 * The index remembers the stamp it was built at; before answering, when the last check is over
 * `STAMP_CHECK_INTERVAL_MS` old, it reads the stored stamp and rebuilds (one more read, of all
 * entries) when it differs. The stamp is read before the entries and written after them, so an
 * index can miss an entry only while the stored stamp still differs from its own. The instance
 * that makes a change rebuilds at once, so its own staff see their edit in the next answer.
 * When the database is unreachable, questions are answered from the last index.
 */
@Injectable()
export class FaqSearch {
  private readonly logger = new Logger(FaqSearch.name);
  private index = new FaqIndex<FaqEntryEntity>([]);
  private stamp: string | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private builtAt = Number.NEGATIVE_INFINITY;
  /** Rebuilds started and the latest one applied: an older rebuild never replaces a newer. */
  private started = 0;
  private applied = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly faqRepository: FaqRepository,
    private readonly stamps: FaqIndexStampRepository,
  ) {}

  /** The topics answering `question`, best first (FaqIndex.ask), from an index at most a second stale. */
  async ask(question: string, options: FaqAskOptions): Promise<Array<FaqMatch<FaqEntryEntity>>> {
    await this.refreshIfStale();
    return this.index.ask(question, options);
  }

  /**
   * Builds the index from the collection now: at boot, and after this instance changed the
   * entries, with the stamp it wrote (else the stored one is read first).
   */
  async rebuild(stamp?: string | null): Promise<void> {
    const generation = ++this.started;
    const current = stamp === undefined ? await this.stamps.current() : stamp;
    const entries = await this.faqRepository.findAll();
    if (generation < this.applied) {
      return;
    }
    this.applied = generation;
    this.index = new FaqIndex(entries);
    this.stamp = current;
    this.builtAt = this.checkedAt = performance.now();
  }

  private async refreshIfStale(): Promise<void> {
    if (performance.now() - this.checkedAt < STAMP_CHECK_INTERVAL_MS) {
      return;
    }
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    await this.refreshing;
  }

  private async refresh(): Promise<void> {
    try {
      if (performance.now() - this.builtAt >= MAX_INDEX_AGE_MS) {
        await this.rebuild();
        return;
      }
      const stored = await this.stamps.current();
      if (stored === this.stamp) {
        this.checkedAt = performance.now();
        return;
      }
      await this.rebuild(stored);
    } catch (error) {
      // keep answering from the index we have; try again after the interval
      this.checkedAt = performance.now();
      this.logger.warn(`Could not refresh the FAQ index: ${(error as Error).message}`);
    }
  }
}
