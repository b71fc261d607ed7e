#!/usr/bin/env node
// HTTP load from this process (autocannon) against servers in child processes, on loopback:
//  1. framework overhead: GET /api/auth/session (authenticated, reads nothing but the token's
//     checks) ÷ a raw Fastify hello-world — goal ≥ 0.6;
//  2. invite-send throughput (POST /api/jobs/:id/invite, a new craftsman each request) ÷ the
//     no-op route — goal ≥ 0.2; and its p99 with notification fan-out on ÷ off — goal ≤ 1.3.
// Needs `npm run build`. Uses MONGODB_URI when set, else each app its embedded engine.
//
//   npm run build && node bench/http.mjs [--seconds 10] [--connections 20]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { appendResult, option } from './results.mjs';

const SECONDS = Number(option('seconds', 10));
const CONNECTIONS = Number(option('connections', 20));
const CRAFTSMEN = 60_000;

function startServer(script, env = {}) {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^LISTENING (\d+)(?: (\S+) (.*))?$/.exec(line);
      if (match) {
        resolve({
          child,
          url: `http://127.0.0.1:${match[1]}`,
          mongoUri: match[2],
          engine: match[3],
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function stop(server) {
  return new Promise((resolve) => {
    server.child.once('exit', resolve);
    server.child.kill('SIGTERM');
  });
}

async function load(options) {
  // a short warm-up, then the measured run
  await autocannon({ ...options, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: SECONDS });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${options.url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function call(base, method, path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

/** A client with a job, and CRAFTSMEN craftsmen inserted directly, on the app's database. */
async function seed(server) {
  const client = await call(server.url, 'POST', '/api/auth/register', {
    email: `client-${Date.now()}@bench.example.com`,
    password: 'bench-password-1',
    role: 'client',
    firstName: 'Bench',
    lastName: 'Client',
  });
  const job = await call(
    server.url,
    'POST',
    '/api/jobs',
    { title: 'Leaking pipe', description: 'The kitchen pipe leaks all day.', category: 'Plumbing' },
    client.accessToken,
  );
  const connection = await mongoose
    .createConnection(server.mongoUri, { dbName: 'craftsmen' })
    .asPromise();
  const ids = [];
  for (let offset = 0; offset < CRAFTSMEN; offset += 5000) {
    const docs = [];
    for (let i = offset; i < offset + 5000; i += 1) {
      const _id = new mongoose.Types.ObjectId();
      ids.push(_id.toHexString());
      docs.push({
        _id,
        email: `c${i}-${_id}@bench.example.com`,
        phoneKey: `none:${_id}`,
        passwordHash: 'x',
        role: 'craftsman',
        firstName: 'C',
        lastName: 'B',
        firstNameKey: 'c',
        lastNameKey: 'b',
        rating: 0,
        ratingCount: 0,
        bannedAt: null,
        tokensValidAfter: null,
        craftsmanInfo: {
          skills: ['Plumbing'],
          available: true,
          serviceRadiusKm: 10,
          verificationStatus: 'verified',
          stats: {},
        },
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    }
    await connection.collection('users').insertMany(docs, { ordered: false });
  }
  await connection.close();
  return { token: client.accessToken, jobId: job.id, craftsmen: ids };
}

function inviteLoad(server, fixtures) {
  let next = 0;
  return load({
    url: server.url,
    requests: [
      {
        method: 'POST',
        path: `/api/jobs/${fixtures.jobId}/invite`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fixtures.token}` },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ craftsmanId: fixtures.craftsmen[next++] }),
        }),
      },
    ],
  });
}

const fastify = await startServer(new URL('./servers/fastify-hello.mjs', import.meta.url).pathname);
const raw = await load({ url: `${fastify.url}/hello` });
await stop(fastify);

const app = await startServer(new URL('./servers/app.mjs', import.meta.url).pathname);
const fixtures = await seed(app);
const noop = await load({
  url: `${app.url}/api/auth/session`,
  headers: { authorization: `Bearer ${fixtures.token}` },
});
const inviteOn = await inviteLoad(app, fixtures);
await stop(app);

const quiet = await startServer(new URL('./servers/app.mjs', import.meta.url).pathname, {
  NOTIFICATIONS_ENABLED: 'false',
});
const quietFixtures = await seed(quiet);
const inviteOff = await inviteLoad(quiet, quietFixtures);
await stop(quiet);

const row = (name, r) =>
  `| ${name} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} ms | ${r.p99} ms |`;
const lines = [
  `### HTTP under load — ${new Date().toISOString()}`,
  `Machine: 2 cores; load: autocannon in a separate process, ${CONNECTIONS} connections, ${SECONDS} s after a 2 s warm-up, loopback; engine: ${app.engine}`,
  `Command: \`npm run build && node bench/http.mjs --seconds ${SECONDS} --connections ${CONNECTIONS}\``,
  '',
  '| route | requests/s | p50 | p99 |',
  '|---|---|---|---|',
  row('raw Fastify GET /hello', raw),
  row('GET /api/auth/session (authenticated no-op)', noop),
  row('POST /api/jobs/:id/invite, notifications on', inviteOn),
  row('POST /api/jobs/:id/invite, notifications off', inviteOff),
  '',
  `1. Framework overhead, no-op ÷ raw Fastify: **${(noop.rps / raw.rps).toFixed(2)}** (goal ≥ 0.6).`,
  `2. Invite throughput ÷ no-op: **${(inviteOn.rps / noop.rps).toFixed(2)}** (goal ≥ 0.2); invite p99 with fan-out on ÷ off: **${(inviteOn.p99 / Math.max(1, inviteOff.p99)).toFixed(2)}** (goal ≤ 1.3).`,
  '',
];
console.log(lines.join('\n'));
appendResult(lines.join('\n'));
