#!/usr/bin/env node
// HTTP load from this process (autocannon) against servers in child processes, on loopback:
//  1. framework overhead: GET /api/auth/session (authenticated, reads nothing but the token's
//     checks) ÷ a raw Fastify hello-world — goal ≥ 0.6;
//  2. invite-send throughput (POST /api/jobs/:id/invite, a new craftsman each request) ÷ the
//     no-op route — goal ≥ 0.2; and its p99 with notification fan-out on ÷ off — goal ≤ 1.3.
// Needs `npm run build`. Uses MONGODB_URI when set, else each app its embedded engine.
//
//   npm run build && node bench/http.mjs [--seconds 10] [--connections 20]
import autocannon from 'autocannon';
import {
  APP_SERVER,
  FASTIFY_SERVER,
  seedInviteFixtures,
  startServer,
  stopServer,
} from './harness.mjs';
import { appendResult, option } from './results.mjs';

const SECONDS = Number(option('seconds', 10));
const CONNECTIONS = Number(option('connections', 20));
const CRAFTSMEN = 60_000;

async function load(options) {
  // a short warm-up, then the measured run
  await autocannon({ ...options, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: SECONDS });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${options.url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
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

const fastify = await startServer(FASTIFY_SERVER);
const raw = await load({ url: `${fastify.url}/hello` });
await stopServer(fastify);

const app = await startServer(APP_SERVER);
const fixtures = await seedInviteFixtures(app, CRAFTSMEN);
const noop = await load({
  url: `${app.url}/api/auth/session`,
  headers: { authorization: `Bearer ${fixtures.token}` },
});
const inviteOn = await inviteLoad(app, fixtures);
await stopServer(app);

const quiet = await startServer(APP_SERVER, { env: { NOTIFICATIONS_ENABLED: 'false' } });
const quietFixtures = await seedInviteFixtures(quiet, CRAFTSMEN);
const inviteOff = await inviteLoad(quiet, quietFixtures);
await stopServer(quiet);

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
