#!/usr/bin/env node
// Uploads (issue 17): `POST /api/uploads` against the app built in dist/, in production mode, in
// a child process (bench/servers/app.mjs), local storage under a temporary DATA_DIR, on
// 127.0.0.1. In one run against one app process:
//  1. throughput: --uploads requests one after another, then the same number by --concurrency
//     senders, of (a) a ~1.3 MB 3000×2000 JPEG as a job_photo (decoded, auto-oriented, stripped,
//     fitted inside 2048×2048, re-encoded), (b) a ~1 MB PDF as a verification_doc (stored as it
//     came, AES-256-GCM sealed), (c) `GET /api/users/me` as the baseline of the same app (auth,
//     one read); --rounds rounds, the cases' order rotated each round, the median; uploads/s,
//     MB/s of file bytes sent, the app's CPU per request, and the ratios photo ÷ baseline,
//     pdf ÷ baseline, photo ÷ pdf;
//  2. memory: the app's RSS (its own Node process only; the embedded engine's JVM is another
//     process) sampled every 50 ms from /proc/<pid>/status in a worker thread, and the kernel's
//     own peak (VmHWM, reset through /proc/<pid>/clear_refs before each burst), at idle (median
//     of 1 s after 1.5 s quiet) and while --burst uploads run at once: 5 MiB − 16 KiB PDFs as
//     verification_doc, then ~4.9 MB 6000×4000 JPEGs as job_photo; peak − idle, and that
//     ÷ the file bytes in flight; time until the last of them answered. Then one PNG "bomb" (a
//     few KB declaring 20,000×20,000 pixels) alone: its answer and the RSS it cost.
// The senders share this process (not the app's). Prints a markdown section; appends nothing.
//
//   npm run build && node bench/uploads.mjs [--uploads 24] [--concurrency 4] [--rounds 2]
//     [--burst 20] [--repeat 2]
//
// Uses MONGODB_URI instead of the embedded engine when it is set.
import { randomBytes, randomFillSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { APP_SERVER, register, startServer, stopServer } from './harness.mjs';
import { machineLine, option, percentile } from './results.mjs';

const UPLOADS = Number(option('uploads', 24));
const CONCURRENCY = Number(option('concurrency', 4));
const ROUNDS = Number(option('rounds', 2));
const BURST = Number(option('burst', 20));
const REPEAT = Number(option('repeat', 2));
/** The baseline is cheap: this many times as many requests, so that it lasts long enough. */
const BASELINE_FACTOR = 10;
const MIB = 2 ** 20;
/** UPLOAD_MAX_BYTES (its default, the seed's 5 MB). */
const MAX_BYTES = 5 * MIB;
const SAMPLE_MS = 50;
/** The C allocator's settings the app inherits, when set (they change its RSS). */
const ALLOCATOR_ENV = Object.keys(process.env).filter(
  (name) => name.startsWith('MALLOC_') || name === 'LD_PRELOAD',
);

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '—';
const mb = (bytes, digits = 1) =>
  Number.isFinite(bytes) ? `${fmt(bytes / MIB, digits)} MiB` : '—';
const median = (values) => percentile(values, 50);
/** Where the run is, on stderr. */
const progress = (message) => console.error(`[uploads] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the files ---

/**
 * A JPEG of `width`×`height`: a gradient with noise of `amplitude` levels in each channel, so it
 * compresses as a photo does rather than to nothing; encoded at `quality`.
 */
function noisePixels(width, height, amplitude) {
  const raw = Buffer.alloc(width * height * 3);
  randomFillSync(raw);
  for (let i = 0; i < raw.length; i += 1) {
    raw[i] = 90 + (raw[i] % amplitude) + (Math.floor(i / 3 / width) % 50);
  }
  return raw;
}
const jpegOf = (raw, width, height, quality) =>
  sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();

/** The highest quality whose JPEG is at most `maxBytes` (bisection on the quality). */
async function jpegUnder(width, height, amplitude, maxBytes) {
  const raw = noisePixels(width, height, amplitude);
  let [low, high, best] = [30, 95, undefined];
  while (low <= high) {
    const quality = Math.floor((low + high) / 2);
    const jpeg = await jpegOf(raw, width, height, quality);
    if (jpeg.length <= maxBytes) {
      best = jpeg;
      low = quality + 1;
    } else {
      high = quality - 1;
    }
  }
  if (!best) throw new Error(`no JPEG of ${width}×${height} under ${maxBytes} bytes`);
  return best;
}

/** A valid one-page PDF of exactly `size` bytes: its content stream padded with random bytes. */
function pdfOfSize(size) {
  const build = (padding) => {
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
    ];
    const parts = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
    const offsets = [];
    let length = parts[0].length;
    const push = (buffer) => {
      parts.push(buffer);
      length += buffer.length;
    };
    objects.forEach((object, index) => {
      offsets.push(length);
      push(Buffer.from(`${index + 1} 0 obj\n${object}\nendobj\n`, 'latin1'));
    });
    offsets.push(length);
    const data = randomBytes(padding);
    push(Buffer.from(`4 0 obj\n<< /Length ${data.length} >>\nstream\n`, 'latin1'));
    push(data);
    push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    const xref = length;
    push(
      Buffer.from(
        `xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
        'latin1',
      ),
    );
    return Buffer.concat(parts);
  };
  // the numbers in /Length and the xref grow with the padding: settle in a few steps
  let padding = size - build(0).length;
  let pdf = build(padding);
  for (let step = 0; step < 5 && pdf.length !== size; step += 1) {
    padding += size - pdf.length;
    pdf = build(padding);
  }
  if (pdf.length !== size) throw new Error(`PDF of ${pdf.length} bytes, not ${size}`);
  return pdf;
}

