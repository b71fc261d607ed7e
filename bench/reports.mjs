#!/usr/bin/env node
// The overview report (GET /admin/reports/overview) over a year of a marketplace of 100,000
// jobs, seeded directly: read from the daily rollups, and recomputed from the source collections
// the way the rollups' rebuild reads them (ReportsService.overviewFromSources, the code path of
// RollupRebuildService.recompute). Seeds, in proportion: ~70 % of jobs quoted, ~40 % hired and
// most of those completed (cash, escrow, cash-protected), cancellations and disputes, about one
// invitation per job, the ledger entries of holds, releases, cash fees and fee settlements, and
// payouts with their withdrawals. Then rebuilds the rollups of the year (timed), checks that
// both reports are equal, and times each. Needs `npm run build`.
//
//   npm run bench:reports            (JOBS=100000 RUNS=20 SOURCE_RUNS=3 by default)
//
// Uses MONGODB_URI when set, else the embedded engine in memory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { getConnectionToken } from '@nestjs/mongoose';
import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { createApp } from '../dist/bootstrap.js';
import { DATABASE_ENGINE } from '../dist/database/engine/database-engine.js';
import { ReportsService } from '../dist/modules/reports/reports.service.js';
import { RollupRebuildService } from '../dist/modules/reports/rollup-rebuild.service.js';
import { benchEnv } from './harness.mjs';
import { appendResult, machineLine, percentile } from './results.mjs';

const jobCount = Number(process.env.JOBS ?? 100_000);
const runs = Number(process.env.RUNS ?? 20);
const sourceRuns = Number(process.env.SOURCE_RUNS ?? 3);
const userCount = Math.max(100, Math.round(jobCount / 50));

const { app } = await createApp(
  benchEnv(mkdtempSync(join(tmpdir(), 'bench-logs-')), {
    NODE_ENV: 'test',
    MONGODB_DB_NAME: `bench_reports_${Date.now()}`,
    NOTIFICATIONS_ENABLED: 'false',
  }),
);
await app.init();
const engine = app.get(DATABASE_ENGINE);
const connection = app.get(getConnectionToken());
const reports = app.get(ReportsService);
const rebuilder = app.get(RollupRebuildService);
const { ObjectId } = mongoose.Types;

// a year of Cairo days, ending yesterday
const ZONE = 'Africa/Cairo';
const today = DateTime.now().setZone(ZONE).startOf('day');
const first = today.minus({ days: 365 });
const from = first.toISODate();
const to = today.minus({ days: 1 }).toISODate();

// deterministic pseudo-random numbers (mulberry32)
let seed = 20_261_130;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
}
const between = (low, high) => low + Math.floor(random() * (high - low));
const later = (date, minutes) => new Date(date.getTime() + minutes * 60_000);

const craftsmen = Array.from({ length: userCount }, () => new ObjectId());
const clients = Array.from({ length: userCount }, () => new ObjectId());

async function insertInChunks(name, docs) {
  for (let at = 0; at < docs.length; at += 5000) {
    await connection.collection(name).insertMany(docs.slice(at, at + 5000), { ordered: false });
  }
}

function entry(kind, key, postings, settledAt, links = {}) {
  return {
    _id: new ObjectId(),
    idempotencyKey: key,
    kind,
    postings,
    state: 'posted',
    links,
    wallet: null,
    requestHash: null,
    reason: null,
    actor: null,
    leaseUntil: settledAt,
    settledAt,
    voidReason: null,
    compacted: true,
    createdAt: settledAt,
  };
}

