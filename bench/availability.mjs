#!/usr/bin/env node
// Availability under hostile bodies (issue 11, item 1): one client (a worker thread, --connections
// concurrent requests) sends every public route of openapi/openapi.json (the operations without
// `security`, /api/health aside) bodies built to make the server work: ~1 MB of 90,000 unknown
// keys (the reported sign-in), ~1 MB nested 500,000 levels deep, a ~1 MB array, a ~1 MB string,
// each with its length announced and chunked (no length), and the largest objects the routes'
// limits let through; and query strings of thousands of parameters. Meanwhile a second client
// (this thread) asks GET /api/health one request after another. Reports /api/health p50/p99
// idle and under attack (goal: p99 < 50 ms under attack), and what the attack got back.
// The app runs from dist/ in a child process, on loopback. Needs `npm run build`.
//
//   npm run build && node bench/availability.mjs [--seconds 10] [--connections 4]
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { APP_SERVER, startServer, stopServer } from './harness.mjs';
import { appendResult, machineLine, option, percentile } from './results.mjs';

const SECONDS = Number(option('seconds', 10));
const CONNECTIONS = Number(option('connections', 4));
/** The app's BODY_LIMIT_BYTES default: the most any route could be sent. */
const CEILING = 1_048_576;

/** Public operations of the OpenAPI document, as `{method, path}` with path parameters filled. */
function publicOperations() {
  const doc = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'openapi', 'openapi.json'), 'utf8'),
  );
  return Object.entries(doc.paths)
    .filter(([path]) => !path.startsWith('/api/docs') && path !== '/api/health')
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => !operation.security || operation.security.length === 0)
        .map(([method]) => ({
          method: method.toUpperCase(),
          path: path.replace(/\{[^}]+\}/g, 'a'.repeat(40)),
        })),
    );
}

/** The hostile bodies, by name: JSON text, and whether to send it chunked. */
function hostileBodies() {
  const keys = (count) => `{${Array.from({ length: count }, (_, i) => `"k${i}":1`).join(',')}}`;
  const half = Math.floor(CEILING / 2) - 8;
  const bodies = {
    '90,000 unknown keys (~1 MB)': keys(90_000),
    'nested 500,000 deep (~1 MB)': `${'['.repeat(half)}${']'.repeat(half)}`,
    'array of 500,000 items (~1 MB)': `[${'1,'.repeat(half)}1]`,
    'one ~1 MB string': `{"email":"${'a'.repeat(CEILING - 16)}"}`,
    // under the smallest route limit (4 KB): only the key caps stop these
    '400 unknown keys (~3.5 KB)': keys(400),
    '1,500 array items (~3 KB)': `{"email":[${'1,'.repeat(1499)}1]}`,
  };
  // encoded once: the attacker's own work stays small next to the server's
  return Object.entries(bodies).flatMap(([name, text]) => {
    const body = Buffer.from(text);
    return [
      { name, body, chunked: false },
      ...(body.length > 8192 ? [{ name: `${name}, chunked`, body, chunked: true }] : []),
    ];
  });
}

/** GET with thousands of query parameters: the request line just under Node's 16 KB limit. */
function hostileQueries() {
  const params = (count) => Array.from({ length: count }, (_, i) => `k${i}=`).join('&');
  return [
    { name: '1,800 query parameters', query: params(1800) },
    { name: '2,000 repeats of one parameter', query: Array(2000).fill('page=1').join('&') },
  ];
}

// --- the attacking client (worker thread) --------------------------------------------------

function attack({ url, connections }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const operations = publicOperations();
  const requests = [
    ...operations
      .filter((op) => op.method !== 'GET')
      .flatMap((op) => hostileBodies().map((body) => ({ ...op, ...body }))),
    ...operations
      .filter((op) => op.method === 'GET')
      .flatMap((op) =>
        hostileQueries().map((q) => ({ ...op, path: `${op.path}?${q.query}`, name: q.name })),
      ),
  ];
  const stats = { sent: 0, bytes: 0, statuses: {}, resets: 0, byKind: {} };
  let stopping = false;
  let next = 0;
  parentPort.on('message', (message) => {
    if (message === 'stop') stopping = true;
  });

  function send(request) {
    return new Promise((resolve) => {
      const headers = request.body === undefined ? {} : { 'content-type': 'application/json' };
      if (request.body !== undefined && !request.chunked) {
        headers['content-length'] = request.body.length;
      }
      const started = performance.now();
      const call = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.path,
          headers,
          agent,
        },
        (response) => {
          let size = 0;
          response.on('data', (chunk) => (size += chunk.length));
          response.on('end', () =>
            resolve({ status: response.statusCode, size, ms: performance.now() - started }),
          );
          response.on('error', () =>
            resolve({ status: 'reset', size, ms: performance.now() - started }),
          );
        },
      );
      call.on('error', () =>
        resolve({ status: 'reset', size: 0, ms: performance.now() - started }),
      );
      // bounded: a request the server has not answered in 30 s is given up
      call.setTimeout(30_000, () => {
        call.destroy();
        resolve({ status: 'timeout', size: 0, ms: performance.now() - started });
      });
      if (request.body !== undefined) {
        stats.bytes += request.body.length;
        // in pieces, as a network delivers it
        for (let at = 0; at < request.body.length; at += 65_536) {
          call.write(request.body.subarray(at, at + 65_536));
        }
      }
      call.end();
    });
  }

  async function loop() {
    while (!stopping) {
      const request = requests[next++ % requests.length];
      const answer = await send(request);
      stats.sent += 1;
      stats.statuses[answer.status] = (stats.statuses[answer.status] ?? 0) + 1;
      if (answer.status === 'reset') stats.resets += 1;
      const kind = (stats.byKind[request.name] ??= {
        count: 0,
        maxMs: 0,
        maxAnswerBytes: 0,
        statuses: {},
      });
      kind.count += 1;
      kind.maxMs = Math.max(kind.maxMs, answer.ms);
      kind.maxAnswerBytes = Math.max(kind.maxAnswerBytes, answer.size);
      kind.statuses[answer.status] = (kind.statuses[answer.status] ?? 0) + 1;
    }
  }

  void Promise.all(Array.from({ length: connections }, loop)).then(() => {
    agent.destroy();
    parentPort.postMessage({
      stats,
      routes: operations.map((op) => `${op.method} ${op.path.replace(/a{40}/, ':token')}`),
    });
  });
}

