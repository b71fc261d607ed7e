import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import type { EventActor } from '../../common/events/event-actor.js';
import { type FaqEntryChange, FaqEntryChangedEvent } from './events/faq-entry-changed.event.js';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import type { AllConfig } from '../../config/config.js';
import type { CreateFaqEntryDto } from './dto/create-faq-entry.dto.js';
import type { UpdateFaqEntryDto } from './dto/update-faq-entry.dto.js';
import { FaqErrors } from './faq.errors.js';
import { FaqIndexStampRepository } from './faq-index-stamp.repository.js';
import type { FaqMatch } from './faq-index.js';
import { type FaqEntryFilter, FaqRepository } from './faq.repository.js';
import { FaqSearch } from './faq-search.js';
import { languageOf } from './faq-text.js';
import type { FaqEntryEntity, FaqLanguage } from './schemas/faq-entry.schema.js';

/** Where `GET /faq/ask` sends people whom no answer helps: the contact form. */
export const FAQ_CONTACT = '/api/send-email';

/** A question to the FAQ. */
export interface FaqQuestion {
  q: string;
  /** The answers' language; by default the question's (`languageOf`). */
  lang?: FaqLanguage;
  limit: number;
}

/** The FAQ assistant (API.md "Operations"): answers from the curated FAQ, and its upkeep by staff. */
@Injectable()
export class FaqService {
  private readonly minScore: number;

  constructor(
    private readonly faqRepository: FaqRepository,
    private readonly stamps: FaqIndexStampRepository,
    private readonly search: FaqSearch,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.minScore = config.get('operations', { infer: true }).faqMinScore;
  }

  /** The entries answering `q`, best first, none scoring under FAQ_MIN_SCORE. */
  ask({ q, lang, limit }: FaqQuestion): Promise<Array<FaqMatch<FaqEntryEntity>>> {
    return this.search.ask(q, {
      language: lang ?? languageOf(q),
      limit,
      minScore: this.minScore,
    });
  }

  /** A page of entries, by topic with its languages together. */
  list(filter: FaqEntryFilter, page: PageRequest): Promise<Paginated<FaqEntryEntity>> {
    return this.faqRepository.findPageByTopic(filter, page);
  }

  /** Adds an entry, searchable on this instance at once and on the others within a second. */
  async create(input: CreateFaqEntryDto, by: EventActor): Promise<FaqEntryEntity> {
    let created: FaqEntryEntity;
    try {
      created = await this.faqRepository.create({ ...input, keywords: input.keywords ?? [] });
    } catch (error) {
      throw isDuplicateKeyError(error) ? FaqErrors.entryExists(input.topic, input.language) : error;
    }
    await this.reindex();
    await this.announce(created, 'created', by);
    return created;
  }

  /** Changes an entry (as `create`, searchable at once). */
  async update(id: string, changes: UpdateFaqEntryDto, by: EventActor): Promise<FaqEntryEntity> {
    let updated: FaqEntryEntity | null;
    try {
      updated = await this.faqRepository.update(id, changes);
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
      // the message names the topic and language the change asked for
      const current = await this.faqRepository.findById(id);
      throw FaqErrors.entryExists(
        changes.topic ?? current?.topic ?? '',
        changes.language ?? current?.language ?? 'en',
      );
    }
    if (!updated) {
      throw FaqErrors.notFound();
    }
    await this.reindex();
    await this.announce(updated, 'updated', by);
    return updated;
  }

  /** Removes an entry; answers it. */
  async delete(id: string, by: EventActor): Promise<FaqEntryEntity> {
    const deleted = await this.faqRepository.delete(id);
    if (!deleted) {
      throw FaqErrors.notFound();
    }
    await this.reindex();
    await this.announce(deleted, 'deleted', by);
    return deleted;
  }

  /** Tells the activity log (and any other listener) that staff changed the FAQ. */
  private async announce(entry: FaqEntryEntity, change: FaqEntryChange, by: EventActor) {
    await this.events.publish(
      new FaqEntryChangedEvent(entry.id, change, entry.topic, entry.language, by, this.clock.now()),
    );
  }

  /** After a change: a new stamp for the other instances, and this one's index rebuilt now. */
  private async reindex(): Promise<void> {
    await this.search.rebuild(await this.stamps.renew());
  }
}