const seedStarted = performance.now();
const counts = { jobs: 0, invitations: 0, entries: 0, withdrawals: 0 };
const CHUNK = 10_000;
for (let offset = 0; offset < jobCount; offset += CHUNK) {
  const jobs = [];
  const invitations = [];
  const entries = [];
  const withdrawals = [];
  for (let i = offset; i < Math.min(jobCount, offset + CHUNK); i += 1) {
    const _id = new ObjectId();
    const client = clients[i % userCount];
    const craftsman = craftsmen[(i * 7) % userCount];
    const postedAt = first.plus({ minutes: Math.floor((i / jobCount) * 365 * 24 * 60) }).toJSDate();
    const roll = random();
    const paymentType = roll < 0.6 ? 'cash' : roll < 0.9 ? 'escrow' : 'cash_protected';
    const history = [{ to: 'posted', by: client, at: postedAt }];
    const job = {
      _id,
      client,
      title: `Bench job ${i}`,
      description: 'Seeded by bench/reports.mjs',
      category: 'Plumbing',
      photos: [],
      paymentType,
      status: 'posted',
      craftsman: null,
      completedAt: null,
      quotesCount: 0,
      statusHistory: history,
      titleWords: ['bench', 'job'],
      createdAt: postedAt,
      updatedAt: postedAt,
    };
    const move = (to, at) => {
      history.push({ from: job.status, to, by: null, at });
      job.status = to;
    };
    let at = postedAt;
    if (random() < 0.7) {
      at = later(at, between(5, 48 * 60));
      move('quoted', at);
      job.quotesCount = between(1, 6);
      if (random() < 0.6) {
        const price = between(100, 2000) * 100;
        at = later(at, between(30, 24 * 60));
        move('hired', at);
        Object.assign(job, { craftsman, jobPrice: price, hiredAt: at });
        if (paymentType !== 'cash') {
          const hold = entry(
            'escrow_hold',
            `payment:${_id}:hold`,
            [
              { account: 'gateway:fawry', amount: -price },
              { account: `escrow:job:${_id}`, amount: price },
            ],
            later(at, 60),
            { job: _id.toHexString() },
          );
          entries.push(hold);
        }
        const outcome = random();
        if (outcome < 0.08) {
          move('cancelled', later(at, 120));
        } else if (outcome < 0.93) {
          at = later(at, between(24 * 60, 5 * 24 * 60));
          move('on_the_way', at);
          move('in_progress', later(at, 60));
          if (outcome < 0.9) {
            at = later(at, between(3 * 60, 2 * 24 * 60));
            move('completed', at);
            job.completedAt = at;
            const fee = Math.round(price / 10);
            entries.push(
              paymentType === 'cash'
                ? entry(
                    'cash_job_fee',
                    `fee:${_id}`,
                    [
                      { account: `craftsman:${craftsman}:fees_owed`, amount: -fee },
                      { account: 'platform:revenue', amount: fee },
                    ],
                    at,
                    { job: _id.toHexString() },
                  )
                : entry(
                    'escrow_release',
                    `release:${_id}`,
                    [
                      { account: `escrow:job:${_id}`, amount: -price },
                      { account: `craftsman:${craftsman}:available`, amount: price - fee },
                      { account: 'platform:revenue', amount: fee },
                    ],
                    at,
                    { job: _id.toHexString() },
                  ),
            );
            if (paymentType === 'cash' && random() < 0.5) {
              entries.push(
                entry(
                  'fee_settlement',
                  `fee_settlement:bench:${_id}`,
                  [
                    { account: `craftsman:${craftsman}:available`, amount: -fee },
                    { account: `craftsman:${craftsman}:fees_owed`, amount: fee },
                  ],
                  later(at, between(60, 10 * 24 * 60)),
                ),
              );
            }
            if (paymentType !== 'cash' && random() < 0.3) {
              const withdrawalId = new ObjectId();
              const requestedAt = later(at, between(60, 3 * 24 * 60));
              const expectedBy = later(requestedAt, 2 * 24 * 60);
              const paidAt = later(requestedAt, between(60, 4 * 24 * 60));
              withdrawals.push({
                _id: withdrawalId,
                craftsman,
                amount: price - fee,
                destination: {
                  type: 'mobile_wallet',
                  accountName: 'Bench',
                  msisdn: '+201001234567',
                },
                status: 'paid',
                idempotencyKey: `${craftsman}:${withdrawalId}`,
                requestHash: 'bench',
                provider: 'manual',
                expectedBy,
                reference: 'BENCH',
                failureReason: null,
                outcome: 'paid',
                sendingUntil: null,
                paidAt,
                failedAt: null,
                createdAt: requestedAt,
                updatedAt: paidAt,
              });
              entries.push(
                entry(
                  'payout_paid',
                  `withdrawal:${withdrawalId}:paid`,
                  [
                    { account: `craftsman:${craftsman}:pending_payout`, amount: -(price - fee) },
                    { account: 'gateway:manual', amount: price - fee },
                  ],
                  paidAt,
                  { withdrawal: withdrawalId.toHexString() },
                ),
              );
            }
          }
          if (outcome >= 0.9 || random() < 0.03) {
            move('disputed', later(at, between(60, 3 * 24 * 60)));
          }
        }
      }
    } else if (random() < 0.2) {
      move('cancelled', later(at, between(60, 10 * 24 * 60)));
    }
    jobs.push(job);
    if (random() < 0.9) {
      const sentAt = later(postedAt, between(1, 600));
      const accepted = random() < 0.45;
      const invitationId = new ObjectId();
      invitations.push({
        _id: invitationId,
        job: _id,
        client,
        craftsman: craftsmen[(i * 13) % userCount],
        inviteeEmail: null,
        inviteeKey: craftsmen[(i * 13) % userCount].toHexString(),
        status: accepted ? 'accepted' : 'pending',
        source: 'craftsman_id',
        message: '',
        tokenHash: `bench-${invitationId}`,
        expiresAt: later(sentAt, 30 * 24 * 60),
        lastSentAt: sentAt,
        respondedAt: accepted ? later(sentAt, 90) : null,
        history: [
          { action: 'created', by: client, at: sentAt },
          ...(accepted ? [{ action: 'accepted', by: null, at: later(sentAt, 90) }] : []),
        ],
        createdAt: sentAt,
        updatedAt: sentAt,
      });
    }
  }
  await insertInChunks('jobs', jobs);
  await insertInChunks('invitations', invitations);
  await insertInChunks('ledger_entries', entries);
  if (withdrawals.length > 0) {
    await insertInChunks('withdrawals', withdrawals);
  }
  counts.jobs += jobs.length;
  counts.invitations += invitations.length;
  counts.entries += entries.length;
  counts.withdrawals += withdrawals.length;
}
const seedMs = performance.now() - seedStarted;

