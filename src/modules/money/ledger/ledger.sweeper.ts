import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '../../../config/config.js';
import { LedgerService } from './ledger.service.js';

/** The most abandoned entries one sweep finishes (the next sweep takes the rest). */
const SWEEP_BATCH = 200;
/** Settled entries compacted per command, and the most batches one sweep runs. */
const COMPACT_BATCH = 500;
const MAX_COMPACT_BATCHES = 100;

/**
 * Finishes or voids the entries a crash left half-applied, and compacts settled ones off their
 * accounts: at start-up and on a schedule (CronService). Safe with many instances: each entry is
 * claimed by one; within one instance a sweep never overlaps itself.
 */
@Injectable()
export class LedgerSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(LedgerSweeper.name);
  private readonly compactAfterMs: number;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly ledger: LedgerService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.compactAfterMs = config.get('money', { infer: true }).ledgerCompactAfterMs;
  }

  /** At start-up, without holding the start back: entries the last run left behind. */
  onApplicationBootstrap(): void {
    this.sweep().catch((error: unknown) =>
      this.logger.error(`Ledger sweep at start-up failed: ${String(error)}`),
    );
  }

  /**
   * One sweep; a call while one runs joins it.
   * @returns how many abandoned entries it finished
   */
  sweep(): Promise<number> {
    this.sweeping ??= this.run().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async run(): Promise<number> {
    let finished = 0;
    while (finished < SWEEP_BATCH && (await this.ledger.finishOneAbandoned())) {
      finished += 1;
    }
    // batches until none is left (a busy minute settles thousands), within bounds
    for (let batch = 0; batch < MAX_COMPACT_BATCHES; batch += 1) {
      if ((await this.ledger.compact(this.compactAfterMs, COMPACT_BATCH)) < COMPACT_BATCH) {
        break;
      }
    }
    return finished;
  }
}
