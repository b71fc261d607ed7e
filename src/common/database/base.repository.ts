import { OnModuleInit } from '@nestjs/common';
import type { Model, ProjectionType, QueryFilter, SortOrder } from 'mongoose';
import { paginated, type PageRequest, type Paginated, skipOf } from '../pagination/paginated.js';
import { toPlain } from './to-plain.js';

export type SortSpec = Record<string, SortOrder>;

/**
 * What every repository shares: plain objects out (lean + `toPlain`), paging, and indexes that
 * exist before the first request (unique indexes are how uniqueness is enforced).
 */
export abstract class BaseRepository<TDocument, TEntity> implements OnModuleInit {
  protected constructor(protected readonly model: Model<TDocument>) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  protected toEntity(document: unknown): TEntity {
    return toPlain<TEntity>(document);
  }

  protected toEntityOrNull(document: unknown): TEntity | null {
    return document ? this.toEntity(document) : null;
  }

  /** The documents with these ids, in this order; ids that match nothing are left out. */
  async findByIdsInOrder(ids: string[]): Promise<TEntity[]> {
    const found = await this.model
      .find({ _id: { $in: ids } } as QueryFilter<TDocument>)
      .lean()
      .exec();
    const byId = new Map(found.map((document) => [String(document._id), this.toEntity(document)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  protected async findPage(
    filter: QueryFilter<TDocument>,
    sort: SortSpec,
    page: PageRequest,
    projection?: ProjectionType<TDocument>,
  ): Promise<Paginated<TEntity>> {
    const [documents, total] = await Promise.all([
      this.model
        .find(filter, projection)
        .sort(sort)
        .skip(skipOf(page))
        .limit(page.limit)
        .lean()
        .exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return paginated(
      documents.map((document) => this.toEntity(document)),
      total,
      page,
    );
  }
}
