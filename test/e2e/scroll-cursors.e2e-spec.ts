import { ConversationsRepository } from '../../src/modules/conversations/conversations.repository.js';
import type { CursorPaginated } from '../../src/common/pagination/paginated.js';
import { DATABASE_ENGINE, type DatabaseEngine } from '../../src/database/engine/database-engine.js';
import { type Document, type RecordedFind, servedBy } from '../support/index-use.js';
import { newClient, newCraftsman, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Item {
  id: string;
  text?: string;
  message?: string;
}

/**
 * Lists that grow while people scroll them (issue 11, item 19): the next page by
 * `?after=<pagination.nextCursor>` continues right after the last item seen, whatever arrived
 * at the head meanwhile.
 */
describe('Cursor pages of the lists people scroll while they grow', () => {
  let t: TestApp;
  let client: Session;
  let craftsman: Session;
  let conversationId: string;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.clearDatabase();
    client = await newClient(t);
    craftsman = await newCraftsman(t);
    conversationId = await conversationOf(client, craftsman);
  });

  const as = (session: Session) => ({ Authorization: session.bearer });

  async function conversationOf(aClient: Session, aCraftsman: Session): Promise<string> {
    const conversations = t.app.get(ConversationsRepository);
    return (await conversations.findOrCreate(aClient.user.id, aCraftsman.user.id, new Date())).id;
  }

  async function send(sender: Session, text: string, inConversation = conversationId) {
    await t.http
      .post(`/api/conversations/${inConversation}/messages`)
      .set(as(sender))
      .send({ text })
      .expect(201);
  }

  async function getPage(viewer: Session, path: string): Promise<CursorPaginated<Item>> {
    return (await t.http.get(path).set(as(viewer)).expect(200)).body as CursorPaginated<Item>;
  }

  /** Every page of a list by cursor, running `meanwhile` after the first page. */
  async function scroll(
    viewer: Session,
    path: string,
    meanwhile: (firstPage: Item[]) => Promise<void>,
  ): Promise<{ pages: Item[][]; lastCursor: string | null }> {
    const first = await getPage(viewer, path);
    const pages = [first.data];
    await meanwhile(first.data);
    let cursor = first.pagination.nextCursor;
    while (cursor !== null && pages.length < 20) {
      const next = await getPage(viewer, `${path}&after=${cursor}`);
      pages.push(next.data);
      cursor = next.pagination.nextCursor;
    }
    return { pages, lastCursor: cursor };
  }

  describe('GET /conversations/:id/messages', () => {
    it('should page back through a chat without repeating a message that arrived meanwhile', async () => {
      for (let n = 1; n <= 12; n += 1) {
        await send(n % 2 ? client : craftsman, `m${n}`);
      }

      const { pages } = await scroll(
        craftsman,
        `/api/conversations/${conversationId}/messages?limit=5`,
        async () => {
          await send(client, 'm13');
          await send(craftsman, 'm14');
          await send(client, 'm15');
        },
      );

      expect(pages.map((page) => page.map((message) => message.text))).toEqual([
        ['m12', 'm11', 'm10', 'm9', 'm8'],
        ['m7', 'm6', 'm5', 'm4', 'm3'],
        ['m2', 'm1'],
      ]);
    });

    it('should end with a null nextCursor when the last page is exactly full', async () => {
      for (let n = 1; n <= 4; n += 1) {
        await send(client, `m${n}`);
      }

      const { pages } = await scroll(
        client,
        `/api/conversations/${conversationId}/messages?limit=2`,
        () => send(client, 'm5'),
      );

      expect(pages.map((page) => page.map((message) => message.text))).toEqual([
        ['m4', 'm3'],
        ['m2', 'm1'],
      ]);
    });
  });

  describe('GET /notifications', () => {
    async function unreadCount(session: Session): Promise<number> {
      return (await t.http.get('/api/notifications/unread-count').set(as(session)).expect(200)).body
        .count as number;
    }

    it('should page on after unread notifications the app marks read, and new ones arriving, without skipping or repeating', async () => {
      // the welcome notification out of the way
      await t.http.post('/api/notifications/mark-read').set(as(craftsman)).send({ all: true });
      for (let n = 1; n <= 7; n += 1) {
        await send(client, `n${n}`);
      }
      expect(await unreadCount(craftsman)).toBe(7);

      const { pages } = await scroll(
        craftsman,
        '/api/notifications?unread=true&limit=3',
        async (firstPage) => {
          // the app marks what it showed as read, and two more messages arrive
          await t.http
            .post('/api/notifications/mark-read')
            .set(as(craftsman))
            .send({ ids: firstPage.map((notification) => notification.id) })
            .expect(200);
          await send(client, 'n8');
          await send(client, 'n9');
        },
      );

      expect(pages.map((page) => page.map((notification) => notification.message))).toEqual([
        ['n7', 'n6', 'n5'],
        ['n4', 'n3', 'n2'],
        ['n1'],
      ]);
    });
  });

  describe('GET /conversations', () => {
    it('should not repeat a conversation lifted to the head by a message, and show it at the head', async () => {
      // c1 … c6, c6 the liveliest
      const others: string[] = [];
      for (let n = 1; n <= 6; n += 1) {
        const other = await newCraftsman(t, { firstName: `c${n}` });
        others.push(await conversationOf(client, other));
        await send(client, `hello c${n}`, others.at(-1));
      }
      const [c1, c2, c3, c4, c5, c6] = others;
      // the conversation of beforeEach has no message: the least lively
      const quiet = conversationId;

      const { pages } = await scroll(client, '/api/conversations?limit=2', async () => {
        await send(client, 'again c5', c5); // already seen
        await send(client, 'again c2', c2); // not yet reached
      });
      const head = await getPage(client, '/api/conversations?limit=2');

      expect(pages.map((page) => page.map((conversation) => conversation.id))).toEqual([
        [c6, c5],
        [c4, c3],
        [c1, quiet],
      ]);
      expect(head.data.map((conversation) => conversation.id)).toEqual([c2, c5]);
    });
  });

  describe('GET /jobs (craftsmen browsing open jobs)', () => {
    it('should page on through the open jobs without repeating one while new ones are posted', async () => {
      const posted: string[] = [];
      const post = async (title: string) => {
        const response = await t.http
          .post('/api/jobs')
          .set(as(client))
          .send({ title, description: 'Something to fix at home.', category: 'Plumbing' })
          .expect(201);
        return response.body.id as string;
      };
      for (let n = 1; n <= 5; n += 1) {
        posted.push(await post(`Job number ${n}`));
      }

      const { pages } = await scroll(craftsman, '/api/jobs?limit=2', async () => {
        await post('Job number 6');
        await post('Job number 7');
      });

      expect(pages.map((page) => page.map((job) => job.id))).toEqual([
        [posted[4], posted[3]],
        [posted[2], posted[1]],
        [posted[0]],
      ]);
    });

    it('should refuse a cursor on the nearest-first list with 400 VALIDATION_FAILED', async () => {
      const response = await t.http
        .get('/api/jobs?lat=30.04&lng=31.23&after=W10')
        .set(as(craftsman))
        .expect(400);

      expect(response.body).toEqual(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          details: [expect.objectContaining({ field: 'after' })],
        }),
      );
    });
  });

  it.each([
    ['/api/jobs?after=e30'],
    ['/api/conversations?after=nope!'],
    ['/api/conversations?after=e30'],
    ['/api/notifications?after=eyJ2IjpbeyIkbmUiOm51bGx9LDFdLCJuIjowfQ'],
    ['/api/conversations/CONVERSATION/messages?after=W10'],
  ])('should answer 400 VALIDATION_FAILED to the bad cursor of %s', async (path) => {
    const response = await t.http
      .get(path.replace('CONVERSATION', conversationId))
      .set(as(client))
      .expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: expect.any(String),
      details: [expect.objectContaining({ field: 'after' })],
    });
  });

  it('should serve every page of these lists, by number and by cursor, from a declared index', async () => {
    await send(client, 'one');
    await send(client, 'two');
    // two conversations each, and two jobs, so that every list has a second page
    for (const title of ['Leaking kitchen sink', 'Broken bathroom tap']) {
      await t.http
        .post('/api/jobs')
        .set(as(client))
        .send({ title, description: 'Something to fix at home.', category: 'Plumbing' })
        .expect(201);
    }
    await conversationOf(client, await newCraftsman(t));
    await conversationOf(await newClient(t), craftsman);
    const finds: RecordedFind[] = [];
    const lists = ['messages', 'notifications', 'conversations', 'jobs'];
    t.connection.set(
      'debug',
      (collection: string, method: string, filter: Document, _doc: unknown, options?: Document) => {
        if (lists.includes(collection) && method === 'find') {
          finds.push({ collection, filter, sort: options?.sort ?? {} });
        }
      },
    );
    try {
      for (const [viewer, path] of [
        [client, `/api/conversations/${conversationId}/messages?limit=1`],
        [craftsman, '/api/notifications?limit=1'],
        [craftsman, '/api/notifications?unread=true&limit=1'],
        [client, '/api/conversations?limit=1'],
        [craftsman, '/api/conversations?limit=1'],
        [craftsman, '/api/jobs?limit=1'],
        [craftsman, '/api/jobs?category=Plumbing&limit=1'],
        [client, '/api/jobs?mine=true&limit=1'],
      ] as const) {
        const first = await getPage(viewer, path);
        expect(first.pagination.nextCursor).toEqual(expect.any(String));
        await getPage(viewer, `${path}&after=${first.pagination.nextCursor}`);
      }
    } finally {
      t.connection.set('debug', false);
    }
    const indexes = new Map<string, Document[]>();
    for (const collection of lists) {
      indexes.set(
        collection,
        (await t.connection.collection(collection).indexes()).map((index) => index.key),
      );
    }

    const unserved = finds.filter(
      (find) => !indexes.get(find.collection)!.some((key) => servedBy(find, key)),
    );

    expect(finds.length).toBeGreaterThanOrEqual(16);
    expect(unserved).toEqual([]);
    // mongo-java-server has no `explain`: there the index list is the proof
    if (t.app.get<DatabaseEngine>(DATABASE_ENGINE).kind !== 'embedded') {
      for (const find of finds) {
        const plan = await t.connection
          .collection(find.collection)
          .find(find.filter)
          .sort(find.sort)
          .explain();
        const winning = JSON.stringify(plan.queryPlanner.winningPlan);
        expect(winning).not.toContain('COLLSCAN');
        expect(winning).not.toContain('"stage":"SORT"');
      }
    }
  });
});
