#!/usr/bin/env node
// The received-invitations list (GET /api/invitations/received) with 1,000 invitations in the
// collection and then with 1,000,000 (the same craftsman's 1,000 among them): p50/p95 of the first
// page, of a deep page by number (?page=40, a skip) and of the same deep page by cursor
// (?after=), and the ratio at 1M ÷ at 1k. Goal: ≤ 2. Also an accept (POST
// /api/invitations/:id/accept of a pending invitation inserted just before, so the newest) at both
// sizes, goal ≤ 1.5, and the engine's heap after a full GC (jcmd) at both sizes.
// Needs `npm run build`. Uses MONGODB_URI when set (then --engine-pid names the engine's JVM for
// the heap figures), else the app's embedded engine, which holds 1M invitations in memory: give
// its JVM the room (JAVA_TOOL_OPTIONS reaches the engine's java).
//
//   npm run build && JAVA_TOOL_OPTIONS=-Xmx14g node bench/invitation-list.mjs [--total 1000000] [--requests 30] [--engine-pid <pid>]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { APP_SERVER, call, postJob, register, startServer, stopServer } from './harness.mjs';
import { appendResult, machineLine, option, percentile } from './results.mjs';

const TOTAL = Number(option('total', 1_000_000));
const MINE = 1_000;
const REQUESTS = Number(option('requests', 30));
const LIMIT = 20;
const DEEP_PAGE = 40;
const BATCH = 10_000;

/** One real invitation through the API, read back raw: the template of the seeded ones. */
async function templates(app, db) {
  const client = await register(app, 'client');
  const craftsman = await register(app, 'craftsman');
  const job = await postJob(app, client);
  const invitation = await call(
    app.url,
    'POST',
    `/api/jobs/${job.id}/invite`,
    { craftsmanId: craftsman.user.id, message: 'Could you have a look this week?' },
    client.accessToken,
  );
  const { ObjectId } = mongoose.Types;
  return {
    craftsman,
    job: await db.collection('jobs').findOne({ _id: new ObjectId(job.id) }),
    invitation: await db.collection('invitations').findOne({ _id: new ObjectId(invitation.id) }),
  };
}

let clock = Date.now() - 1_000 * 60_000;
function invitationLike(template, jobId, craftsmanId) {
  const _id = new mongoose.Types.ObjectId();
  clock += 1;
  return {
    ...template,
    _id,
    job: jobId,
    craftsman: craftsmanId,
    inviteeKey: craftsmanId.toHexString(),
    tokenHash: randomBytes(32).toString('hex'),
    createdAt: new Date(clock),
    updatedAt: new Date(clock),
  };
}

/** The craftsman's own MINE invitations, each to a job of its own (one per job and craftsman). */
async function seedMine(db, t) {
  const craftsmanId = new mongoose.Types.ObjectId(t.craftsman.user.id);
  const jobs = [];
  const invitations = [];
  for (let i = 1; i < MINE; i += 1) {
    const jobId = new mongoose.Types.ObjectId();
    jobs.push({ ...t.job, _id: jobId, title: `Job ${i}` });
    invitations.push(invitationLike(t.invitation, jobId, craftsmanId));
  }
  await db.collection('jobs').insertMany(jobs, { ordered: false });
  await db.collection('invitations').insertMany(invitations, { ordered: false });
}

/**
 * `count` new pending invitations of the craftsman, each to a job of its own, inserted now: the
 * newest in the collection, so that a scan meets them last. Their ids.
 */
async function seedPending(db, t, count) {
  const craftsmanId = new mongoose.Types.ObjectId(t.craftsman.user.id);
  const jobs = [];
  const invitations = [];
  for (let i = 0; i < count; i += 1) {
    const jobId = new mongoose.Types.ObjectId();
    jobs.push({ ...t.job, _id: jobId, title: `Job to accept ${i}` });
    invitations.push(invitationLike(t.invitation, jobId, craftsmanId));
  }
  await db.collection('jobs').insertMany(jobs, { ordered: false });
  await db.collection('invitations').insertMany(invitations, { ordered: false });
  return invitations.map((invitation) => invitation._id.toHexString());
}

/** Other craftsmen's invitations up to `total` in the collection. */
async function fill(db, t, total) {
  const started = performance.now();
  let count = await db.collection('invitations').countDocuments({});
  while (count < total) {
    const docs = [];
    for (let i = 0; i < Math.min(BATCH, total - count); i += 1) {
      docs.push(
        invitationLike(t.invitation, new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()),
      );
    }
    await db.collection('invitations').insertMany(docs, { ordered: false });
    count += docs.length;
  }
  return (performance.now() - started) / 1000;
}

