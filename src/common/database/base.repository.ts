import { OnModuleInit } from '@nestjs/common';
import mongoose, {
  type Model,
  type ProjectionType,
  type QueryFilter,
  type SortOrder,
} from 'mongoose';
import {
  type CursorPageRequest,
  type CursorPaginated,
  paginated,
  type PageRequest,
  type Paginated,
  skipOf,
} from '../pagination/paginated.js';
import { afterCondition, cursorAfter, decodeCursor, invalidCursor } from './cursor.js';
import { RequestReads, type View } from './request-reads.js';
import { toPlain } from './to-plain.js';

export type SortSpec = Record<string, SortOrder>;

/** Where a page's `$lookup` puts what it brings, for the length of one read. */
const EMBEDDED = '__embedded';

/** `sort` with 1 and -1 only, as `$sort` takes it. */
function numericSort(sort: SortSpec): Record<string, 1 | -1> {
  return Object.fromEntries(
    Object.entries(sort).map(([key, order]) => [
      key,
      order === 1 || order === 'asc' || order === 'ascending' ? 1 : -1,
    ]),
  );
}

/** How a list is read (BaseRepository.findPage, findCursorPage). */
export interface ListReading {
  /**
   * The documents of another collection that the page's items name in `localField` (an id),
   * read with the page in the same command (`$lookup` on that collection's `_id`, an index on
   * every engine) and remembered for the request (RequestReads): the batched read of what the
   * answer embeds costs nothing more. E.g. the jobs of a page of invitations.
   */
  embed?: { from: string; localField: string };
  /**
   * The page and its count in one command (`$facet`), for a list its filter keeps small (one
   * job's quotes): `$facet` sorts and counts in memory what the filter matched, so a list that
   * grows without bound (a user's over the years) must not use it.
   */
  countWithPage?: boolean;
}

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
    const known = this.readBeforeOne(id);
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

  /**
   * Which of `ids` this request has read already (RequestReads), whole or (with `view`) as that
   * partial view, and which it has not.
   */
  protected readBefore<T = TEntity>(
    ids: string[],
    view?: View,
  ): { known: Map<string, T>; missing: string[] } {
    const known = new Map<string, T>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const entity =
        (this.readBeforeOne(id) as T | undefined) ??
        (view ? RequestReads.get<T>(this.collectionName, `${view}:${id}`) : undefined);
      if (entity) {
        known.set(id, entity);
      } else {
        missing.push(id);
      }
    }
    return { known, missing };
  }

  /** The entity this request read before, made from a raw document if it was read so. */
  private readBeforeOne(id: string): TEntity | undefined {
    const entity = RequestReads.get<TEntity>(this.collectionName, id);
    if (entity) {
      return entity;
    }
    const raw = RequestReads.get<unknown>(this.collectionName, `raw:${id}`);
    return raw ? this.remembered(this.toEntity(raw)) : undefined;
  }

  /** Remembers partial documents read as `view` (RequestReads). */
  protected rememberedAs<T extends { id: string }>(view: View, entities: T[]): T[] {
    for (const entity of entities) {
      RequestReads.remember(this.collectionName, `${view}:${entity.id}`, entity);
    }
    return entities;
  }

  /** Remembers an entity a write answered with (the document as the write left it). */
  protected remembered<T extends TEntity | null>(entity: T): T {
    if (entity) {
      RequestReads.remember(this.collectionName, (entity as unknown as { id: string }).id, entity);
    }
    return entity;
  }

  /**
   * Every document in which any of `fields` is `value` (a user on either side: client or
   * craftsman, payer or payee), each once, newest first: one read per field, so each is served
   * by an index that starts with it. Unbounded: for one user's own records (the data export).
   */
  protected async findAllOnEitherSide(
    fields: readonly string[],
    value: string,
  ): Promise<TEntity[]> {
    const found = await Promise.all(
      fields.map((field) =>
        this.model
          .find({ [field]: value } as QueryFilter<TDocument>)
          .lean()
          .exec(),
      ),
    );
    const byId = new Map<string, TEntity>();
    for (const document of found.flat()) {
      byId.set(String((document as { _id: unknown })._id), this.toEntity(document));
    }
    const createdAt = (entity: TEntity) => (entity as { createdAt: Date }).createdAt.getTime();
    return [...byId.values()].sort((a, b) => createdAt(b) - createdAt(a));
  }

  protected async findPage(
    filter: QueryFilter<TDocument>,
    sort: SortSpec,
    page: PageRequest,
    projection?: ProjectionType<TDocument>,
    reading?: ListReading,
  ): Promise<Paginated<TEntity>> {
    const { documents, total } = await this.findSlice(
      filter,
      sort,
      skipOf(page),
      page.limit,
      projection,
      undefined,
      reading,
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
    reading?: ListReading,
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
      reading,
    ).catch((error: unknown) => {
      // a well-formed cursor whose values are not of the keys' types (a string for an `_id`)
      if (cursor && error instanceof mongoose.Error.CastError) {
        throw invalidCursor();
      }
      throw error;
    });
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

  /**
   * The documents in `[skip, skip + limit)` of the sorted list (after `after`), and the total.
   * Two commands (the page, the count), however the list is read (`ListReading`).
   */
  private async findSlice(
    filter: QueryFilter<TDocument>,
    sort: SortSpec,
    skip: number,
    limit: number,
    projection?: ProjectionType<TDocument>,
    after?: Record<string, unknown>,
    reading: ListReading = {},
  ): Promise<{ documents: unknown[]; total: number }> {
    // the range condition joins the filter's own `$and`, its equality fields stay on top
    const sliced = after
      ? ({
          ...filter,
          $and: [...((filter as { $and?: unknown[] }).$and ?? []), after],
        } as QueryFilter<TDocument>)
      : filter;
    if (reading.countWithPage && !projection && !reading.embed) {
      const [answer] = await this.model
        .aggregate<{ page: unknown[]; total: Array<{ n: number }> }>([
          { $match: this.cast(filter) },
          {
            $facet: {
              page: [
                ...(after ? [{ $match: this.cast(after) }] : []),
                { $sort: numericSort(sort) },
                { $skip: skip },
                { $limit: limit },
              ],
              total: [{ $count: 'n' }],
            },
          },
        ])
        .exec();
      return { documents: answer?.page ?? [], total: answer?.total[0]?.n ?? 0 };
    }
    if (reading.embed && !projection) {
      const { from, localField } = reading.embed;
      const [documents, total] = await Promise.all([
        this.model
          .aggregate<Record<string, unknown>>([
            { $match: this.cast(sliced) },
            { $sort: numericSort(sort) },
            { $skip: skip },
            { $limit: limit },
            { $lookup: { from, localField, foreignField: '_id', as: EMBEDDED } },
          ])
          .exec(),
        this.model.countDocuments(filter).exec(),
      ]);
      return { documents: documents.map((document) => this.keepEmbedded(document, from)), total };
    }
    const [documents, total] = await Promise.all([
      this.model.find(sliced, projection).sort(sort).skip(skip).limit(limit).lean().exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { documents, total };
  }

  /** A filter cast to the schema, as Mongoose casts a find's (an aggregation's is not). */
  private cast(filter: QueryFilter<TDocument>): Record<string, unknown> {
    return this.model.find().cast(this.model, filter) as Record<string, unknown>;
  }

  /** Remembers what `$lookup` brought with a document (`raw`, RequestReads), and drops it. */
  private keepEmbedded(document: Record<string, unknown>, from: string): unknown {
    const { [EMBEDDED]: embedded, ...own } = document;
    for (const other of (embedded as Array<{ _id: unknown }> | undefined) ?? []) {
      RequestReads.remember(from, `raw:${String(other._id)}`, other);
    }
    return own;
  }
}
