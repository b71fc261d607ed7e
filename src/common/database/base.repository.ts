import { OnModuleInit } from '@nestjs/common';
import type { Model, ProjectionType, QueryFilter, SortOrder } from 'mongoose';
import {
  type CursorPageRequest,
  type CursorPaginated,
  paginated,
  type PageRequest,
  type Paginated,
  skipOf,
} from '../pagination/paginated.js';
import { afterCondition, cursorAfter, decodeCursor } from './cursor.js';
import { RequestReads } from './request-reads.js';
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

  private get collectionName(): string {
    return this.model.collection.collectionName;
  }

  /**
   * The document with this id, or null. Read once per request (RequestReads): the same id asked
   * again in the same request, with no write to the collection in between, is answered from
   * memory. The entity is shared: treat it as read-only.
   */
  async findById(id: string): Promise<TEntity | null> {
    const known = RequestReads.get<TEntity>(this.collectionName, id);
    if (known) {
      return known;
    }
    const found = this.toEntityOrNull(await this.model.findById(id).lean().exec());
    if (found) {
      RequestReads.remember(this.collectionName, id, found);
    }
    return found;
  }

  /**
   * The documents with these ids, in this order; ids that match nothing are left out. One
   * command for the ids not read before in this request (RequestReads), none when all were.
   */
  async findByIdsInOrder(ids: string[]): Promise<TEntity[]> {
    const { known, missing } = this.readBefore(ids);
    if (missing.length > 0) {
      const found = await this.model
        .find({ _id: { $in: missing } } as QueryFilter<TDocument>)
        .lean()
        .exec();
      for (const document of found) {
        const entity = this.toEntity(document);
        known.set(String(document._id), entity);
        RequestReads.remember(this.collectionName, String(document._id), entity);
      }
    }
    return ids.flatMap((id) => known.get(id) ?? []);
  }

  /** Which of `ids` this request has read already (RequestReads), and which it has not. */
  protected readBefore(ids: string[]): { known: Map<string, TEntity>; missing: string[] } {
    const known = new Map<string, TEntity>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const entity = RequestReads.get<TEntity>(this.collectionName, id);
      if (entity) {
        known.set(id, entity);
      } else {
        missing.push(id);
      }
    }
    return { known, missing };
  }

  /** Remembers an entity a write answered with (the document as the write left it). */
  protected remembered(entity: TEntity | null): TEntity | null {
    if (entity) {
      RequestReads.remember(this.collectionName, (entity as unknown as { id: string }).id, entity);
    }
    return entity;
  }

  protected async findPage(
    filter: QueryFilter<TDocument>,
    sort: SortSpec,
    page: PageRequest,
    projection?: ProjectionType<TDocument>,
  ): Promise<Paginated<TEntity>> {
    const { documents, total } = await this.findSlice(
      filter,
      sort,
      skipOf(page),
      page.limit,
      projection,
    );
    return paginated(
      documents.map((document) => this.toEntity(document)),
      total,
      page,
    );
  }

  /**
   * `findPage` that also takes `after`: a page that starts right after the item the cursor
   * names (a range condition on the sort keys, no skip), and a `nextCursor` on every page but
   * the last. `sort` must end with a unique key (`_id`) so that the order is total. Whether a
   * next page exists is read (one item more than the page), not computed from the total: items
   * added at the head while someone scrolls change the total, not what follows his cursor.
   */
  protected async findCursorPage(
    filter: QueryFilter<TDocument>,
    sort: SortSpec,
    page: CursorPageRequest,
  ): Promise<CursorPaginated<TEntity>> {
    const cursor = page.after === undefined ? null : decodeCursor(page.after, sort);
    const offset = cursor ? cursor.offset : skipOf(page);
    const { documents: read, total } = await this.findSlice(
      filter,
      sort,
      cursor ? 0 : offset,
      page.limit + 1,
      undefined,
      cursor ? afterCondition(sort, cursor.values) : undefined,
    );
    const documents = read.slice(0, page.limit);
    const last = documents.at(-1);
    const { data, pagination } = paginated(
      documents.map((document) => this.toEntity(document)),
      total,
      { page: Math.floor(offset / page.limit) + 1, limit: page.limit },
    );
    const nextCursor =
      last !== undefined && read.length > page.limit
        ? cursorAfter(last, sort, offset + documents.length)
        : null;
    return { data, pagination: { ...pagination, nextCursor } };
  }

  /** The documents in `[skip, skip + limit)` of the sorted list (after `after`), and the total. */
  private async findSlice(
    filter: QueryFilter<TDocument>,
    sort: SortSpec,
    skip: number,
    limit: number,
    projection?: ProjectionType<TDocument>,
    after?: Record<string, unknown>,
  ): Promise<{ documents: unknown[]; total: number }> {
    // the range condition joins the filter's own `$and`, its equality fields stay on top
    const sliced = after
      ? ({
          ...filter,
          $and: [...((filter as { $and?: unknown[] }).$and ?? []), after],
        } as QueryFilter<TDocument>)
      : filter;
    const [documents, total] = await Promise.all([
      this.model.find(sliced, projection).sort(sort).skip(skip).limit(limit).lean().exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { documents, total };
  }
}
