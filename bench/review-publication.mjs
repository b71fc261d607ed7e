#!/usr/bin/env node
// The review publication sweep (ReviewPublicationService.sweep) on 100,000 hidden reviews whose
// revealAt has passed, seeded directly: 50,000 completed jobs, each reviewed by both sides, about
// 1,000 craftsmen and 1,000 clients. Measures the wall time of the sweep, run by two "instances"
// at once (two concurrent sweeps of one app on one database: the guarded writes are what makes
// that safe), and checks exactly-once: every review published, every reviewee's
// ratingSum/ratingCount/rating equal to what was seeded, no review counted twice. Needs
// `npm run build`.
//
//   npm run bench:reviews            (REVIEWS=100000 USERS=1000 by default)
//
// Uses MONGODB_URI when set, else the embedded engine in memory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getConnectionToken } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { createApp } from '../dist/bootstrap.js';
import { DATABASE_ENGINE } from '../dist/database/engine/database-engine.js';
import { ReviewPublicationService } from '../dist/modules/reviews/review-publication.service.js';
import { benchEnv } from './harness.mjs';
import { appendResult, machineLine } from './results.mjs';

const reviewCount = Number(process.env.REVIEWS ?? 100_000);
const userCount = Number(process.env.USERS ?? 1_000);
const jobCount = reviewCount / 2;

const { app } = await createApp(
  benchEnv(mkdtempSync(join(tmpdir(), 'bench-logs-')), {
    NODE_ENV: 'test',
    MONGODB_DB_NAME: `bench_reviews_${Date.now()}`,
    // this measures publication and counting; the notifications are the notification bench's
    NOTIFICATIONS_ENABLED: 'false',
  }),
);
await app.init();
const engine = app.get(DATABASE_ENGINE);
const connection = app.get(getConnectionToken());
const users = connection.collection('users');
const jobs = connection.collection('jobs');
const reviews = connection.collection('reviews');
const publication = app.get(ReviewPublicationService);

const { ObjectId } = mongoose.Types;
const now = new Date();
const past = new Date(now.getTime() - 15 * 24 * 3600 * 1000);
const revealAt = new Date(now.getTime() - 60_000);

function user(role, i) {
  return {
    _id: new ObjectId(),
    email: `bench-${role}-${i}@example.com`,
    phoneKey: `bench-${role}-${i}`,
    passwordHash: 'x',
    emailVerified: true,
    role,
    firstName: 'Bench',
    lastName: `${role} ${i}`,
    rating: 0,
    ratingCount: 0,
    ratingSum: 0,
    createdAt: past,
    updatedAt: past,
  };
}

async function insertInChunks(collection, docs) {
  for (let at = 0; at < docs.length; at += 5000) {
    await collection.insertMany(docs.slice(at, at + 5000), { ordered: false });
  }
}

const craftsmen = Array.from({ length: userCount }, (_, i) => user('craftsman', i));
const clients = Array.from({ length: userCount }, (_, i) => user('client', i));
await insertInChunks(users, [...craftsmen, ...clients]);

/** What each reviewee must end with: the seeded ratings, each counted once. */
const expected = new Map();
const expect = (id, rating) => {
  const key = id.toHexString();
  const totals = expected.get(key) ?? { sum: 0, count: 0 };
  totals.sum += rating;
  totals.count += 1;
  expected.set(key, totals);
};