async function timed(app, token, path) {
  const samples = [];
  await call(app.url, 'GET', path, undefined, token); // warm-up
  for (let i = 0; i < REQUESTS; i += 1) {
    const started = performance.now();
    const body = await call(app.url, 'GET', path, undefined, token);
    samples.push(performance.now() - started);
    if (body.data.length !== LIMIT) throw new Error(`${path}: ${body.data.length} items`);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** The cursor that leads to page DEEP_PAGE, found by walking the pages before it. */
async function cursorTo(app, token) {
  let after = null;
  for (let page = 1; page < DEEP_PAGE; page += 1) {
    const query = after === null ? '' : `&after=${after}`;
    const body = await call(
      app.url,
      'GET',
      `/api/invitations/received?limit=${LIMIT}${query}`,
      undefined,
      token,
    );
    after = body.pagination.nextCursor;
  }
  return after;
}

/** Accepts `ids` one after another (after one as a warm-up): p50/p95 of the accepts. */
async function timedAccepts(app, token, [warmUp, ...ids]) {
  await call(app.url, 'POST', `/api/invitations/${warmUp}/accept`, {}, token);
  const samples = [];
  for (const id of ids) {
    const started = performance.now();
    const body = await call(app.url, 'POST', `/api/invitations/${id}/accept`, {}, token);
    samples.push(performance.now() - started);
    if (body.invitation?.status !== 'accepted')
      throw new Error(`accept ${id}: ${JSON.stringify(body)}`);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** The engine JVM's heap in use after a full GC, in MB (null when its pid is unknown). */
function engineHeapMb(pid) {
  if (!pid) {
    return null;
  }
  execFileSync('jcmd', [String(pid), 'GC.run']);
  const info = execFileSync('jcmd', [String(pid), 'GC.heap_info'], { encoding: 'utf8' });
  const usedKb = [...info.matchAll(/^\s*\S.*(?:generation|heap|space).*?used (\d+)K/gim)]
    .filter((match) => !/Metaspace|class space/i.test(match[0]))
    .map((match) => Number(match[1]));
  return usedKb.reduce((sum, kb) => sum + kb, 0) / 1024;
}

async function measure(app, token) {
  const byPage = `/api/invitations/received?limit=${LIMIT}&page=${DEEP_PAGE}`;
  const byCursor = `/api/invitations/received?limit=${LIMIT}&after=${await cursorTo(app, token)}`;
  const [a, b] = await Promise.all([
    call(app.url, 'GET', byPage, undefined, token),
    call(app.url, 'GET', byCursor, undefined, token),
  ]);
  if (JSON.stringify(a.data.map((i) => i.id)) !== JSON.stringify(b.data.map((i) => i.id))) {
    throw new Error('page 40 by number and by cursor differ');
  }
  return {
    first: await timed(app, token, `/api/invitations/received?limit=${LIMIT}`),
    deepPage: await timed(app, token, byPage),
    deepCursor: await timed(app, token, byCursor),
  };
}

const app = await startServer(APP_SERVER, { env: { NOTIFICATIONS_ENABLED: 'false' } });
const connection = await mongoose
  .createConnection(app.mongoUri, { dbName: 'craftsmen' })
  .asPromise();
const db = connection.db;
const t = await templates(app, db);
await seedMine(db, t);
const token = t.craftsman.accessToken;
const enginePid = option('engine-pid', app.engine?.match(/pid (\d+)/)?.[1] ?? null);
const small = await measure(app, token);
small.accept = await timedAccepts(app, token, await seedPending(db, t, REQUESTS + 1));
const smallHeap = engineHeapMb(enginePid);
const fillSeconds = await fill(db, t, TOTAL);
const total = await db.collection('invitations').countDocuments({});
const large = await measure(app, token);
large.accept = await timedAccepts(app, token, await seedPending(db, t, REQUESTS + 1));
const largeHeap = engineHeapMb(enginePid);
const engineDescription = app.engine ?? `MONGODB_URI=${app.mongoUri}`;
await connection.close();
await stopServer(app);

const ms = (value) => `${value.toFixed(1)} ms`;
const heap = (mb) => (mb === null ? 'not measured' : `${mb.toFixed(0)} MB`);
const ratio = (key) => (large[key].p95 / small[key].p95).toFixed(1);
const row = (name, key) =>
  `| ${name} | ${ms(small[key].p50)} / ${ms(small[key].p95)} | ${ms(large[key].p50)} / ${ms(large[key].p95)} | **${ratio(key)}** |`;
const lines = [
  `### Received-invitations list at ${MINE.toLocaleString('en')} and ${total.toLocaleString('en')} invitations — ${new Date().toISOString()}`,
  '',
  machineLine({ description: engineDescription }),
  `Command: \`npm run build && ${process.env.MONGODB_URI ? `MONGODB_URI=${process.env.MONGODB_URI} ` : ''}${process.env.JAVA_TOOL_OPTIONS ? `JAVA_TOOL_OPTIONS=${process.env.JAVA_TOOL_OPTIONS} ` : ''}node bench/invitation-list.mjs --total ${TOTAL} --requests ${REQUESTS}${process.env.MONGODB_URI && enginePid ? ' --engine-pid <pid>' : ''}\``,
  `The craftsman has ${MINE.toLocaleString('en')} invitations (each to a job of its own); the other ${(total - MINE).toLocaleString('en')} are other craftsmen's, inserted in ${fillSeconds.toFixed(0)} s. ${REQUESTS} sequential requests per figure after a warm-up, ${LIMIT} per page; page ${DEEP_PAGE} by number and by cursor checked to hold the same items. Each accept is of one of ${REQUESTS + 1} pending invitations of the craftsman inserted just before (the newest in the collection).`,
  '',
  `| request | at ${MINE.toLocaleString('en')}: p50 / p95 | at ${total.toLocaleString('en')}: p50 / p95 | p95 ratio |`,
  '|---|---|---|---|',
  row('first page', 'first'),
  row(`page ${DEEP_PAGE} by number (\`?page=\`)`, 'deepPage'),
  row(`page ${DEEP_PAGE} by cursor (\`?after=\`)`, 'deepCursor'),
  row('accept (`POST /api/invitations/:id/accept`)', 'accept'),
  '',
  `Engine heap after a full GC: ${heap(smallHeap)} at ${MINE.toLocaleString('en')}, ${heap(largeHeap)} at ${total.toLocaleString('en')}.`,
  '',
  `Goals: list ratios ≤ 2, accept ratio ≤ 1.5. Deep page ÷ first page at ${total.toLocaleString('en')}: by number ${(large.deepPage.p95 / large.first.p95).toFixed(1)}, by cursor ${(large.deepCursor.p95 / large.first.p95).toFixed(1)}.`,
  '',
];
console.log(lines.join('\n'));
appendResult(lines.join('\n'));
