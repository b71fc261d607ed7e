#!/usr/bin/env node
// A soak (not in CI): the app under a mixed load for --minutes at --share of the throughput it
// reached on the same mix flat out, measured first in the same run. Reports every non-2xx answer
// by status (goal: zero 5xx) and the server's heap after a forced GC at the start and at the end
// of the soak (goal: flat).
// Needs `npm run build`. Uses MONGODB_URI when set, else the app's embedded engine.
//
//   npm run build && node bench/soak.mjs [--minutes 5] [--share 0.7] [--connections 20]
import autocannon from 'autocannon';
import { APP_SERVER, seedInviteFixtures, startServer, stopServer } from './harness.mjs';
import { appendResult, machineLine, option } from './results.mjs';

const MINUTES = Number(option('minutes', 5));
const SHARE = Number(option('share', 0.7));
const CONNECTIONS = Number(option('connections', 20));
const MAX_SECONDS = 15;

// the server prints `HEAP <bytes>` after a forced GC when sent SIGUSR2 (BENCH_HEAP_REPORT)
const heapReports = [];
const app = await startServer(APP_SERVER, {
  env: { BENCH_HEAP_REPORT: '1' },
  nodeArgs: ['--expose-gc'],
  onLine: (line) => {
    const match = /^HEAP (\d+)$/.exec(line);
    if (match) heapReports.shift()?.(Number(match[1]));
  },
});
function heapUsed() {
  return new Promise((resolve) => {
    heapReports.push(resolve);
    app.child.kill('SIGUSR2');
  });
}

// invites need a new craftsman each: enough for the whole soak at the flat-out invite rate
const fixtures = await seedInviteFixtures(app, 150_000);
let nextCraftsman = 0;
const auth = { authorization: `Bearer ${fixtures.token}` };
// what a client's app does: look at its session, browse jobs, invite, read its sent invitations
const mix = [
  { method: 'GET', path: '/api/auth/session', headers: auth },
  { method: 'GET', path: '/api/jobs?limit=10', headers: auth },
  {
    method: 'POST',
    path: `/api/jobs/${fixtures.jobId}/invite`,
    headers: { ...auth, 'content-type': 'application/json' },
    setupRequest: (request) => ({
      ...request,
      body: JSON.stringify({ craftsmanId: fixtures.craftsmen[nextCraftsman++] }),
    }),
  },
  { method: 'GET', path: '/api/invitations/sent?limit=20', headers: auth },
];

function run(options) {
  return autocannon({ url: app.url, requests: mix, connections: CONNECTIONS, ...options });
}

function statusesOf(result) {
  return Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]),
  );
}

await run({ duration: 3 }); // warm-up
const flatOut = await run({ duration: MAX_SECONDS });
const rate = Math.max(1, Math.floor(flatOut.requests.average * SHARE));
const heapStart = await heapUsed();
const soak = await run({ duration: MINUTES * 60, overallRate: rate });
const heapEnd = await heapUsed();
await stopServer(app);

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const soakStatuses = statusesOf(soak);
const fiveHundreds = Object.entries(soakStatuses)
  .filter(([status]) => status.startsWith('5'))
  .reduce((sum, [, count]) => sum + count, 0);
const lines = [
  `### Soak: ${MINUTES} min at ${Math.round(SHARE * 100)} % of flat-out — ${new Date().toISOString()}`,
  '',
  machineLine({ description: app.engine }),
  `Command: \`npm run build && node bench/soak.mjs --minutes ${MINUTES} --share ${SHARE} --connections ${CONNECTIONS}\``,
  `Mix, in turn on each of ${CONNECTIONS} connections: GET /api/auth/session, GET /api/jobs?limit=10, POST /api/jobs/:id/invite (a new craftsman each), GET /api/invitations/sent?limit=20. Flat out (${MAX_SECONDS} s after a 3 s warm-up): ${Math.round(flatOut.requests.average)} requests/s, p99 ${flatOut.latency.p99} ms. Soak at ${rate} requests/s for ${MINUTES} min.`,
  '',
  '| | requests | requests/s | p50 | p99 | answers by status | errors / timeouts |',
  '|---|---|---|---|---|---|---|',
  `| flat out | ${flatOut.requests.total} | ${Math.round(flatOut.requests.average)} | ${flatOut.latency.p50} ms | ${flatOut.latency.p99} ms | ${JSON.stringify(statusesOf(flatOut))} | ${flatOut.errors} / ${flatOut.timeouts} |`,
  `| soak | ${soak.requests.total} | ${Math.round(soak.requests.average)} | ${soak.latency.p50} ms | ${soak.latency.p99} ms | ${JSON.stringify(soakStatuses)} | ${soak.errors} / ${soak.timeouts} |`,
  '',
  `5xx during the soak: **${fiveHundreds}** (goal 0). Server heap after a forced GC: ${mb(heapStart)} at the start, ${mb(heapEnd)} at the end: **${(heapEnd / heapStart).toFixed(2)}×** (goal: flat).`,
  '',
];
console.log(lines.join('\n'));
appendResult(lines.join('\n'));
