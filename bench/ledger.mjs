#!/usr/bin/env node
// The ledger (Money I) through LedgerService.post, in the app's Nest context built from dist/:
//  1. MongoDB commands per entry, counted with the driver's command monitoring
//     (MONGODB_MONITOR_COMMANDS=true, `commandStarted`), against the goal 2 + the accounts it
//     touches: entries of 2 and 3 accounts, a replay (same idempotency key) and a voided entry;
//  2. entries applied per second with 1 and with 20 concurrent writers, (a) each writer on
//     accounts of its own and (b) every entry touching one hot account (platform:revenue), also
//     (b') with that account already holding `--hot-ids` entry ids, as the hour before compaction
//     leaves them: a warm-up, then each case for a few seconds, the cases interleaved, repeated;
//     the median.
// Per engine: the embedded engine in memory, then on the H2 file `npm start` uses (a fresh
// DATA_DIR under the temp directory). Prints a markdown section; appends nothing.
//
//   npm run build && node bench/ledger.mjs [--seconds 4] [--repeats 3] [--writers 20]
//     [--warmup 5] [--entries 50] [--hot-ids 10000] [--engines memory,file]
//
// Uses MONGODB_URI instead when it is set (one run, on that server).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getConnectionToken } from '@nestjs/mongoose';
import { SchedulerRegistry } from '@nestjs/schedule';
import mongoose from 'mongoose';
import { createApp } from '../dist/bootstrap.js';
import { DATABASE_ENGINE } from '../dist/database/engine/database-engine.js';
import { LedgerAccount } from '../dist/modules/money/ledger/ledger-accounts.js';
import { LedgerInvariants } from '../dist/modules/money/ledger/ledger-invariants.js';
import { LedgerService } from '../dist/modules/money/ledger/ledger.service.js';
import { LedgerEntryKind } from '../dist/modules/money/ledger/schemas/ledger-entry.schema.js';
import { benchEnv } from './harness.mjs';
import { machineLine, option, percentile } from './results.mjs';

const SECONDS = Number(option('seconds', 4));
const REPEATS = Number(option('repeats', 3));
const WRITERS = Number(option('writers', 20));
const WARMUP = Number(option('warmup', 5));
const ENTRIES = Number(option('entries', 50));
const HOT_IDS = Number(option('hot-ids', 10_000));
const ENGINES = process.env.MONGODB_URI ? ['uri'] : option('engines', 'memory,file').split(',');

/** The connection's own housekeeping, not the app's (test/support/command-recorder.ts). */
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions']);
const QUIET_MS = 200;

const newId = () => new mongoose.Types.ObjectId().toHexString();
const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '—';
const median = (values) => percentile(values, 50);
/** The machine's 1-minute load average at the start of each measured run (it is shared). */
const loads = [];

