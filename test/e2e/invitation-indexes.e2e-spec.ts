import { DATABASE_ENGINE, type DatabaseEngine } from '../../src/database/engine/database-engine.js';
import { type Document, type RecordedFind, servedBy } from '../support/index-use.js';
import { inviteCraftsman, postJob } from '../support/marketplace.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * What a list's aggregation asks of the collection: its first `$match` and the `$sort` after
 * it. A page read with its count (`$facet`, one job's invitations) sorts in memory what the
 * `$match` found, by design (the list is bounded): only its `$match` has to be served.
 */
function listQueryOf(pipeline: Document[]): RecordedFind {
  const filter = (pipeline[0]?.$match ?? {}) as Document;
  const sort = (pipeline.find((stage) => '$sort' in stage)?.$sort ?? {}) as Document;
  return { collection: 'invitations', filter, sort };
}

describe('The invitation lists are served by indexes', () => {
  let t: TestApp;
  let client: Session;
  let craftsman: Session;
  let job: { id: string };
  const finds: RecordedFind[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    client = await newClient(t);
    craftsman = await newCraftsman(t);
    job = await postJob(t, client);
    await inviteCraftsman(t, client, job.id, craftsman);
    await inviteCraftsman(t, client, (await postJob(t, client)).id, craftsman);
    t.connection.set(
      'debug',
      (collection: string, method: string, filter: Document, _doc: unknown, options?: Document) => {
        if (collection !== 'invitations') {
          return;
        }
        if (method === 'find') {
          finds.push({ collection, filter, sort: options?.sort ?? {} });
        }
        if (method === 'aggregate') {
          finds.push(listQueryOf(filter as unknown as Document[]));
        }
      },
    );
    const as = { Authorization: client.bearer };
    const asCraftsman = { Authorization: craftsman.bearer };
    for (const path of [
      '/api/invitations/sent',
      '/api/invitations/sent?status=pending',
      '/api/invitations/sent?status=expired',
      `/api/invitations/sent?jobId=${job.id}`,
      `/api/invitations/sent?jobId=${job.id}&status=accepted`,
      `/api/jobs/${job.id}/invitations`,
      `/api/jobs/${job.id}/invitations?status=rejected`,
    ]) {
      await t.http.get(path).set(as).expect(200);
    }
    for (const path of ['/api/invitations/received', '/api/invitations/received?status=pending']) {
      await t.http.get(path).set(asCraftsman).expect(200);
    }
    // a cursor page: the range after the cursor must be an index range too
    const first = await t.http
      .get('/api/invitations/received?limit=1')
      .set(asCraftsman)
      .expect(200);
    await t.http
      .get(`/api/invitations/received?limit=1&after=${first.body.pagination.nextCursor}`)
      .set(asCraftsman)
      .expect(200);
    t.connection.set('debug', false);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should have seen each list’s query', () => {
    expect(finds).toHaveLength(11);
    // one job's invitations are read with their count: that (bounded) sort is in memory
    const withCount = finds.filter((find) => Object.keys(find.sort).length === 0);
    expect(withCount).toHaveLength(4);
    expect(withCount.every((find) => find.filter.job !== undefined)).toBe(true);
  });

  it('should serve every list query with a declared index (and, on a real MongoDB, without a collection scan)', async () => {
    const indexes = (await t.connection.collection('invitations').indexes()).map(
      (index) => index.key,
    );

    const unserved = finds.filter((find) => !indexes.some((key) => servedBy(find, key)));

    expect(unserved).toEqual([]);
    // mongo-java-server has no `explain`: there the index list is the proof
    if (t.app.get<DatabaseEngine>(DATABASE_ENGINE).kind !== 'embedded') {
      for (const find of finds) {
        const plan = await t.connection
          .collection('invitations')
          .find(find.filter)
          .sort(find.sort)
          .explain();
        expect(JSON.stringify(plan.queryPlanner.winningPlan)).not.toContain('COLLSCAN');
      }
    }
  });
});
