#!/usr/bin/env node
// The expiry sweep on 10,000 and then 100,000 due invitations seeded directly, in one run:
// wall time, throughput, and the 100k/10k time ratio (10 = linear). Needs `npm run build`.
//
//   npm run build && node bench/invitation-sweep.mjs [--batch 1000]
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
import { InvitationExpiryService } from '../dist/modules/invitations/invitation-expiry.service.js';
import { benchEnv } from './harness.mjs';
import { appendResult, machineLine, option } from './results.mjs';

const batch = option('batch', '1000');

const { app } = await createApp(
  benchEnv(mkdtempSync(join(tmpdir(), 'bench-logs-')), {
    NODE_ENV: 'test',
    MONGODB_DB_NAME: `bench_sweep_${Date.now()}`,
    INVITATION_SWEEP_BATCH: batch,
    // the seeded invitations name no real users or jobs: this measures the sweep's own work
    NOTIFICATIONS_ENABLED: 'false',
  }),
);
await app.init();
const engine = app.get(DATABASE_ENGINE);
const connection = app.get(getConnectionToken());
const invitations = connection.collection('invitations');
const sweep = app.get(InvitationExpiryService);

let announced = 0;
app.get((await import('@nestjs/event-emitter')).EventEmitter2).on('invitation.expired', () => {
  announced += 1;
});

async function seed(count) {
  await invitations.deleteMany({});
  const now = new Date();
  const past = new Date(now.getTime() - 60_000);
  const job = new mongoose.Types.ObjectId();
  const client = new mongoose.Types.ObjectId();
  for (let offset = 0; offset < count; offset += 5000) {
    const docs = [];
    for (let i = offset; i < Math.min(count, offset + 5000); i += 1) {
      const craftsman = new mongoose.Types.ObjectId();
      docs.push({
        job,
        client,
        craftsman,
        inviteeEmail: null,
        inviteeKey: craftsman.toHexString(),
        status: 'pending',
        source: 'craftsman_id',
        message: '',
        rejectionReason: null,
        rejectionReasonCode: null,
        cancellationReason: null,
        tokenHash: `bench-${count}-${i}`,
        expiresAt: past,
        viewedAt: null,
        respondedAt: null,
        lastSentAt: past,
        resendCount: 0,
        reminderSentAt: null,
        batchStamp: null,
        expiredAt: null,
        expiryAnnouncedAt: null,
        idempotencyKey: null,
        inviteLink: null,
        history: [],
        createdAt: past,
        updatedAt: past,
      });
    }
    await invitations.insertMany(docs, { ordered: false });
  }
}

async function measure(count) {
  await seed(count);
  announced = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = await sweep.expireDue();
  const ms = performance.now() - started;
  const left = await invitations.countDocuments({ status: 'pending' });
  if (result.expired !== count || left !== 0 || announced !== count) {
    throw new Error(
      `sweep of ${count}: expired ${result.expired}, announced ${announced}, ${left} left pending`,
    );
  }
  return {
    count,
    ms,
    perSecond: Math.round((count / ms) * 1000),
    heapMb: (process.memoryUsage().heapUsed - heapBefore) / 1e6,
  };
}

const smallCount = Number(process.env.SWEEP_SMALL ?? 10_000);
const largeCount = Number(process.env.SWEEP_LARGE ?? 100_000);
const small = await measure(smallCount);
const large = await measure(largeCount);
await connection.dropDatabase();
await app.close();

const lines = [
  `### Invitation expiry sweep — ${new Date().toISOString()}`,
  machineLine(engine),
  `Command: \`npm run build && node bench/invitation-sweep.mjs --batch ${batch}\``,
  '',
  '| due invitations | wall time | expired/s | heap delta |',
  '|---|---|---|---|',
  ...[small, large].map(
    (r) =>
      `| ${r.count.toLocaleString('en')} | ${(r.ms / 1000).toFixed(1)} s | ${r.perSecond.toLocaleString('en')} | ${r.heapMb.toFixed(0)} MB |`,
  ),
  '',
  'Notifications off (the seeded invitations name no real users): the sweep itself, with the activity listener.',
  `Ratio ${largeCount.toLocaleString('en')}/${smallCount.toLocaleString('en')} wall time: **${(large.ms / small.ms).toFixed(1)}** (${largeCount / smallCount} would be linear). Every invitation expired and announced exactly once.`,
  '',
];
console.log(lines.join('\n'));
appendResult(lines.join('\n'));
