import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { BaseRepository } from '../../common/database/base.repository.js';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import type { PageRequest, Paginated } from '../../common/pagination/paginated.js';
import { FaqEntry, type FaqEntryEntity, type FaqLanguage } from './schemas/faq-entry.schema.js';

/** What an entry is made of; `createdAt`/`updatedAt` are the database's. */
export interface FaqEntryInput {
  topic: string;
  language: FaqLanguage;
  question: string;
  answer: string;
  keywords: string[];
}

/** Which entries a list shows. */
export interface FaqEntryFilter {
  language?: FaqLanguage;
  topic?: string;
}

/** `faq_entries`: one FAQ answer per topic and language. */
@Injectable()
export class FaqRepository extends BaseRepository<FaqEntry, FaqEntryEntity> {
  constructor(@InjectModel(FaqEntry.name) model: Model<FaqEntry>) {
    super(model);
  }

  /** Every entry, for the search index: one command. */
  async findAll(): Promise<FaqEntryEntity[]> {
    const documents = await this.model.find().lean().exec();
    return documents.map((document) => this.toEntity(document));
  }

  /** A page of entries by topic, each topic's languages together (the unique index's order). */
  findPageByTopic(filter: FaqEntryFilter, page: PageRequest): Promise<Paginated<FaqEntryEntity>> {
    const query: QueryFilter<FaqEntry> = {
      ...(filter.language ? { language: filter.language } : {}),
      ...(filter.topic ? { topic: filter.topic } : {}),
    };
    return this.findPage(query, { topic: 1, language: 1 }, page);
  }

  /** How many entries there are (the collection's metadata: no scan). */
  async count(): Promise<number> {
    return this.model.estimatedDocumentCount().exec();
  }

  /** Adds an entry; throws E11000 when its topic already has one in that language. */
  async create(input: FaqEntryInput): Promise<FaqEntryEntity> {
    const created = await this.model.create(input);
    return this.toEntity(created.toObject());
  }

  /**
   * Inserts the entries whose topic and language are free and leaves the others as they are:
   * several instances may seed at once.
   */
  async insertMissing(inputs: FaqEntryInput[]): Promise<void> {
    try {
      await this.model.bulkWrite(
        inputs.map((input) => ({
          updateOne: {
            filter: { topic: input.topic, language: input.language },
            update: { $setOnInsert: input },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    } catch (error) {
      // two instances upserting the same entry at once: one of them inserted it
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
    }
  }

  /** Throws E11000 when the new topic and language belong to another entry. */
  async update(id: string, changes: Partial<FaqEntryInput>): Promise<FaqEntryEntity | null> {
    const updated = await this.model
      .findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after', runValidators: true })
      .lean()
      .exec();
    return this.toEntityOrNull(updated);
  }

  /** Removes the entry; answers it, or null when there was none. */
  async delete(id: string): Promise<FaqEntryEntity | null> {
    return this.toEntityOrNull(await this.model.findByIdAndDelete(id).lean().exec());
  }
}
