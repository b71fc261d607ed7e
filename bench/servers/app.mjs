// The app as `npm start` runs it (dist/), on a database of the caller's choosing, for the load
// benchmarks: prints `LISTENING <port> <mongodb uri>` once it serves.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../dist/bootstrap.js';
import { DATABASE_ENGINE } from '../../dist/database/engine/database-engine.js';
import { benchEnv } from '../harness.mjs';

const { app } = await createApp(
  benchEnv(process.env.LOG_DIR ?? mkdtempSync(join(tmpdir(), 'bench-app-logs-')), {
    NODE_ENV: 'production',
    // production refuses a secret written in the source; each server signs its own fixtures
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    // production refuses to start without a key for private files, too
    DATA_ENCRYPTION_KEY:
      process.env.DATA_ENCRYPTION_KEY ?? `bench:${randomBytes(32).toString('base64')}`,
  }),
);
await app.listen({ port: 0, host: '127.0.0.1' });
const engine = app.get(DATABASE_ENGINE);
console.log(`LISTENING ${app.getHttpServer().address().port} ${engine.uri} ${engine.description}`);
if (process.env.BENCH_HEAP_REPORT && globalThis.gc) {
  // bench/soak.mjs: the live heap, after a full collection, on request
  process.on('SIGUSR2', () => {
    globalThis.gc();
    console.log(`HEAP ${process.memoryUsage().heapUsed}`);
  });
}
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
