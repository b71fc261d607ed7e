import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Types } from 'mongoose';
import type { DatabaseEngine } from '../../src/database/engine/database-engine.js';
import { startEmbeddedEngine } from '../../src/database/engine/embedded-engine.js';
import { newClient, type Session } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const quiet = () => undefined;

interface Outcome {
  status: number;
  ms: number;
  jobId?: string;
  code?: string;
}

describe('The database engine dies under load', () => {
  let dataDir: string;
  let engine: DatabaseEngine;
  let port: number;
  let t: TestApp;
  let client: Session;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fault-engine-'));
    // on its file storage: what it acknowledged survives the restart, as on a real MongoDB
    engine = await startEmbeddedEngine({ storage: 'file', dataDir, log: quiet, warn: quiet });
    port = Number(new URL(engine.uri).port);
    t = await createTestApp({
      env: { MONGODB_URI: engine.uri, MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1500' },
    });
    client = await newClient(t);
  });

  afterAll(async () => {
    await t.close();
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should fail fast with 503, say so at /health, recover by itself, and lose nothing it accepted', async () => {
    const outcomes: Outcome[] = [];
    let running = true;
    const worker = async () => {
      while (running) {
        const started = performance.now();
        const response = await t.http.post('/api/jobs').set('Authorization', client.bearer).send({
          title: 'Leaking pipe',
          description: 'Water everywhere in the kitchen.',
          category: 'Plumbing',
        });
        outcomes.push({
          status: response.status,
          ms: performance.now() - started,
          jobId: response.status === 201 ? response.body.id : undefined,
          code: response.body?.code,
        });
      }
    };
    const load = Promise.all([worker(), worker(), worker()]);
    await new Promise((resolve) => setTimeout(resolve, 800));

    await engine.stop();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const healthStarted = performance.now();
    const down = await t.http.get('/api/health');
    const healthMs = performance.now() - healthStarted;

    engine = await startEmbeddedEngine({ storage: 'file', dataDir, log: quiet, warn: quiet, port });
    const deadline = Date.now() + 20_000;
    let up = await t.http.get('/api/health');
    while (up.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      up = await t.http.get('/api/health');
    }
    await new Promise((resolve) => setTimeout(resolve, 800));
    running = false;
    await load;

    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'error', db: 'down' });
    expect(healthMs).toBeLessThan(3000);
    expect(up.status).toBe(200);
    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    expect([...statuses].sort()).toEqual([201, 503]);
    expect(
      outcomes
        .filter((outcome) => outcome.status === 503)
        .every((outcome) => outcome.code === 'SERVICE_UNAVAILABLE'),
    ).toBe(true);
    expect(Math.max(...outcomes.map((outcome) => outcome.ms))).toBeLessThan(5000);
    // accepted after the recovery too
    expect(outcomes.at(-1)?.status).toBe(201);
    const accepted = outcomes.flatMap((outcome) =>
      outcome.jobId ? [new Types.ObjectId(outcome.jobId)] : [],
    );
    expect(await t.connection.collection('jobs').countDocuments({ _id: { $in: accepted } })).toBe(
      accepted.length,
    );
  });
});
