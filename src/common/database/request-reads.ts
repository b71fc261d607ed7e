import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import { type Query, type Schema, Types } from 'mongoose';

/**
 * Gives each HTTP request its identity map (RequestReads): the handler (Nest's guards, the
 * controller, the services it calls and the listeners of the events it publishes, awaited
 * within it) runs inside it. A `preHandler` hook, the last step before the handler, after the
 * body is read: a Nest interceptor would do the same at a cost (every request's answer through
 * an rxjs pipeline: a third of an authenticated no-op's throughput, bench/noop-ab.mjs).
 */
export function registerRequestReads(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (_request, _reply, done) => {
    storage.run(new Map(), done);
  });
}

/** Documents read during one request, by collection, then id. */
type Reads = Map<string, Map<string, unknown>>;

const storage = new AsyncLocalStorage<Reads>();

/**
 * Other forms of a document a request may remember besides its entity, under `<view>:<id>`: a
 * partial one (a user's summary), or the whole document as another collection's list read it
 * with its page (`raw`, not yet made an entity by its own repository). A write forgets them with
 * the document.
 */
export const VIEWS = ['summary', 'raw'] as const;
export type View = (typeof VIEWS)[number];

/**
 * A request's identity map: a document read by id once in a request (the job an invite checks,
 * the users its notification names) is not read again by the listeners and the response of the
 * same request. Any write to a collection through Mongoose forgets what was read of it (the
 * document written when the filter names its `_id`, else the whole collection), so a re-read
 * after a write, such as the one that says what a lost race changed, always reaches the
 * database. What another request changes meanwhile is not seen by a re-read that follows no
 * write of this one, as with a document passed down: a check that must see it is a conditional
 * write (JobsService.recordQuote counts a quote only while the job is open), never a re-read.
 * Outside a request (schedules, sockets, boot) nothing is kept.
 *
 * Anchors: Martin Fowler's Identity Map (P of EAA); Hibernate's first-level cache, which is
 * scoped to one session (unit of work) the same way.
 */
export const RequestReads = {
  /**
   * Runs `work` with a fresh map: what it reads is remembered until it ends (an HTTP request
   * gets one from `registerRequestReads`).
   */
  run<T>(work: () => T): T {
    return storage.run(new Map(), work);
  },

  /**
   * Runs `work` outside the request's map: what it reads is not remembered and what it writes
   * forgets nothing. For a listener's write that no read of the request depends on (a
   * craftsman's activity counters), run beside the other listeners of the same event: were it
   * inside, whether their reads of the same document found it in memory would depend on which
   * command came back first, and a route's count of commands on timing.
   */
  outside<T>(work: () => T): T {
    return storage.exit(work);
  },

  /** The entity read before in this request, or undefined. */
  get<T>(collection: string, id: string): T | undefined {
    return storage.getStore()?.get(collection)?.get(id) as T | undefined;
  },

  remember(collection: string, id: string, entity: unknown): void {
    const reads = storage.getStore();
    if (!reads) {
      return;
    }
    let ofCollection = reads.get(collection);
    if (!ofCollection) {
      ofCollection = new Map();
      reads.set(collection, ofCollection);
    }
    ofCollection.set(id, entity);
  },

  /**
   * Forgets one document (and every partial view of it), or every document of the collection
   * when `id` is undefined.
   */
  forget(collection: string, id?: string): void {
    const ofCollection = storage.getStore()?.get(collection);
    if (id === undefined) {
      ofCollection?.clear();
    } else {
      ofCollection?.delete(id);
      for (const view of VIEWS) {
        ofCollection?.delete(`${view}:${id}`);
      }
    }
  },
};

const QUERY_WRITES: Array<
  | 'updateOne'
  | 'updateMany'
  | 'findOneAndUpdate'
  | 'findOneAndReplace'
  | 'findOneAndDelete'
  | 'replaceOne'
  | 'deleteOne'
  | 'deleteMany'
> = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'replaceOne',
  'deleteOne',
  'deleteMany',
];

/** The single `_id` a write's filter names, if it names one. */
function idNamedBy(filter: Record<string, unknown>): string | undefined {
  const id = filter._id;
  if (typeof id === 'string') {
    return id;
  }
  if (id instanceof Types.ObjectId) {
    return id.toHexString();
  }
  return undefined;
}

/**
 * A Mongoose plugin for every schema of the connection: every write through a model forgets
 * what the request read of that collection (see RequestReads), once it is done (or failed).
 * Not before: a read that runs beside the write (another listener of the same event) gets the
 * document as it was before the write, as if it had read first, which keeps each route's count
 * of commands the same from one run to the next.
 */
export function forgetReadsOnWrite(schema: Schema): void {
  const forgetWritten = (query: Query<unknown, unknown>) =>
    RequestReads.forget(query.model.collection.collectionName, idNamedBy(query.getFilter()));
  schema.post(QUERY_WRITES, function written(this: Query<unknown, unknown>) {
    forgetWritten(this);
  });
  schema.post(
    QUERY_WRITES,
    { errorHandler: true },
    function failed(this: Query<unknown, unknown>, error, _result, next) {
      forgetWritten(this);
      next(error);
    },
  );
  schema.pre('save', function forgetSaved() {
    // a subdocument's save is its parent's, which has a collection; a saved document is new
    // (Model.create), or one this request read and changes as it wishes
    const collection = (this.constructor as unknown as { collection?: { collectionName: string } })
      .collection;
    if (collection) {
      RequestReads.forget(collection.collectionName, String(this._id));
    }
  });
  schema.pre('bulkWrite', function forgetBulk() {
    RequestReads.forget(this.collection.collectionName);
  });
  schema.post('bulkWrite', function forgetBulkAfter() {
    RequestReads.forget(this.collection.collectionName);
  });
}