/** CPU time (ms) the engine's process has used so far (Linux /proc), else NaN. */
function engineCpuMs(engine) {
  try {
    const fields = readFileSync(`/proc/${engine.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, in clock ticks (100 a second on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Every command the app's driver sends, while `recording` is set. */
class Recorder {
  constructor(connection) {
    const client = connection.getClient();
    if (!client.options.monitorCommands) {
      throw new Error('the app runs without MONGODB_MONITOR_COMMANDS=true');
    }
    this.recording = null;
    this.lastAt = 0;
    client.on('commandStarted', (event) => {
      if (HOUSEKEEPING.has(event.commandName)) {
        return;
      }
      this.lastAt = performance.now();
      const target = event.command[event.commandName];
      this.recording?.push(`${event.commandName}${typeof target === 'string' ? ` ${target}` : ''}`);
    });
  }

  async quiet() {
    for (;;) {
      const since = performance.now() - this.lastAt;
      if (since >= QUIET_MS) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS - since));
    }
  }

  async record(call) {
    const commands = [];
    this.recording = commands;
    try {
      return { result: await call(), commands };
    } finally {
      this.recording = null;
    }
  }
}

/** `insert ledger_entries, update ledger_accounts ×2, …` (test/support/command-recorder.ts). */
function describe(commands) {
  const runs = [];
  for (const text of commands) {
    if (runs.at(-1)?.text === text) {
      runs.at(-1).times += 1;
    } else {
      runs.push({ text, times: 1 });
    }
  }
  return runs.map(({ text, times }) => (times > 1 ? `${text} ×${times}` : text)).join(', ');
}

async function boot(storage) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ledger-data-'));
  const { app } = await createApp(
    benchEnv(mkdtempSync(join(tmpdir(), 'bench-logs-')), {
      NODE_ENV: 'test',
      MONGODB_DB_NAME: `bench_ledger_${Date.now()}`,
      ...(storage === 'uri' ? {} : { EMBEDDED_MONGO_STORAGE: storage }),
      DATA_DIR: dataDir,
      MONGODB_MONITOR_COMMANDS: 'true',
      NOTIFICATIONS_ENABLED: 'false',
      DELIVERY_POLL_INTERVAL: 'PT1H',
      DELIVERY_POLL_MAX_INTERVAL: 'PT1H',
    }),
  );
  await app.init();
  // no schedule lands in a measurement (the minute's money sweep compacts the ledger)
  app
    .get(SchedulerRegistry)
    .getCronJobs()
    .forEach((job) => void job.stop());
  const connection = app.get(getConnectionToken());
  const recorder = new Recorder(connection);
  await recorder.quiet();
  return {
    app,
    dataDir,
    connection,
    recorder,
    engine: app.get(DATABASE_ENGINE),
    ledger: app.get(LedgerService),
    invariants: app.get(LedgerInvariants),
  };
}

// --- 1. commands per entry ---

/**
 * Posts each of `inputs` alone on a quiet app, recording its commands; every entry must end in
 * `expect` (`replayed` for a replay).
 */
async function countCommands(ctx, name, accounts, inputs, expect) {
  const perEntry = [];
  for (const input of inputs) {
    await ctx.recorder.quiet();
    const { result, commands } = await ctx.recorder.record(() => ctx.ledger.post(input));
    const state =
      expect === 'replayed' ? (result.replayed ? 'replayed' : 'new') : result.entry.state;
    if (state !== expect) {
      throw new Error(`${name}: ${input.idempotencyKey} ended ${state}, not ${expect}`);
    }
    perEntry.push(commands);
  }
  const counts = perEntry.map((commands) => commands.length);
  const patterns = new Map();
  for (const commands of perEntry) {
    const text = describe(commands);
    patterns.set(text, (patterns.get(text) ?? 0) + 1);
  }
  const [pattern, times] = [...patterns].sort((a, b) => b[1] - a[1])[0];
  return {
    name,
    accounts,
    goal: 2 + accounts,
    mean: counts.reduce((a, b) => a + b, 0) / counts.length,
    min: Math.min(...counts),
    max: Math.max(...counts),
    pattern,
    patternShare: `${times}/${perEntry.length}`,
  };
}

async function commandsPerEntry(ctx) {
  const craftsman = newId();
  const keys = Array.from({ length: ENTRIES }, (_, i) => `bench:adjustment:${craftsman}:${i}`);
  const jobs = Array.from({ length: ENTRIES }, () => newId());
  const rows = [];
  rows.push(
    await countCommands(
      ctx,
      'adjustment: craftsman available ← platform:adjustments',
      2,
      keys.map((idempotencyKey) => ({
        idempotencyKey,
        kind: LedgerEntryKind.Adjustment,
        postings: [
          { account: LedgerAccount.available(craftsman), amount: 10_000 },
          { account: LedgerAccount.platformAdjustments, amount: -10_000 },
        ],
      })),
      'posted',
    ),
  );
  rows.push(
    await countCommands(
      ctx,
      'withdrawal request: available → pending_payout (guarded debit, within the balance)',
      2,
      Array.from({ length: ENTRIES }, (_, i) => ({
        idempotencyKey: `bench:withdrawal:${craftsman}:${i}`,
        kind: LedgerEntryKind.WithdrawalRequest,
        postings: [
          { account: LedgerAccount.available(craftsman), amount: -1_000 },
          { account: LedgerAccount.pendingPayout(craftsman), amount: 1_000 },
        ],
      })),
      'posted',
    ),
  );
  rows.push(
    await countCommands(
      ctx,
      'escrow funded: escrow:job ← gateway:fawry (a new job each)',
      2,
      jobs.map((job) => ({
        idempotencyKey: `bench:escrow:${job}:funded`,
        kind: LedgerEntryKind.Adjustment,
        postings: [
          { account: LedgerAccount.escrow(job), amount: 50_000 },
          { account: LedgerAccount.gateway('fawry'), amount: -50_000 },
        ],
      })),
      'posted',
    ),
  );
  rows.push(
    await countCommands(
      ctx,
      'escrow released, split: escrow:job (guarded debit) → craftsman available + platform:revenue',
      3,
      jobs.map((job) => ({
        idempotencyKey: `bench:escrow:${job}:released`,
        kind: LedgerEntryKind.Adjustment,
        postings: [
          { account: LedgerAccount.escrow(job), amount: -50_000 },
          { account: LedgerAccount.available(craftsman), amount: 45_000 },
          { account: LedgerAccount.platformRevenue, amount: 5_000 },
        ],
      })),
      'posted',
    ),
  );
  rows.push(
    await countCommands(
      ctx,
      'replay of a posted adjustment (same idempotency key)',
      2,
      keys.map((idempotencyKey) => ({
        idempotencyKey,
        kind: LedgerEntryKind.Adjustment,
        postings: [
          { account: LedgerAccount.available(craftsman), amount: 10_000 },
          { account: LedgerAccount.platformAdjustments, amount: -10_000 },
        ],
      })),
      'replayed',
    ),
  );
  const [balance] = (await ctx.ledger.balancesOf([LedgerAccount.available(craftsman)])).values();
  rows.push(
    await countCommands(
      ctx,
      `voided: withdrawal request beyond the available balance (${fmt(balance / 100)} EGP)`,
      2,
      Array.from({ length: ENTRIES }, (_, i) => ({
        idempotencyKey: `bench:withdrawal:${craftsman}:too-much:${i}`,
        kind: LedgerEntryKind.WithdrawalRequest,
        postings: [
          { account: LedgerAccount.available(craftsman), amount: -(balance + 100) },
          { account: LedgerAccount.pendingPayout(craftsman), amount: balance + 100 },
        ],
      })),
      'voided',
    ),
  );
  return rows;
}

// --- 2. throughput ---

/** Removes every settled entry's id from its accounts (LedgerService.compact, with no delay). */
async function compactAll(ledger) {
  while ((await ledger.compact(0, 2000)) > 0) {
    // next batch
  }
}

/**
 * `writers` loops, each posting one entry after another for `seconds`: (a) `own`: two accounts
 * of the writer's own craftsman; (b) `hot`: the craftsman's fees owed → platform:revenue (a
 * cash-job fee), so every entry updates that one account.
 */
async function run(ctx, { writers, mode, seconds, preload = 0 }) {
  await compactAll(ctx.ledger);
  const accounts = ctx.connection.collection('ledger_accounts');
  if (preload > 0) {
    // the ids an hour of entries leaves on the account before compaction takes them off (their
    // entries are not in the collection: only the account's array is what it would be)
    await accounts.updateOne(
      { _id: LedgerAccount.platformRevenue },
      {
        $set: {
          pendingEntries: Array.from({ length: preload }, () => new mongoose.Types.ObjectId()),
        },
      },
      { upsert: true },
    );
  }
  await ctx.recorder.quiet();
  loads.push(loadavg()[0]);
  const craftsmen = Array.from({ length: writers }, () => newId());
  const latencies = [];
  let notPosted = 0;
  const commands = [];
  ctx.recorder.recording = commands;
  const cpuBefore = process.cpuUsage();
  const engineBefore = engineCpuMs(ctx.engine);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    craftsmen.map(async (craftsman) => {
      const postings = [
        { account: LedgerAccount.feesOwed(craftsman), amount: -100 },
        {
          account:
            mode === 'own' ? LedgerAccount.available(craftsman) : LedgerAccount.platformRevenue,
          amount: 100,
        },
      ];
      const kind = mode === 'own' ? LedgerEntryKind.Adjustment : LedgerEntryKind.CashJobFee;
      for (let i = 0; performance.now() < deadline; i += 1) {
        const at = performance.now();
        const { entry } = await ctx.ledger.post({
          idempotencyKey: `bench:${mode}:${craftsman}:${i}`,
          kind,
          postings,
        });
        latencies.push(performance.now() - at);
        if (entry.state !== 'posted') {
          notPosted += 1;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const engineCpu = engineCpuMs(ctx.engine) - engineBefore;
  ctx.recorder.recording = null;
  if (notPosted > 0) {
    throw new Error(`${writers} writers, ${mode}: ${notPosted} entries not posted`);
  }
  const [hot] = (
    await accounts
      .aggregate([
        { $match: { _id: LedgerAccount.platformRevenue } },
        { $project: { n: { $size: '$pendingEntries' } } },
      ])
      .toArray()
  ).map((account) => account.n);
  if (preload > 0) {
    // every entry of the run is settled: its id would go at the next compaction anyway
    await accounts.updateOne(
      { _id: LedgerAccount.platformRevenue },
      { $set: { pendingEntries: [] } },
    );
  }
  return {
    entries: latencies.length,
    perSecond: (latencies.length / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    commandsPerEntry: commands.length / latencies.length,
    appCpuMs: (cpu.user + cpu.system) / 1000 / latencies.length,
    engineCpuMs: engineCpu / latencies.length,
    hotIds: hot ?? 0,
  };
}

async function throughput(ctx) {
  const cases = [
    { writers: 1, mode: 'own' },
    { writers: WRITERS, mode: 'own' },
    { writers: 1, mode: 'hot' },
    { writers: WRITERS, mode: 'hot' },
    ...(HOT_IDS > 0
      ? [
          { writers: 1, mode: 'hot', preload: HOT_IDS },
          { writers: WRITERS, mode: 'hot', preload: HOT_IDS },
        ]
      : []),
  ];
  // warm-up (not counted): both JITs (Node's, the engine's JVM), the connection pool; a single
  // writer on the engine in memory takes about a thousand entries to reach its pace
  for (const item of cases.filter((c) => !c.preload)) {
    await run(ctx, { ...item, seconds: WARMUP });
  }
  loads.length = 0;
  const results = cases.map(() => []);
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    for (const [at, item] of cases.entries()) {
      results[at].push(await run(ctx, { ...item, seconds: SECONDS }));
    }
  }
  return cases.map((item, at) => ({ ...item, runs: results[at] }));
}

// --- the report ---

async function measureEngine(storage) {
  const ctx = await boot(storage);
  try {
    const commands = await commandsPerEntry(ctx);
    const rates = await throughput(ctx);
    const load = [Math.min(...loads), Math.max(...loads)];
    const check = await ctx.invariants.check();
    return { storage, engine: ctx.engine, commands, rates, load, check };
  } finally {
    await ctx.app.close();
    rmSync(ctx.dataDir, { recursive: true, force: true });
  }
}

const measured = [];
for (const storage of ENGINES) {
  measured.push(await measureEngine(storage));
}

const sameCounts = measured.every(
  (m) => JSON.stringify(m.commands) === JSON.stringify(measured[0].commands),
);
const label = (r) =>
  r.mode === 'own'
    ? '(a) own accounts'
    : r.preload
      ? `(b′) hot, holding ${fmt(r.preload)} ids`
      : '(b) hot platform:revenue';
const lines = [
  `### Ledger (Money I) — ${new Date().toISOString()}`,
  '',
  machineLine({ description: measured.map((m) => m.engine.description).join('; then ') }),
  `Command: \`npm run build && node bench/ledger.mjs --seconds ${SECONDS} --repeats ${REPEATS} --writers ${WRITERS} --warmup ${WARMUP} --entries ${ENTRIES} --hot-ids ${HOT_IDS} --engines ${ENGINES.join(',')}\``,
  '',
  `MongoDB commands per entry: ${ENTRIES} entries of each kind posted one at a time through \`LedgerService.post\` on a quiet app, counted by the driver's command monitoring (connection housekeeping left out); ${measured.length > 1 ? (sameCounts ? 'the same on both engines' : 'NOT the same on the engines (first engine shown)') : `on ${measured[0].storage}`}.`,
  '',
  '| entry | accounts | goal (2 + accounts) | commands/entry (min–max) | what each sends |',
  '|---|---|---|---|---|',
  ...measured[0].commands.map(
    (r) =>
      `| ${r.name} | ${r.accounts} | ${r.goal} | ${fmt(r.mean, 2)} (${r.min}–${r.max}) | ${r.pattern} (${r.patternShare}) |`,
  ),
  '',
  `Entries applied per second: \`LedgerService.post\` in a loop per writer, one entry after another; ${WARMUP} s of each case first (not counted), then ${SECONDS} s runs, the cases interleaved, ${REPEATS} rounds: the median of the rounds (each round in brackets). (a) own accounts: fees_owed → available of the writer's own craftsman; (b) hot: fees_owed of the writer's craftsman → platform:revenue (a cash-job fee), every entry updating that one account; (b′) the same, the account already holding ${fmt(HOT_IDS)} entry ids in \`pendingEntries\` (the ids an hour of entries leaves there before compaction). Settled entries are compacted off their accounts before each run. Command monitoring stays on. CPU per entry: this process's (the app, Mongoose, the driver) and the engine's process's (its JVM, from /proc), over the run ÷ its entries.`,
  '',
  `| engine | accounts | writers | entries/s (rounds) | latency p50 / p99 | CPU per entry: app / engine | commands/entry | ${WRITERS}÷1 |`,
  '|---|---|---|---|---|---|---|---|',
];
for (const m of measured) {
  const key = (r) => `${r.mode}:${r.preload ?? 0}`;
  const rateOf = (r) => median(r.runs.map((x) => x.perSecond));
  const single = new Map(m.rates.filter((r) => r.writers === 1).map((r) => [key(r), rateOf(r)]));
  for (const r of m.rates) {
    const ratio = r.writers === 1 ? '' : `**${(rateOf(r) / single.get(key(r))).toFixed(2)}**`;
    lines.push(
      `| ${m.storage} | ${label(r)} | ${r.writers} | ${fmt(rateOf(r))} (${r.runs.map((x) => fmt(x.perSecond)).join(', ')}) | ${fmt(median(r.runs.map((x) => x.p50)), 1)} / ${fmt(median(r.runs.map((x) => x.p99)), 1)} ms | ${fmt(median(r.runs.map((x) => x.appCpuMs)), 2)} / ${fmt(median(r.runs.map((x) => x.engineCpuMs)), 2)} ms | ${fmt(median(r.runs.map((x) => x.commandsPerEntry)), 2)} | ${ratio} |`,
    );
  }
}
lines.push('');
for (const m of measured) {
  const hot = m.rates.find((r) => r.mode === 'hot' && !r.preload && r.writers === WRITERS);
  lines.push(
    `- ${m.storage}: 1-minute load average at the start of the runs ${fmt(m.load[0], 1)}–${fmt(m.load[1], 1)} on ${cpus().length} cores; ids on platform:revenue at the end of each hot ${WRITERS}-writer run: ${hot.runs.map((x) => fmt(x.hotIds)).join(', ')}; after the runs, LedgerInvariants.check: balanced ${m.check.balanced}, ${fmt(m.check.entries)} entries, ${fmt(m.check.accounts)} accounts, ${m.check.mismatches.length} mismatches.`,
  );
}
lines.push('');
console.log(lines.join('\n'));
