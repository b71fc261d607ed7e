#!/usr/bin/env node
// GET /api/users/recommendations against 100,000 craftsmen spread over a city (Greater Cairo,
// about 40 × 40 km) with their trades, ratings and invitation histories, seeded directly. In one
// run: p50/p95 of the recommendations endpoint ÷ p95 of GET /api/users/:id (goal ≤ 15), and the
// longest event-loop stall while recommendations are served (goal ≤ 50 ms, measured with
// perf_hooks.monitorEventLoopDelay). Needs `npm run build`.
//
//   npm run build && node bench/recommendations.mjs [--craftsmen 100000] [--requests 60]
//
// Uses MONGODB_URI when set, else the embedded engine in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getConnectionToken } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { createApp } from '../dist/bootstrap.js';
import { DATABASE_ENGINE } from '../dist/database/engine/database-engine.js';
import { benchEnv, call } from './harness.mjs';
import { appendResult, machineLine, option, percentile } from './results.mjs';

const CRAFTSMEN = Number(option('craftsmen', 100_000));
const REQUESTS = Number(option('requests', 60));
const CAIRO = { lat: 30.0444, lng: 31.2357 };
const TRADES = [
  'Plumbing',
  'Electrical',
  'Carpentry',
  'Painting',
  'AC Repair',
  'Appliance Repair',
  'Tiling',
  'Masonry',
];
// how common each trade is among craftsmen (plumbers and electricians are the most numerous)
const TRADE_WEIGHTS = [0.22, 0.2, 0.12, 0.14, 0.1, 0.08, 0.08, 0.06];

let seed = 42;
function random() {
  // a fixed sequence: every run seeds the same city
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}
function pickTrade() {
  let r = random();
  for (const [i, weight] of TRADE_WEIGHTS.entries()) {
    r -= weight;
    if (r <= 0) {
      return TRADES[i];
    }
  }
  return TRADES[0];
}

const logDir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
const { app } = await createApp(
  benchEnv(logDir, { NODE_ENV: 'test', MONGODB_DB_NAME: `bench_reco_${Date.now()}` }),
);
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${app.getHttpServer().address().port}/api`;
const engine = app.get(DATABASE_ENGINE);
const connection = app.get(getConnectionToken());

const api = (method, path, body, token) => call(base, method, path, body, token);

try {
  const started = performance.now();
  const users = connection.collection('users');
  for (let offset = 0; offset < CRAFTSMEN; offset += 5000) {
    const docs = [];
    for (let i = offset; i < Math.min(CRAFTSMEN, offset + 5000); i += 1) {
      const _id = new mongoose.Types.ObjectId();
      const skills = [pickTrade()];
      if (random() < 0.3) {
        skills.push(pickTrade());
      }
      const ratingCount = Math.floor(random() ** 2 * 300);
      const accepted = Math.floor(random() * 40);
      docs.push({
        _id,
        email: `craftsman-${i}@bench.example.com`,
        phoneKey: `none:${_id.toHexString()}`,
        passwordHash: 'not-a-real-hash',
        role: 'craftsman',
        firstName: `Craftsman${i}`,
        lastName: 'Bench',
        firstNameKey: `craftsman${i}`,
        lastNameKey: 'bench',
        location: {
          lat: CAIRO.lat + (random() - 0.5) * 0.36,
          lng: CAIRO.lng + (random() - 0.5) * 0.42,
        },
        rating: ratingCount === 0 ? 0 : Math.round((3 + random() * 2) * 10) / 10,
        ratingCount,
        bannedAt: null,
        tokensValidAfter: null,
        craftsmanInfo: {
          skills: [...new Set(skills)],
          bio: '',
          serviceRadiusKm: 5 + Math.floor(random() * 30),
          available: random() > 0.1,
          portfolioImageUrls: [],
          verificationStatus: random() > 0.2 ? 'verified' : 'unverified',
          verificationDocs: [],
          stats: {
            invitationsReceived: accepted + 10,
            invitationsAccepted: accepted,
            invitationsRejected: 10,
            pendingInvitations: Math.floor(random() * 7),
            completedJobs: Math.floor(random() * 60),
            recentResponseTimesMs: [
              Math.floor(random() * 86_400_000),
              Math.floor(random() * 86_400_000),
            ],
            lastBusyRejectionAt: random() < 0.1 ? new Date() : null,
          },
        },
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    }
    await users.insertMany(docs, { ordered: false });
  }
  const seededMs = performance.now() - started;
  const someone = await users.findOne({ role: 'craftsman' });

  const client = await api('POST', '/auth/register', {
    email: 'client@bench.example.com',
    password: 'bench-password-1',
    role: 'client',
    firstName: 'Bench',
    lastName: 'Client',
  });
  const job = await api(
    'POST',
    '/jobs',
    {
      title: 'Leaking pipe',
      description: 'The kitchen pipe leaks all day.',
      category: 'Plumbing',
      location: CAIRO,
    },
    client.accessToken,
  );

  async function timed(path) {
    const t0 = performance.now();
    const body = await api('GET', path, undefined, client.accessToken);
    return { ms: performance.now() - t0, body };
  }
  // warm-up
  for (let i = 0; i < 5; i += 1) {
    await timed(`/users/${someone._id.toHexString()}`);
    await timed(`/users/recommendations?jobId=${job.id}`);
  }

  const profile = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    profile.push((await timed(`/users/${someone._id.toHexString()}`)).ms);
  }
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const reco = [];
  let returned = 0;
  for (let i = 0; i < REQUESTS; i += 1) {
    const { ms, body } = await timed(`/users/recommendations?jobId=${job.id}&limit=10`);
    reco.push(ms);
    returned = body.data.length;
  }
  loop.disable();
  profile.sort((a, b) => a - b);
  reco.sort((a, b) => a - b);
  const maxStallMs = loop.max / 1e6;

  const lines = [
    `### Recommendations on ${CRAFTSMEN.toLocaleString('en')} craftsmen — ${new Date().toISOString()}`,
    machineLine(engine),
    `Command: \`npm run build && node bench/recommendations.mjs --craftsmen ${CRAFTSMEN} --requests ${REQUESTS}\``,
    `Seeded in ${(seededMs / 1000).toFixed(1)} s: ${TRADES.length} trades, ratings, histories, 80 % verified, 10 % unavailable, over ~40 × 40 km. ${REQUESTS} sequential requests each, after a warm-up; ${returned} recommendations per answer.`,
    '',
    '| endpoint | p50 | p95 | max |',
    '|---|---|---|---|',
    `| GET /api/users/recommendations | ${percentile(reco, 50).toFixed(1)} ms | ${percentile(reco, 95).toFixed(1)} ms | ${reco.at(-1).toFixed(1)} ms |`,
    `| GET /api/users/:id | ${percentile(profile, 50).toFixed(1)} ms | ${percentile(profile, 95).toFixed(1)} ms | ${profile.at(-1).toFixed(1)} ms |`,
    '',
    `p95 ratio recommendations ÷ profile: **${(percentile(reco, 95) / percentile(profile, 95)).toFixed(1)}** (goal ≤ 15). Longest event-loop stall while recommending: **${maxStallMs.toFixed(1)} ms** (goal ≤ 50).`,
    '',
  ];
  console.log(lines.join('\n'));
  appendResult(lines.join('\n'));
} finally {
  await connection.dropDatabase().catch(() => undefined);
  await app.close();
  rmSync(logDir, { recursive: true, force: true });
}
