#!/usr/bin/env node
// What committing the H2 file before each write is answered costs (issue 12): single-document
// inserts per second against the launcher's durable H2 backend (tools/mongo-engine/
// DurableH2Backend.java) ÷ the stock H2 backend, which commits once a second in the background
// (launcher mode `h2-stock`). Each mode gets a fresh file; rounds alternate between the two
// so that the machine's noise falls on both alike; the figure per mode is its median round.
// Needs the engine (`npm run engine:setup`), not the app's build.
//
//   node bench/engine-commit.mjs [--rounds 3] [--inserts 2000] [--concurrency 1,8]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { appendResult, machineLine, option } from './results.mjs';

const ROUNDS = Number(option('rounds', 3));
const INSERTS = Number(option('inserts', 2000));
const CONCURRENCY = option('concurrency', '1,8').split(',').map(Number);
const ENGINE_DIR = join(import.meta.dirname, '..', '.engine');
const MODES = [
  { mode: 'h2-stock', label: 'stock (commit once a second)' },
  { mode: 'h2', label: 'durable (commit before answering)' },
];

/** A launcher process on a fresh H2 file; resolves once it listens. */
async function startEngine(mode, file) {
  const child = spawn(
    'java',
    [
      '-XX:+UseSerialGC',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp',
      `${join(ENGINE_DIR, 'classes')}:${join(ENGINE_DIR, 'lib', '*')}`,
      'EmbeddedMongo',
      mode,
      file,
      '127.0.0.1',
      '0',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the engine exited with code ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^LISTENING (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, uri: `mongodb://127.0.0.1:${port}` };
}

/** Inserts/s of `INSERTS` single-document inserts, `concurrency` at a time. */
async function insertsPerSecond(uri, concurrency) {
  const client = new mongoose.mongo.MongoClient(uri, { maxPoolSize: concurrency });
  await client.connect();
  const jobs = client.db('bench').collection('jobs');
  const insert = (i) =>
    jobs.insertOne({
      title: `Leaking pipe ${i}`,
      description: 'Water drips under the kitchen sink all day long.',
      category: 'Plumbing',
      status: 'posted',
      createdAt: new Date(),
    });
  for (let i = 0; i < 100; i += 1) await insert(-i); // warm-up, not counted
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < INSERTS) await insert((next += 1));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  return INSERTS / seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'bench-engine-commit-'));
const rates = {}; // `${mode}@${concurrency}` → inserts/s of each round
const sizes = {}; // mode → file size after its last round (bytes)
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const concurrency of CONCURRENCY) {
      for (const { mode } of round % 2 === 0 ? MODES : [...MODES].reverse()) {
        const file = join(dir, `${mode}-${round}-${concurrency}.mv`);
        const engine = await startEngine(mode, file);
        try {
          const rate = await insertsPerSecond(engine.uri, concurrency);
          (rates[`${mode}@${concurrency}`] ??= []).push(rate);
        } finally {
          engine.child.kill('SIGTERM');
          await new Promise((resolve) => engine.child.once('exit', resolve));
        }
        sizes[mode] = statSync(file).size;
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const lines = [
  `### Cost of committing before answering a write (H2) — ${new Date().toISOString()}`,
  '',
  machineLine({ description: 'embedded mongo-java-server 1.47.0, H2 backend, launcher only' }),
  `Command: \`node bench/engine-commit.mjs --rounds ${ROUNDS} --inserts ${INSERTS} --concurrency ${CONCURRENCY.join(',')}\``,
  `${INSERTS} single-document inserts (insertOne, a job-sized document) per round after 100 not counted, on a fresh file; median of ${ROUNDS} rounds, the modes alternating. Load average at the end: ${loadavg()
    .map((load) => load.toFixed(1))
    .join(', ')}.`,
  '',
  '| concurrent clients | stock inserts/s | durable inserts/s | durable ÷ stock |',
  '| ------------------ | --------------- | ----------------- | --------------- |',
];
for (const concurrency of CONCURRENCY) {
  const stock = median(rates[`h2-stock@${concurrency}`]);
  const durable = median(rates[`h2@${concurrency}`]);
  lines.push(
    `| ${concurrency} | ${Math.round(stock).toLocaleString('en')} | ${Math.round(durable).toLocaleString('en')} | **${(durable / stock).toFixed(2)}** |`,
  );
}
lines.push(
  '',
  `File after a round (${INSERTS + 100} documents, stopped cleanly): stock ${(sizes['h2-stock'] / 1024).toFixed(0)} KB, durable ${(sizes.h2 / 1024).toFixed(0)} KB.`,
);
console.log(lines.join('\n'));
appendResult(lines.join('\n'));