/**
 * A few-KB PNG that declares `width`×`height` pixels: a valid header and the zlib stream of a
 * handful of blank rows (test/support/uploads.ts `pngBomb`).
 */
function pngBomb(width = 20_000, height = 20_000) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = deflateSync(Buffer.alloc((width * 4 + 1) * 8));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(data) {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// --- the app's process ---

/** CPU time (ms) the process has used so far (Linux /proc; 100 ticks a second). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A `kB` line of /proc/<pid>/status, in bytes. */
function statusBytes(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Resets the kernel's peak RSS (VmHWM) of `pid` to its current RSS; false if refused. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * VmRSS of `pid` every SAMPLE_MS in a worker thread (so the senders' work on this event loop
 * doesn't delay it): `window()` starts a window, `close()` answers its samples.
 */
class RssSampler {
  constructor(pid) {
    this.worker = new Worker(
      `
      const { parentPort, workerData } = require('node:worker_threads');
      const { readFileSync } = require('node:fs');
      let samples = [];
      const timer = setInterval(() => {
        try {
          const m = /^VmRSS:\\s+(\\d+) kB/m.exec(readFileSync('/proc/' + workerData.pid + '/status', 'utf8'));
          if (m) samples.push([performance.now() + performance.timeOrigin, Number(m[1]) * 1024]);
        } catch {}
      }, workerData.every);
      parentPort.on('message', (message) => {
        if (message === 'open') { samples = []; parentPort.postMessage('opened'); }
        else if (message === 'close') { parentPort.postMessage(samples); samples = []; }
        else if (message === 'stop') { clearInterval(timer); parentPort.close(); }
      });
      `,
      { eval: true, workerData: { pid, every: SAMPLE_MS } },
    );
  }

  ask(message) {
    return new Promise((resolve) => {
      this.worker.once('message', resolve);
      this.worker.postMessage(message);
    });
  }

  open() {
    return this.ask('open');
  }

  /** Samples since `open()`: `[epoch ms, rss bytes]`. */
  close() {
    return this.ask('close');
  }

  stop() {
    this.worker.postMessage('stop');
  }
}

// --- the run ---

const t0 = performance.now();
const photo = await jpegUnder(3000, 2000, 64, 1.4e6);
const pdf = pdfOfSize(1_000_000);
const bigPdf = pdfOfSize(MAX_BYTES - 16 * 1024);
const bigPhoto = await jpegUnder(6000, 4000, 64, 4.9e6);
const bomb = pngBomb();
const madeIn = performance.now() - t0;
progress(
  `files made in ${fmt(madeIn)} ms: photo ${photo.length}, big photo ${bigPhoto.length} bytes`,
);

const dataDir = mkdtempSync(join(tmpdir(), 'bench-uploads-'));
// the server prints `HEAP <bytes>` after a forced GC when sent SIGUSR2 (BENCH_HEAP_REPORT)
const heapReports = [];
const app = await startServer(APP_SERVER, {
  nodeArgs: ['--expose-gc'],
  onLine: (line) => {
    const match = /^HEAP (\d+)$/.exec(line);
    if (match) heapReports.shift()?.(Number(match[1]));
  },
  env: {
    BENCH_HEAP_REPORT: '1',
    DATA_DIR: dataDir,
    STORAGE_DRIVER: 'local',
    UPLOAD_RATE_LIMIT_PER_USER: '1000000',
    UPLOAD_MAX_BYTES: String(MAX_BYTES),
  },
});
const pid = app.child.pid;
// a failure below must not leave the app running
process.on('exit', () => {
  app.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});
const sampler = new RssSampler(pid);
/** The app's live heap after a full GC, and its RSS just after that GC. */
async function afterGc() {
  const heap = await new Promise((resolve) => {
    heapReports.push(resolve);
    app.child.kill('SIGUSR2');
  });
  await sleep(200);
  return { heap, rss: statusBytes(pid, 'VmRSS') };
}
const craftsman = await register(app, 'craftsman');
const auth = { authorization: `Bearer ${craftsman.accessToken}` };

const CASES = {
  photo: { purpose: 'job_photo', bytes: photo, filename: 'photo.jpg', type: 'image/jpeg' },
  pdf: {
    purpose: 'verification_doc',
    bytes: pdf,
    filename: 'document.pdf',
    type: 'application/pdf',
  },
  bigPdf: {
    purpose: 'verification_doc',
    bytes: bigPdf,
    filename: 'document.pdf',
    type: 'application/pdf',
  },
  bigPhoto: { purpose: 'job_photo', bytes: bigPhoto, filename: 'photo.jpg', type: 'image/jpeg' },
  bomb: { purpose: 'job_photo', bytes: bomb, filename: 'photo.png', type: 'image/png' },
};

/** One request of `kind` (a CASES key, or `baseline`): status, ms, the answer's body. */
async function send(kind) {
  const at = performance.now();
  let response;
  if (kind === 'baseline') {
    response = await fetch(`${app.url}/api/users/me`, { headers: auth });
  } else {
    const file = CASES[kind];
    const form = new FormData();
    form.append('purpose', file.purpose);
    form.append('file', new Blob([file.bytes], { type: file.type }), file.filename);
    response = await fetch(`${app.url}/api/uploads`, { method: 'POST', headers: auth, body: form });
  }
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, ms: performance.now() - at, body };
}

const expected = (kind) => (kind === 'baseline' ? 200 : 201);
const statuses = {};
function tally(kind, result) {
  statuses[kind] ??= {};
  statuses[kind][result.status] = (statuses[kind][result.status] ?? 0) + 1;
}

/** `count` requests of `kind` by `concurrency` senders: rate, CPU and failures. */
async function run(kind, count, concurrency) {
  let next = 0;
  const latencies = [];
  let failures = 0;
  const cpuAt = cpuMs(pid);
  const at = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const result = await send(kind);
        tally(kind, result);
        latencies.push(result.ms);
        if (result.status !== expected(kind)) failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - at) / 1000;
  const bytes = kind === 'baseline' ? 0 : CASES[kind].bytes.length * count;
  return {
    perSecond: count / seconds,
    mbPerSecond: bytes / MIB / seconds,
    cpuMsPerRequest: (cpuMs(pid) - cpuAt) / count,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
  };
}