const rebuild = await rebuilder.rebuild(from, to);
const rollupDocs = await connection.collection('daily_rollups').countDocuments();

/** Median and p95 wall time of `work`, run `times` times after one warm-up run, ms. */
async function timed(times, work) {
  let answer = await work();
  const samples = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    answer = await work();
    samples.push(performance.now() - started);
  }
  return { answer, median: percentile(samples, 50), p95: percentile(samples, 95) };
}

const rows = [];
for (const granularity of ['day', 'week', 'month']) {
  const request = { from, to, granularity };
  const withRollups = await timed(runs, () => reports.overview(request));
  const fromSources = await timed(granularity === 'month' ? sourceRuns : 1, () =>
    reports.overviewFromSources(request),
  );
  if (!isDeepStrictEqual(withRollups.answer, fromSources.answer)) {
    throw new Error(`${granularity}: the rollups' report differs from the recomputation`);
  }
  rows.push({
    granularity,
    periods: withRollups.answer.periods.length,
    withRollups,
    fromSources,
    jobs: withRollups.answer.periods.reduce((sum, period) => sum + period.jobsPosted, 0),
  });
}
await connection.dropDatabase();
await app.close();

const ms = (value) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);
const lines = [
  `### Reports: the overview from daily rollups vs recomputed from the sources — ${new Date().toISOString()}`,
  '',
  machineLine(engine),
  'Command: `npm run bench:reports` (`npm run build && node bench/reports.mjs`)',
  '',
  `Seeded directly (insertMany, ${(seedMs / 1000).toFixed(1)} s) over the year ${from}..${to} (Cairo days): ${counts.jobs.toLocaleString('en')} jobs, ${counts.invitations.toLocaleString('en')} invitations, ${counts.entries.toLocaleString('en')} ledger entries (holds, releases, cash fees, fee settlements, payouts), ${counts.withdrawals.toLocaleString('en')} paid withdrawals. Rebuilding the year's rollups (\`RollupRebuildService.rebuild\`): ${ms(rebuild.tookMs)}, ${rollupDocs} daily documents. Both reports were checked equal, figure for figure.`,
  '',
  '| granularity | periods | jobs in the report | with rollups: median (p95) | recomputed from the sources: median | ratio |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (row) =>
      `| ${row.granularity} | ${row.periods} | ${row.jobs.toLocaleString('en')} | ${ms(row.withRollups.median)} (${ms(row.withRollups.p95)}, ${runs} runs) | ${ms(row.fromSources.median)} (${row.granularity === 'month' ? sourceRuns : 1} run${row.granularity === 'month' && sourceRuns > 1 ? 's' : ''}) | ${Math.round(row.fromSources.median / row.withRollups.median).toLocaleString('en')}× |`,
  ),
  '',
  'In process (the service behind the route, without HTTP). "With rollups" is the route as it runs: one read of the days by `_id` and one of the fee debt before them; "recomputed" is what a report without rollups would pay each time: a pass over the jobs, invitations and ledger entries touching the year, plus the ledger before it for the fee debt.',
  '',
];
console.log(lines.join('\n'));
appendResult(lines.join('\n'));
