#!/usr/bin/env node
// Socket.IO fan-out: N craftsmen each hold one socket; a client invites M = min(N, 500) of them
// one after another, and each invitation's `invitation.created` is timed from just before the
// HTTP request until the invited craftsman's socket receives it (HTTP included). Also the HTTP
// response time, and memory per socket. One run does N = 100 and N = 2000 and reports the
// p99(2000)/p99(100) ratio. Needs `npm run build`.
//
//   npm run build && node bench/socket-fanout.mjs [--sizes 100,2000] [--invites 500] [--concurrency 1]
//
// The server and the N clients share this process (and its event loop): memory per socket is
// server + client, and the clients' work is part of the latency. Uses MONGODB_URI when set,
// else the embedded engine in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getConnectionToken } from '@nestjs/mongoose';
import { io } from 'socket.io-client';
import { createApp } from '../dist/bootstrap.js';
import { DATABASE_ENGINE } from '../dist/database/engine/database-engine.js';
import { benchEnv } from './harness.mjs';
import { appendResult, machineLine, option, percentile } from './results.mjs';

const EVENT_TIMEOUT_MS = 10_000;
const HTTP_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 20_000;
const REGISTER_CONCURRENCY = 20;
const CONNECT_CONCURRENCY = 50;
const PASSWORD = 'bench-password-1';
const WARM_UP = 20;

const sizes = option('sizes', '100,2000')
  .split(',')
  .map((size) => Number(size.trim()));
const maxInvites = Number(option('invites', '500'));
const inviteConcurrency = Number(option('concurrency', '1'));
if (
  sizes.some((size) => !Number.isInteger(size) || size < 1) ||
  !(maxInvites >= 1) ||
  !(inviteConcurrency >= 1)
) {
  console.error(
    'usage: node bench/socket-fanout.mjs [--sizes 100,2000] [--invites 500] [--concurrency 1]',
  );
  process.exit(2);
}
const commandArgs = process.argv.slice(2).join(' ');
const command = `npm run build && node bench/socket-fanout.mjs${commandArgs ? ` ${commandArgs}` : ''}`;

// a full collection before each memory reading, so the readings are less noisy
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

/** Runs `work(item, index)` over `items`, at most `limit` at a time; rejects on the first failure. */
async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const ms = (value) => (Number.isFinite(value) ? value.toFixed(1) : '–');

async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
}

class SetupError extends Error {}

const logDir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
let app;
let connection;
const sockets = new Set();

async function cleanup() {
  for (const socket of sockets) socket.close();
  sockets.clear();
  if (connection?.readyState === 1) {
    await connection
      .dropDatabase()
      .catch((error) => console.error(`dropping the database: ${error.message}`));
  }
  if (app) await app.close().catch((error) => console.error(`closing the app: ${error.message}`));
  rmSync(logDir, { recursive: true, force: true });
}

