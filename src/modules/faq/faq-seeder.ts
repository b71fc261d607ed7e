import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FaqIndexStampRepository } from './faq-index-stamp.repository.js';
import { FaqSearch } from './faq-search.js';
import { FaqRepository } from './faq.repository.js';
import { starterFaqEntries } from './starter-faq.js';

/**
 * At boot: an empty FAQ gets the starter entries (`STARTER_FAQ`, both languages), as the
 * services catalog gets its defaults; then the search index is built. Idempotent: entries staff
 * deleted stay deleted while any entry is left, and instances booting together insert each
 * entry once.
 */
@Injectable()
export class FaqSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(FaqSeeder.name);

  constructor(
    private readonly faqRepository: FaqRepository,
    private readonly stamps: FaqIndexStampRepository,
    private readonly search: FaqSearch,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.faqRepository.count()) > 0) {
      await this.search.rebuild();
      return;
    }
    const entries = starterFaqEntries();
    await this.faqRepository.insertMissing(entries);
    await this.search.rebuild(await this.stamps.renew());
    this.logger.log(`Seeded the FAQ with ${entries.length} entries`);
  }
}