if (!isMainThread) {
  attack(workerData);
} else {
  await main();
}

// --- the measuring client (this thread) ----------------------------------------------------

async function healthLatencies(url, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  const failures = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const status = await new Promise((resolve) => {
      http
        .get(`${url}/api/health`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        })
        .on('error', () => resolve('error'));
    });
    latencies.push(performance.now() - started);
    if (status !== 200) failures.push(status);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  agent.destroy();
  return { latencies, failures };
}

/** CPU time the process has used so far, in ms (Linux: /proc/<pid>/stat, user + system). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second)
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function summary({ latencies, failures }) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  return {
    count: latencies.length,
    p50: ms(percentile(latencies, 50)),
    p99: ms(percentile(latencies, 99)),
    p99Value: percentile(latencies, 99),
    max: ms(Math.max(...latencies)),
    failures: failures.length,
  };
}

async function main() {
  const app = await startServer(APP_SERVER);
  await healthLatencies(app.url, 2); // warm-up
  const idleCpu = cpuMs(app.child.pid);
  const idle = summary(await healthLatencies(app.url, SECONDS));
  const idleCpuMs = cpuMs(app.child.pid) - idleCpu;

  const worker = new Worker(new URL(import.meta.url), {
    workerData: { url: app.url, connections: CONNECTIONS },
  });
  const report = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await new Promise((resolve) => setTimeout(resolve, 500)); // the attack under way
  const attackCpu = cpuMs(app.child.pid);
  const attacked = summary(await healthLatencies(app.url, SECONDS));
  worker.postMessage('stop');
  const { stats, routes } = await report;
  // the attack's whole run, its first half second and its last requests included
  const attackCpuMs = cpuMs(app.child.pid) - attackCpu;
  await worker.terminate();
  await stopServer(app);

  const row = (name, s, cpu) =>
    `| ${name} | ${s.count} | ${s.p50} | ${s.p99} | ${s.max} | ${s.failures} | ${(cpu / SECONDS / 10).toFixed(0)} % |`;
  const kinds = Object.entries(stats.byKind).map(
    ([name, k]) =>
      `| ${name} | ${k.count} | ${JSON.stringify(k.statuses)} | ${k.maxMs.toFixed(0)} ms | ${k.maxAnswerBytes} B |`,
  );
  const lines = [
    `### Availability under hostile bodies — ${new Date().toISOString()}`,
    '',
    machineLine({ description: app.engine }),
    `Command: \`npm run build && node bench/availability.mjs --seconds ${SECONDS} --connections ${CONNECTIONS}\``,
    `The app from dist/ in a child process, BODY_LIMIT_BYTES at its default (1 MB), loopback. Attacker: a worker thread, ${CONNECTIONS} requests at a time, in turn over every public route (${routes.join(', ')}) × every hostile body or query below, for ${SECONDS} s; ${stats.sent} requests, ${(stats.bytes / 2 ** 20).toFixed(0)} MB offered. Health: GET /api/health one after another (10 ms apart) from this thread, ${SECONDS} s idle, then ${SECONDS} s under the attack.`,
    '',
    '| /api/health | requests | p50 | p99 | max | not 200 | server CPU (of one core) |',
    '|---|---|---|---|---|---|---|',
    row('idle', idle, idleCpuMs),
    row('under attack', attacked, attackCpuMs),
    '',
    '| hostile request | sent | answers by status ("reset": the connection closed before an answer; "timeout": none in 30 s) | slowest answer | largest answer |',
    '|---|---|---|---|---|',
    ...kinds,
    '',
    `/api/health p99 under attack: **${attacked.p99}** (goal < 50 ms; idle ${idle.p99}). Server CPU per hostile request: ${((attackCpuMs - idleCpuMs) / Math.max(1, stats.sent)).toFixed(1)} ms.`,
    '',
  ];
  console.log(lines.join('\n'));
  if (!process.argv.includes('--no-record')) {
    appendResult(lines.join('\n'));
  }
}
