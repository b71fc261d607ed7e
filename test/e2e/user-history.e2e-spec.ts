import { type Document, type RecordedFind, servedBy } from '../support/index-use.js';
import * as marketplace from '../support/marketplace.js';
import { adjust } from '../support/money.js';
import { FakeGateways, move, paidJob } from '../support/payments.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  newModerator,
  type Session,
} from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { submitVerification } from '../support/uploads.js';

/** An item of GET /admin/users/:userId/history. */
interface Item {
  type: string;
  action: string;
  at: string;
  id: string;
  details: Record<string, unknown>;
}

interface HistoryPage {
  data: Item[];
  pagination: { limit: number; nextCursor: string | null };
}

/** The collections a history reads, each by an index that starts with the user's field. */
const SOURCES = [
  'jobs',
  'quotes',
  'invitations',
  'reviews',
  'disputes',
  'ledger_entries',
  'payments',
  'activity_log',
];

describe('User history (/api/admin/users/:userId/history)', () => {
  const gateways = new FakeGateways();
  let t: TestApp;
  let admin: Session;
  let moderator: Session;
  let client: Session;
  let craftsman: Session;
  /** What the scenario made, by name. */
  const made: Record<string, string> = {};

  async function historyPage(
    userId: string,
    query: Record<string, string | number> = {},
    viewer: Session = moderator,
  ): Promise<HistoryPage> {
    return (
      await t.http
        .get(`/api/admin/users/${userId}/history`)
        .query(query)
        .set('Authorization', viewer.bearer)
        .expect(200)
    ).body as HistoryPage;
  }

  /** Every item of the timeline, read `limit` at a time by cursor. */
  async function wholeHistory(userId: string, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const page = await historyPage(userId, { limit, ...(after ? { after } : {}) });
      expect(page.data.length).toBeLessThanOrEqual(limit);
      items.push(...page.data);
      after = page.pagination.nextCursor;
      if (!after) {
        return items;
      }
    }
    throw new Error('the history did not end');
  }

  beforeAll(async () => {
    t = await createTestApp({ env: await gateways.start() });
    admin = await loginAsAdmin(t);
    moderator = await newModerator(t);

    // an escrow job: quoted, hired, paid at Fawry, done, completed (money released), reviewed
    const paid = await paidJob(t, gateways, { price: 20_000 });
    ({ client, craftsman } = paid);
    made.job = paid.job.id;
    made.payment = paid.payment.id;
    await move(t, client, paid.job.id, 'completed');
    for (const [who, rating] of [
      [client, 5],
      [craftsman, 4],
    ] as const) {
      const review = await t.http
        .post('/api/reviews')
        .set('Authorization', who.bearer)
        .send({ jobId: paid.job.id, rating })
        .expect(201);
      made[who === client ? 'clientReview' : 'craftsmanReview'] = review.body.id as string;
    }
    // a second job of the client, to which he invites the craftsman
    const second = await marketplace.postJob(t, client, { title: 'Paint the hallway' });
    made.secondJob = second.id;
    made.invitation = (await marketplace.inviteCraftsman(t, client, second.id, craftsman)).id;
    // the client disputes the completed job
    const dispute = await t.http
      .post('/api/disputes')
      .set('Authorization', client.bearer)
      .send({ jobId: paid.job.id, reason: 'poor_quality', description: 'The heater leaks again.' })
      .expect(201);
    made.dispute = dispute.body.id as string;
    // moderation: the craftsman verified, the client banned and unbanned, a goodwill credit
    await submitVerification(t, craftsman);
    await t.http
      .post(`/api/admin/verifications/${craftsman.user.id}/approve`)
      .set('Authorization', admin.bearer)
      .expect(200);
    await t.http
      .patch(`/api/admin/users/${client.user.id}/ban`)
      .set('Authorization', moderator.bearer)
      .send({ reason: 'Abusive messages' })
      .expect(200);
    await t.http
      .patch(`/api/admin/users/${client.user.id}/unban`)
      .set('Authorization', moderator.bearer)
      .expect(200);
    made.credit = (await adjust(t, admin, craftsman, 1_500, 'Sorry for the wait')).id;
  });

  afterAll(async () => {
    await t?.close();
    await gateways.close();
  });

  it('should show a client’s jobs, invitations, payments, reviews, disputes and moderation in one timeline, newest first', async () => {
    const items = (await historyPage(client.user.id, { limit: 100 })).data;
    const byAction = (action: string) => items.filter((item) => item.action === action);

    expect(byAction('job.posted').map((item) => item.id)).toEqual([made.secondJob, made.job]);
    expect(byAction('invitation.sent')).toEqual([
      expect.objectContaining({
        type: 'invitation',
        id: made.invitation,
        details: expect.objectContaining({ job: made.secondJob, craftsman: craftsman.user.id }),
      }),
    ]);
    expect(byAction('payment.made')).toEqual([
      expect.objectContaining({
        type: 'payment',
        id: made.payment,
        details: expect.objectContaining({ job: made.job, amount: 20_000 }),
      }),
    ]);
    expect(byAction('review.written').map((item) => item.id)).toEqual([made.clientReview]);
    expect(byAction('review.received').map((item) => item.id)).toEqual([made.craftsmanReview]);
    expect(byAction('dispute.opened')).toEqual([
      expect.objectContaining({
        type: 'dispute',
        id: made.dispute,
        details: expect.objectContaining({ job: made.job, reason: 'poor_quality' }),
      }),
    ]);
    expect(items.slice(0, 2)).toEqual([
      expect.objectContaining({ type: 'activity', action: 'user.unbanned' }),
      expect.objectContaining({
        type: 'activity',
        action: 'user.banned',
        details: expect.objectContaining({
          reason: 'Abusive messages',
          actor: { id: moderator.user.id, role: 'moderator' },
        }),
      }),
    ]);
    expect(items.at(-1)).toMatchObject({ type: 'activity', action: 'user.registered' });
    expectNewestFirst(items);
    // nothing of a craftsman's
    expect(items.filter((item) => ['quote', 'money'].includes(item.type))).toEqual([]);
  });

  it('should show a craftsman’s quotes, hired jobs, invitations, wallet and verification', async () => {
    const items = (await historyPage(craftsman.user.id, { limit: 100 })).data;
    const actions = items.map((item) => item.action);

    expect(items.find((item) => item.action === 'job.hired')).toMatchObject({
      type: 'job',
      id: made.job,
      details: { client: client.user.id, status: 'disputed' },
    });
    expect(actions).toEqual(
      expect.arrayContaining([
        'quote.submitted',
        'invitation.received',
        'review.written',
        'review.received',
        'dispute.opened_against',
        'wallet.escrow_release',
        'wallet.adjustment',
        'wallet.adjusted',
        'verification.approved',
        'user.registered',
      ]),
    );
    expect(items.find((item) => item.action === 'wallet.adjustment')).toMatchObject({
      type: 'money',
      id: made.credit,
      details: { amount: 1_500, status: 'completed' },
    });
    expect(items.filter((item) => item.type === 'payment')).toEqual([]);
    expectNewestFirst(items);
  });

  it('should show what a staff member did', async () => {
    const items = (await historyPage(moderator.user.id, { limit: 100 })).data;
    expect(items.map((item) => item.action)).toEqual([
      'user.unbanned',
      'user.banned',
      'staff.created',
    ]);
    expect(items[2].details).toMatchObject({ actor: { id: admin.user.id, role: 'admin' } });
  });

  it('should page through the same timeline by cursor, whatever the page size', async () => {
    const all = (await historyPage(craftsman.user.id, { limit: 100 })).data;
    expect(all.length).toBeGreaterThan(10);
    for (const limit of [1, 2, 3, 7]) {
      expect(await wholeHistory(craftsman.user.id, limit)).toEqual(all);
    }
    const staff = (await historyPage(admin.user.id, { limit: 100 })).data;
    expect(await wholeHistory(admin.user.id, 2)).toEqual(staff);
  });

  it('should read every source from an index that starts with the user and sorts by time', async () => {
    const finds: RecordedFind[] = [];
    t.connection.set(
      'debug',
      (collection: string, method: string, filter: Document, _doc: unknown, options?: Document) => {
        if (SOURCES.includes(collection) && method === 'find') {
          finds.push({ collection, filter, sort: options?.sort ?? {} });
        }
      },
    );
    try {
      for (const user of [client, craftsman]) {
        const first = await historyPage(user.user.id, { limit: 2 });
        await historyPage(user.user.id, { limit: 2, after: first.pagination.nextCursor! });
      }
    } finally {
      t.connection.set('debug', false);
    }
    const unserved: RecordedFind[] = [];
    for (const find of finds) {
      const indexes = (await t.connection.collection(find.collection).indexes()).map(
        (index) => index.key,
      );
      if (!indexes.some((key) => servedBy(find, key))) {
        unserved.push(find);
      }
    }
    expect(new Set(finds.map((find) => find.collection))).toEqual(new Set(SOURCES));
    expect(unserved).toEqual([]);
  });

  it('should let admins and moderators in, nobody else; 404 for nobody, 400 for a bad cursor', async () => {
    await historyPage(client.user.id, {}, admin);
    // the client's own tokens went with his ban: a new client
    for (const other of [await newClient(t), craftsman]) {
      const response = await t.http
        .get(`/api/admin/users/${client.user.id}/history`)
        .set('Authorization', other.bearer)
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
    await t.http.get(`/api/admin/users/${client.user.id}/history`).expect(401);
    await t.http
      .get('/api/admin/users/65f000000000000000000000/history')
      .set('Authorization', moderator.bearer)
      .expect(404);
    const outOfRange = { t: 8_640_000_000_000_001, k: 'job', i: 'a'.repeat(24) };
    for (const after of [
      'not-a-cursor!',
      Buffer.from('{"t":1}').toString('base64url'),
      // a time no Date can hold
      Buffer.from(JSON.stringify(outOfRange)).toString('base64url'),
    ]) {
      const response = await t.http
        .get(`/api/admin/users/${client.user.id}/history`)
        .query({ after })
        .set('Authorization', moderator.bearer)
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('should list a new user’s registration alone, with no next page', async () => {
    for (const [newcomer, role] of [
      [await newClient(t), 'client'],
      [await newCraftsman(t), 'craftsman'],
    ] as const) {
      expect(await historyPage(newcomer.user.id)).toEqual({
        data: [
          {
            type: 'activity',
            action: 'user.registered',
            at: expect.any(String),
            id: expect.any(String),
            details: {
              actor: { id: newcomer.user.id, role },
              target: { type: 'user', id: newcomer.user.id },
              role,
            },
          },
        ],
        pagination: { limit: 20, nextCursor: null },
      });
    }
  });
});

function expectNewestFirst(items: Item[]): void {
  const times = items.map((item) => new Date(item.at).getTime());
  expect(times).toEqual([...times].sort((a, b) => b - a));
}