/** The app's idle RSS: the median of 1 s of samples after 1.5 s without requests. */
async function idleRss() {
  await sleep(1500);
  await sampler.open();
  await sleep(1000);
  return median((await sampler.close()).map(([, rss]) => rss));
}

/** `count` requests of `kind` at once, RSS sampled: idle, peaks, time to the last answer. */
async function burst(kind, count) {
  progress(`burst: ${count} × ${kind}`);
  const idle = await idleRss();
  const peakReset = resetPeak(pid);
  await sampler.open();
  const cpuAt = cpuMs(pid);
  const at = performance.now();
  const results = await Promise.all(Array.from({ length: count }, () => send(kind)));
  const wall = performance.now() - at;
  const cpu = cpuMs(pid) - cpuAt;
  const samples = await sampler.close();
  const hwm = peakReset ? statusBytes(pid, 'VmHWM') : NaN;
  const after = await idleRss();
  for (const result of results) tally(kind, result);
  const sampledPeak = samples.length > 0 ? Math.max(...samples.map(([, rss]) => rss)) : NaN;
  return {
    kind,
    count,
    fileBytes: CASES[kind].bytes.length,
    inFlight: CASES[kind].bytes.length * count,
    idle,
    sampledPeak,
    hwm,
    peak: Math.max(...[hwm, sampledPeak].filter(Number.isFinite)),
    after,
    wall,
    cpu,
    firstAnswer: Math.min(...results.map((r) => r.ms)),
    statuses: results.reduce((all, r) => ({ ...all, [r.status]: (all[r.status] ?? 0) + 1 }), {}),
    answers: results.map((r) => r.body),
    samples: samples.length,
  };
}

