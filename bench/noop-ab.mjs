#!/usr/bin/env node
// A/B of the authenticated no-op (GET /api/auth/session) between two builds of the app, both
// running at once, loaded in turns (A, B, A, B, …) so that the machine's noise falls on both.
//
//   node bench/noop-ab.mjs --a <dir with dist/> --b <dir with dist/> [--rounds 4] [--seconds 5]
import autocannon from 'autocannon';
import { join } from 'node:path';
import { seedInviteFixtures, startServer, stopServer } from './harness.mjs';
import { option } from './results.mjs';

const ROUNDS = Number(option('rounds', 4));
const SECONDS = Number(option('seconds', 5));
const dirs = { a: option('a', '.'), b: option('b', '.') };

const servers = {};
const tokens = {};
for (const [name, dir] of Object.entries(dirs)) {
  servers[name] = await startServer(join(dir, 'bench/servers/app.mjs'));
  tokens[name] = (await seedInviteFixtures(servers[name], 1)).token;
}
const rps = { a: [], b: [] };
for (let round = 0; round < ROUNDS; round += 1) {
  for (const name of round % 2 === 0 ? ['a', 'b'] : ['b', 'a']) {
    const result = await autocannon({
      url: `${servers[name].url}/api/auth/session`,
      headers: { authorization: `Bearer ${tokens[name]}` },
      connections: 20,
      duration: SECONDS,
    });
    rps[name].push(result.requests.average);
  }
}
await Promise.all(Object.values(servers).map(stopServer));
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
console.log(JSON.stringify({ a: dirs.a, b: dirs.b, rps }));
console.log(
  `median requests/s A ${median(rps.a)}, B ${median(rps.b)}; B ÷ A ${(median(rps.b) / median(rps.a)).toFixed(2)}`,
);