try {
  ({ app } = await createApp(
    benchEnv(logDir, { NODE_ENV: 'test', MONGODB_DB_NAME: `bench_fanout_${Date.now()}` }),
  ));
  await app.listen({ port: 0, host: '127.0.0.1' });
  connection = app.get(getConnectionToken());
  const engine = app.get(DATABASE_ENGINE);
  const address = app.getHttpServer().address();
  if (!address || typeof address !== 'object') throw new SetupError('the app is not listening');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const runId = Date.now().toString(36);

  async function api(method, path, body, token) {
    const response = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, body: json };
  }

  async function register(role, label) {
    const { status, body } = await api('POST', '/auth/register', {
      email: `bench-${runId}-${label}@example.com`,
      password: PASSWORD,
      role,
      firstName: 'Bench',
      lastName: label,
    });
    if (status !== 201 || !body?.accessToken || !body?.user?.id) {
      throw new SetupError(`registering ${label}: ${status} ${JSON.stringify(body)}`);
    }
    return { id: body.user.id, token: body.accessToken };
  }

  /** One socket for a craftsman; its `invitation.created` and `notification` events are timestamped. */
  function connect(craftsman) {
    const socket = io(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: craftsman.token },
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
    });
    sockets.add(socket);
    const probe = { socket, invitations: [], notifications: [], waiter: null, disconnected: null };
    socket.on('invitation.created', (invitation) => {
      const at = performance.now();
      probe.invitations.push({ id: invitation?.id, at });
      probe.waiter?.(invitation?.id, at);
    });
    socket.on('notification', (notification) => {
      probe.notifications.push({
        invitationId: notification?.data?.invitationId,
        at: performance.now(),
      });
    });
    socket.on('disconnect', (reason) => {
      probe.disconnected ??= reason;
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(probe));
      socket.once('connect_error', (error) =>
        reject(new SetupError(`socket of ${craftsman.id}: ${error.message}`)),
      );
    });
  }

  /** Resolves with the arrival time of the socket's first `invitation.created`, or null after the timeout. */
  function nextInvitation(probe, t0) {
    if (probe.invitations.length > 0) {
      const { id, at } = probe.invitations[0];
      return Promise.resolve({ id, at });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          probe.waiter = null;
          resolve(null);
        },
        Math.max(0, t0 + EVENT_TIMEOUT_MS - performance.now()),
      );
      probe.waiter = (id, at) => {
        clearTimeout(timer);
        probe.waiter = null;
        resolve({ id, at });
      };
    });
  }

  const largest = Math.max(...sizes);
  const client = await register('client', 'client');
  const craftsmen = [];
  const registerStarted = performance.now();
  async function ensureCraftsmen(count) {
    const start = craftsmen.length;
    if (count <= start) return;
    const labels = Array.from({ length: count - start }, (_, i) => `craftsman-${start + i}`);
    let done = 0;
    const added = await pool(labels, REGISTER_CONCURRENCY, async (label) => {
      const craftsman = await register('craftsman', label);
      done += 1;
      if (done % 500 === 0)
        process.stderr.write(`  registered ${start + done}/${count} craftsmen\n`);
      return craftsman;
    });
    craftsmen.push(...added);
  }

  async function measure(size, label = `N = ${size}`) {
    console.error(`${label}: registering craftsmen (${REGISTER_CONCURRENCY} at a time)…`);
    const t = performance.now();
    await ensureCraftsmen(size);
    const registerMs = performance.now() - t;
    const job = await api(
      'POST',
      '/jobs',
      {
        title: `Fan-out ${size}`,
        description: `Socket fan-out benchmark with ${size} sockets`,
        category: 'Plumbing',
      },
      client.token,
    );
    if (job.status !== 201 || !job.body?.id)
      throw new SetupError(`creating the job: ${job.status} ${JSON.stringify(job.body)}`);
    const jobId = job.body.id;

    const group = craftsmen.slice(0, size);
    console.error(`${label}: connecting ${size} sockets (${CONNECT_CONCURRENCY} at a time)…`);
    await settle();
    const before = process.memoryUsage();
    const connectStarted = performance.now();
    const probes = await pool(group, CONNECT_CONCURRENCY, (craftsman) => connect(craftsman));
    const connectMs = performance.now() - connectStarted;
    await settle();
    const after = process.memoryUsage();
    const rssPerSocketKb = (after.rss - before.rss) / size / 1024;
    const heapPerSocketKb = (after.heapUsed - before.heapUsed) / size / 1024;

    const count = Math.min(size, maxInvites);
    console.error(`${label}: sending ${count} invitations (${inviteConcurrency} at a time)…`);
    const samples = await pool(
      group.slice(0, count),
      inviteConcurrency,
      async (craftsman, index) => {
        const probe = probes[index];
        const t0 = performance.now();
        const event = nextInvitation(probe, t0);
        let response;
        try {
          response = await api(
            'POST',
            `/jobs/${jobId}/invite`,
            { craftsmanId: craftsman.id },
            client.token,
          );
        } catch (error) {
          response = { status: 0, body: String(error) };
        }
        const tHttp = performance.now();
        const received = await event;
        const sample = { httpMs: tHttp - t0, status: response.status };
        if (response.status !== 201) {
          sample.error = `${response.status} ${JSON.stringify(response.body)}`.slice(0, 200);
          return sample;
        }
        if (!received) {
          sample.lost = true;
          return sample;
        }
        sample.latencyMs = received.at - t0;
        sample.eventBeforeResponse = received.at <= tHttp;
        sample.wrongId = received.id !== response.body?.id;
        const note = probe.notifications.find((n) => n.invitationId === response.body?.id);
        if (note) sample.notificationMs = note.at - t0;
        return sample;
      },
    );
    // late or stray events: give them a moment, then count what every socket received
    await new Promise((resolve) => setTimeout(resolve, 500));
    const invitedCount = count;
    let duplicates = 0;
    let strays = 0;
    probes.forEach((probe, index) => {
      const got = probe.invitations.length;
      if (index < invitedCount) duplicates += Math.max(0, got - 1);
      else strays += got;
    });
    const disconnected = probes.filter((probe) => probe.disconnected !== null).length;
    for (const probe of probes) {
      probe.socket.close();
      sockets.delete(probe.socket);
    }

    const ok = samples.filter((s) => s.latencyMs !== undefined);
    const latencies = ok.map((s) => s.latencyMs);
    const http = samples.filter((s) => s.status === 201).map((s) => s.httpMs);
    const notes = ok.filter((s) => s.notificationMs !== undefined).map((s) => s.notificationMs);
    const errors = samples.filter((s) => s.error);
    if (errors.length > 0)
      console.error(`${label}: ${errors.length} invitation(s) failed, first: ${errors[0].error}`);
    return {
      size,
      sent: count,
      delivered: ok.length,
      lost: samples.filter((s) => s.lost).length,
      httpErrors: errors.length,
      wrongId: ok.filter((s) => s.wrongId).length,
      duplicates,
      strays,
      disconnected,
      beforeResponse: ok.filter((s) => s.eventBeforeResponse).length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.length ? Math.max(...latencies) : NaN,
      httpP50: percentile(http, 50),
      httpP99: percentile(http, 99),
      noteP50: percentile(notes, 50),
      noteP99: percentile(notes, 99),
      rssPerSocketKb,
      heapPerSocketKb,
      registerMs,
      connectMs,
    };
  }

  // JIT, connection pools and the engine's caches warm up on a throw-away round first
  const warmUp = await measure(Math.min(WARM_UP, largest), 'warm-up');
  if (warmUp.delivered === 0)
    throw new SetupError('warm-up: no invitation.created event reached a socket');
  const results = [];
  for (const size of sizes) {
    results.push(await measure(size));
  }
  console.error(
    `(registered ${largest} craftsmen in ${((performance.now() - registerStarted) / 1000).toFixed(0)} s overall)`,
  );

  const lines = [
    `### Socket.IO fan-out of invitation.created — ${new Date().toISOString()}`,
    machineLine(engine),
    `Command: \`${command}\``,
    '',
    `One socket per craftsman; the client invites min(N, ${maxInvites}) of them, ${inviteConcurrency === 1 ? 'one after another' : `${inviteConcurrency} at a time`}, each a different craftsman, after a warm-up round of ${Math.min(WARM_UP, largest)} (not counted). ` +
      "Event latency: just before the HTTP request → the invited craftsman's socket receives `invitation.created` (HTTP included). " +
      `Server and clients share one process and event loop, so memory per socket is server + client ((rss after connecting − rss before) / N) and the clients' work is in the latency. rss moves by several MB on its own, so at small N its figure is noise; heap is steadier. An event not received within ${EVENT_TIMEOUT_MS / 1000} s counts as lost.`,
    '',
    '| sockets | invitations sent | event p50 | event p99 | event max | HTTP p50 | HTTP p99 | lost | memory per socket (rss / heap) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.size.toLocaleString('en')} | ${r.sent} | ${ms(r.p50)} ms | ${ms(r.p99)} ms | ${ms(r.max)} ms | ${ms(r.httpP50)} ms | ${ms(r.httpP99)} ms | ${r.lost} | ${r.rssPerSocketKb.toFixed(0)} KB / ${r.heapPerSocketKb.toFixed(0)} KB |`,
    ),
    '',
    ...results.map(
      (r) =>
        `- N = ${r.size.toLocaleString('en')}: ${r.delivered}/${r.sent} delivered, ${r.beforeResponse} of them before the HTTP response arrived; ` +
        `\`notification\` p50/p99 ${ms(r.noteP50)}/${ms(r.noteP99)} ms; HTTP errors ${r.httpErrors}, wrong invitation id ${r.wrongId}, ` +
        `duplicates ${r.duplicates}, events on sockets not invited ${r.strays}, sockets dropped ${r.disconnected}; ` +
        `${r.size} sockets connected in ${(r.connectMs / 1000).toFixed(1)} s.`,
    ),
    '',
  ];
  const small = results.find((r) => r.size === 100) ?? results[0];
  const large = results.find((r) => r.size === 2000) ?? results[results.length - 1];
  if (results.length > 1 && small !== large) {
    lines.push(
      `Ratio p99(${large.size.toLocaleString('en')})/p99(${small.size.toLocaleString('en')}): **${(large.p99 / small.p99).toFixed(2)}** (1 = no cost per connected socket). ` +
        `Target: p99 < 250 ms at 2,000 sockets (seed SLA < 5 s)${large.size === 2000 ? ` — ${large.p99 < 250 && large.lost === 0 ? 'met' : 'NOT met'}` : ''}.`,
      '',
    );
  } else {
    lines.push('Target: p99 < 250 ms at 2,000 sockets (seed SLA < 5 s).', '');
  }
  console.log(lines.join('\n'));
  appendResult(lines.join('\n'));
  await cleanup();
} catch (error) {
  console.error(error instanceof SetupError ? `setup failed: ${error.message}` : error);
  await cleanup().catch(() => undefined);
  process.exit(1);
}