const bootIdle = await idleRss();
const bootGc = await afterGc();
const load = [loadavg()[0]];

// warm-up: the code paths, sharp's and the encryption's first calls, connections
for (const kind of ['photo', 'pdf', 'baseline']) {
  for (let i = 0; i < 3; i += 1) {
    const result = await send(kind);
    if (result.status !== expected(kind)) {
      throw new Error(`${kind}: ${result.status} ${JSON.stringify(result.body)}`);
    }
  }
}
const photoAnswer = (await send('photo')).body;
const pdfAnswer = (await send('pdf')).body;

// 1. throughput, rounds with the cases' order rotated
const KINDS = ['photo', 'pdf', 'baseline'];
const rounds = { photo: { 1: [], c: [] }, pdf: { 1: [], c: [] }, baseline: { 1: [], c: [] } };
for (let round = 0; round < ROUNDS; round += 1) {
  for (let k = 0; k < KINDS.length; k += 1) {
    const kind = KINDS[(k + round) % KINDS.length];
    const count = kind === 'baseline' ? UPLOADS * BASELINE_FACTOR : UPLOADS;
    progress(`round ${round + 1}: ${kind}`);
    rounds[kind][1].push(await run(kind, count, 1));
    rounds[kind].c.push(await run(kind, count, CONCURRENCY));
  }
}
const med = (kind, mode, field) => median(rounds[kind][mode].map((r) => r[field]));

// 2. memory
const beforeBursts = await afterGc();
const bursts = [];
for (let i = 0; i < REPEAT; i += 1) {
  bursts.push(await burst('bigPdf', BURST));
  bursts.push(await burst('bigPhoto', BURST));
}
const bombRun = await burst('bomb', 1);
load.push(loadavg()[0]);
const endIdle = await idleRss();
const endGc = await afterGc();

sampler.stop();
await stopServer(app);
rmSync(dataDir, { recursive: true, force: true });

// --- the report ---

const failures = KINDS.flatMap((kind) => [...rounds[kind][1], ...rounds[kind].c]).reduce(
  (sum, r) => sum + r.failures,
  0,
);
const row = (label, kind, mode) => {
  const perSecond = med(kind, mode, 'perSecond');
  const base = med('baseline', mode, 'perSecond');
  const pdfRate = med('pdf', mode, 'perSecond');
  return `| ${label} | ${mode === 1 ? 1 : CONCURRENCY} | ${fmt(perSecond, 1)} | ${kind === 'baseline' ? '—' : fmt(med(kind, mode, 'mbPerSecond'), 1)} | ${fmt(med(kind, mode, 'p50'), 1)} / ${fmt(med(kind, mode, 'p99'), 1)} ms | ${fmt(med(kind, mode, 'cpuMsPerRequest'), 1)} ms | ${kind === 'baseline' ? '—' : fmt(perSecond / base, 4)} | ${kind === 'photo' ? fmt(perSecond / pdfRate, 2) : '—'} |`;
};
const burstLabel = {
  bigPdf: `${BURST} × ${mb(bigPdf.length, 2)} PDF, verification_doc`,
  bigPhoto: `${BURST} × ${mb(bigPhoto.length, 2)} 6000×4000 JPEG, job_photo`,
  bomb: `1 PNG bomb (${fmt(bomb.length)} bytes, 20,000×20,000)`,
};
const burstRow = (b) =>
  `| ${burstLabel[b.kind]} | ${mb(b.inFlight)} | ${mb(b.idle)} | ${mb(b.sampledPeak)} / ${mb(b.hwm)} | **${mb(b.peak - b.idle)}** | ${b.kind === 'bomb' ? '—' : `**${fmt((b.peak - b.idle) / b.inFlight, 2)}**`} | ${fmt(b.wall / 1000, 2)} s | ${fmt(b.cpu)} ms | ${mb(b.after)} | ${JSON.stringify(b.statuses)} |`;