const seedStarted = performance.now();
for (let at = 0; at < jobCount; at += 2500) {
  const jobDocs = [];
  const reviewDocs = [];
  for (let i = at; i < Math.min(jobCount, at + 2500); i += 1) {
    const client = clients[i % userCount]._id;
    const craftsman = craftsmen[(i * 7) % userCount]._id;
    const job = new ObjectId();
    jobDocs.push({
      _id: job,
      client,
      craftsman,
      title: `Bench job ${i}`,
      description: 'Seeded by bench/review-publication.mjs',
      category: 'Plumbing',
      photos: [],
      paymentType: 'cash',
      status: 'completed',
      completedAt: past,
      statusHistory: [],
      createdAt: past,
      updatedAt: past,
    });
    for (const [reviewer, reviewee, rating] of [
      [client, craftsman, (i % 5) + 1],
      [craftsman, client, ((i * 3) % 5) + 1],
    ]) {
      reviewDocs.push({
        job,
        reviewer,
        reviewee,
        rating,
        comment: '',
        privateNote: '',
        status: 'hidden',
        revealAt,
        publishAfter: revealAt,
        publishedAt: null,
        countedAt: null,
        response: null,
        createdAt: past,
        updatedAt: past,
      });
      expect(reviewee, rating);
    }
  }
  await jobs.insertMany(jobDocs, { ordered: false });
  await reviews.insertMany(reviewDocs, { ordered: false });
}
const seedMs = performance.now() - seedStarted;

const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
// two instances' schedules at the same moment
const [first, second] = await Promise.all([publication.sweep(), publication.sweep()]);
const ms = performance.now() - started;
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;

// exactly once: every review published and counted, every aggregate what was seeded
const hidden = await reviews.countDocuments({ status: 'hidden' });
const uncounted = await reviews.countDocuments({ countedAt: null });
const problems = [];
for (const doc of await users
  .find({}, { projection: { ratingSum: 1, ratingCount: 1, rating: 1 } })
  .toArray()) {
  const want = expected.get(doc._id.toHexString()) ?? { sum: 0, count: 0 };
  const rating = want.count > 0 ? Math.round((want.sum / want.count) * 10) / 10 : 0;
  if (doc.ratingSum !== want.sum || doc.ratingCount !== want.count || doc.rating !== rating) {
    problems.push(
      `${doc._id}: ${doc.ratingSum}/${doc.ratingCount} (${doc.rating}), want ${want.sum}/${want.count} (${rating})`,
    );
  }
}
const counted = (await users.find({}, { projection: { ratingCount: 1 } }).toArray()).reduce(
  (total, doc) => total + (doc.ratingCount ?? 0),
  0,
);
await connection.dropDatabase();
await app.close();
if (hidden !== 0 || uncounted !== 0 || problems.length > 0 || counted !== reviewCount) {
  console.error(problems.slice(0, 10).join('\n'));
  throw new Error(
    `not exactly once: ${hidden} hidden, ${uncounted} uncounted, ${counted} counted of ${reviewCount}, ${problems.length} reviewees wrong`,
  );
}

const lines = [
  `### Review publication sweep — ${new Date().toISOString()}`,
  machineLine(engine),
  'Command: `npm run bench:reviews` (`npm run build && node bench/review-publication.mjs`)',
  '',
  '| due reviews (jobs) | reviewees | two sweeps at once, wall time | reviews/s | published+counted by each sweep | heap delta |',
  '|---|---|---|---|---|---|',
  `| ${reviewCount.toLocaleString('en')} (${jobCount.toLocaleString('en')}) | ${(2 * userCount).toLocaleString('en')} | ${(ms / 1000).toFixed(1)} s | ${Math.round((reviewCount / ms) * 1000).toLocaleString('en')} | ${first.toLocaleString('en')} + ${second.toLocaleString('en')} | ${heapMb.toFixed(0)} MB |`,
  '',
  `Seeded directly (insertMany, ${(seedMs / 1000).toFixed(1)} s): hidden reviews past revealAt, both sides of each completed job, ~${Math.round(reviewCount / (2 * userCount))} reviews about each user. Notifications off: the sweep's own work (per job: the guarded publish of each review, the reviewee's guarded \`$inc\` and \`rating\` set, \`countedAt\`). Checked after the run: 0 hidden, 0 uncounted, every reviewee's ratingSum/ratingCount/rating equal to the seeded ratings each counted once (${counted.toLocaleString('en')} counts for ${reviewCount.toLocaleString('en')} reviews).`,
  '',
];
console.log(lines.join('\n'));
appendResult(lines.join('\n'));