const lines = [
  `### Uploads (issue 17) — ${new Date().toISOString()}`,
  '',
  machineLine({ description: app.engine }),
  `Command: \`npm run build && node bench/uploads.mjs --uploads ${UPLOADS} --concurrency ${CONCURRENCY} --rounds ${ROUNDS} --burst ${BURST} --repeat ${REPEAT}\``,
  `App: bench/servers/app.mjs (NODE_ENV=production, local storage in a temporary DATA_DIR, files fsynced), UPLOAD_MAX_BYTES ${fmt(MAX_BYTES)}, UPLOAD_RATE_LIMIT_PER_USER 1,000,000${ALLOCATOR_ENV.map((name) => `, ${name}=${process.env[name]}`).join('')}; one craftsman sends everything. Files made in ${fmt(madeIn / 1000, 1)} s: photo ${fmt(photo.length)} bytes 3000×2000 (stored as ${fmt(photoAnswer.size)} bytes ${photoAnswer.width}×${photoAnswer.height}), PDF ${fmt(pdf.length)} bytes (stored ${fmt(pdfAnswer.size)} bytes, encrypted). 1-minute load average ${fmt(load[0], 1)} at the start, ${fmt(load[1], 1)} at the end, ${cpus().length} cores.`,
  '',
  `1. Throughput: ${UPLOADS} uploads (baseline ${UPLOADS * BASELINE_FACTOR} requests) one after another, then by ${CONCURRENCY} senders; median of ${ROUNDS} rounds, order rotated; after 3 warm-up requests of each. MB/s = file bytes sent (MiB) per second; CPU = the app process's user+system time per request.`,
  '',
  '| request | senders | per second | MiB/s | p50 / p99 | app CPU per request | ÷ baseline | photo ÷ pdf |',
  '| ------- | ------- | ---------- | ----- | --------- | ------------------- | ---------- | ----------- |',
  row('job_photo JPEG 3000×2000', 'photo', 1),
  row('job_photo JPEG 3000×2000', 'photo', 'c'),
  row('verification_doc PDF 1 MB', 'pdf', 1),
  row('verification_doc PDF 1 MB', 'pdf', 'c'),
  row('GET /api/users/me (baseline)', 'baseline', 1),
  row('GET /api/users/me (baseline)', 'baseline', 'c'),
  '',
  `Answers not as expected during the throughput rounds: ${failures}.`,
  '',
  `2. Memory: the app's Node process, VmRSS sampled every ${SAMPLE_MS} ms (in a worker thread of the bench) and the kernel's peak VmHWM (reset just before each burst); idle = median of 1 s after 1.5 s without requests, just before the burst. The bursts run ${REPEAT} times, PDFs and JPEGs in turn. App RSS at boot (after one registration, before any upload) ${mb(bootIdle)}, and ${mb(bootGc.rss)} after a forced full GC (live heap ${mb(bootGc.heap)}); after the throughput rounds, GC forced: ${mb(beforeBursts.rss)} (heap ${mb(beforeBursts.heap)}); at the end ${mb(endIdle)}, ${mb(endGc.rss)} after a forced GC (heap ${mb(endGc.heap)}).`,
  '',
  '| sent at once | file bytes in flight | idle RSS | peak RSS sampled / VmHWM | peak − idle | (peak − idle) ÷ in flight | last answer after | app CPU | RSS 1.5 s after | answers |',
  '| ------------ | -------------------- | -------- | ------------------------ | ----------- | ------------------------- | ----------------- | ------- | --------------- | ------- |',
  ...bursts.map(burstRow),
  burstRow(bombRun),
  '',
  `PNG bomb answered ${Object.keys(bombRun.statuses).join(', ')} in ${fmt(bombRun.wall, 1)} ms: ${JSON.stringify(bombRun.answers[0]).slice(0, 200)}. First of the ${BURST} PDFs answered after ${fmt(bursts[0].firstAnswer)} ms, first of the JPEGs after ${fmt(bursts[1].firstAnswer)} ms (first time).`,
  '',
];
console.log(lines.join('\n'));
const unexpected = Object.entries(statuses).filter(([kind, byStatus]) =>
  Object.keys(byStatus).some(
    (status) => Number(status) !== (kind === 'bomb' ? 413 : expected(kind)),
  ),
);
if (unexpected.length > 0) {
  console.log(`Unexpected answers: ${JSON.stringify(Object.fromEntries(unexpected))}`);
  for (const b of bursts) {
    const odd = b.answers.find((a) => !a?.id);
    if (odd) console.log(`${b.kind}: ${JSON.stringify(odd).slice(0, 300)}`);
  }
}
