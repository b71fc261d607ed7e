import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AppProcess,
  type CompiledApp,
  compileApp,
  startAppProcess,
} from '../support/app-process.js';

/** Kills per scenario: each lands at a random moment of the load. */
const ROUNDS = 3;
/** Clients posting jobs at the same time, each on its own connection. */
const WRITERS = 4;
/** What `npm start` does with a database driver that waits this long: nothing fast. */
const SERVER_SELECTION_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Writer {
  bearer: string;
}

/** A job the app answered 201 for, and the client who may read it. */
interface Acknowledged {
  id: string;
  bearer: string;
  /** performance.now() when the answer arrived */
  at: number;
}

/** What the writers saw during one round. */
interface Load {
  acknowledged: Acknowledged[];
  /** Statuses of the answers that were not 201, with how long each took (ms). */
  refusals: Array<{ status: number; ms: number }>;
}

/**
 * Issue 12: the app on the embedded engine's H2 file storage (what `npm start` runs), under
 * concurrent writes, killed at a random moment: the whole process group (app and engine), or
 * the engine alone. Every job the app answered 201 for must be there afterwards. Stock
 * mongo-java-server commits its H2 file about once a second in the background, so a kill lost
 * the writes of the last second; and a dead engine was never started again.
 */
describe('The embedded engine killed under concurrent writes (H2 storage)', () => {
  let workDir: string;
  let dataDir: string;
  let compiled: CompiledApp | undefined;
  const apps: AppProcess[] = [];
  const jwtSecret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'engine-crash-'));
    dataDir = join(workDir, 'data');
    compiled = await compileApp();
  }, 300_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.killGroup()));
    compiled?.remove();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function startApp(): Promise<AppProcess> {
    const app = await startAppProcess(compiled!, {
      processGroup: true,
      logDir: join(workDir, `logs-${apps.length}`),
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        LOG_TO_STDOUT: 'false',
        MONGODB_URI: '',
        EMBEDDED_MONGO_STORAGE: 'file',
        DATA_DIR: dataDir,
        MONGODB_SERVER_SELECTION_TIMEOUT_MS: String(SERVER_SELECTION_TIMEOUT_MS),
        // the same across restarts: a token issued before a kill is checked after it
        JWT_SECRET: jwtSecret,
        INVITATION_SWEEP_CRON: '0 0 0 1 1 *',
        // every round signs writers up from this one address
        REGISTER_RATE_LIMIT_PER_IP: '10000',
      },
    });
    apps.push(app);
    await app.waitUntilReady(120_000);
    return app;
  }

  async function registerWriters(app: AppProcess): Promise<Writer[]> {
    return Promise.all(
      Array.from({ length: WRITERS }, async (_, n) => {
        const response = await fetch(`${app.baseUrl}/api/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: `writer-${n}-${randomBytes(4).toString('hex')}@example.com`,
            password: 'correct-horse-1',
            role: 'client',
            firstName: 'Writer',
            lastName: `Number${n}`,
          }),
        });
        expect(response.status).toBe(201);
        const body = (await response.json()) as { accessToken: string };
        return { bearer: `Bearer ${body.accessToken}` };
      }),
    );
  }

  /**
   * Every writer posts jobs one after the other until `stopped()`; a request the app never
   * answered (it was killed) ends that writer. Resolves with what they saw.
   */
  function startLoad(app: AppProcess, writers: Writer[], stopped: () => boolean) {
    const load: Load = { acknowledged: [], refusals: [] };
    let firstAck: () => void;
    const acknowledgedOnce = new Promise<void>((resolve) => (firstAck = resolve));
    const done = Promise.all(
      writers.map(async (writer, n) => {
        for (let i = 0; !stopped(); i += 1) {
          const started = performance.now();
          try {
            const response = await fetch(`${app.baseUrl}/api/jobs`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: writer.bearer },
              body: JSON.stringify({
                title: `Leaking pipe ${n}-${i}`,
                description: 'Water drips under the kitchen sink all day long.',
                category: 'Plumbing',
              }),
            });
            const body = (await response.json()) as { id?: string };
            if (response.status === 201) {
              load.acknowledged.push({
                id: body.id!,
                bearer: writer.bearer,
                at: performance.now(),
              });
              firstAck();
            } else {
              load.refusals.push({ status: response.status, ms: performance.now() - started });
              // the engine is down: try again shortly, without spinning the machine's cores
              await sleep(100);
            }
          } catch {
            return;
          }
        }
      }),
    ).then(() => load);
    return { acknowledgedOnce, done };
  }

  /** The acknowledged jobs the app does not find (GET /api/jobs/:id is not 200). */
  async function missing(app: AppProcess, acknowledged: Acknowledged[]): Promise<string[]> {
    const lost: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 20) {
      await Promise.all(
        acknowledged.slice(i, i + 20).map(async ({ id, bearer }) => {
          const response = await fetch(`${app.baseUrl}/api/jobs/${id}`, {
            headers: { authorization: bearer },
          }).catch((error: unknown) => {
            throw new Error(`the app did not answer (${String(error)}):\n${app.output()}`);
          });
          if (response.status !== 200) {
            lost.push(`${id} (${response.status})`);
          }
        }),
      );
    }
    return lost;
  }

  /** Polls GET /api/health until its `db` is `want`; answers whether it got there in time. */
  async function waitForDb(app: AppProcess, want: 'up' | 'down', timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const body = await fetch(`${app.baseUrl}/api/health`)
        .then((response) => response.json() as Promise<{ db?: string }>)
        .catch(() => ({ db: undefined }));
      if (body.db === want) {
        return true;
      }
      await sleep(100);
    }
    return false;
  }

  it('should keep every acknowledged job when the whole process group is killed', async () => {
    let app = await startApp();
    const lost: string[][] = [];
    const counts: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const writers = await registerWriters(app);
      const { acknowledgedOnce, done } = startLoad(app, writers, () => false);
      await acknowledgedOnce;
      // a random moment of the load
      await sleep(300 + Math.random() * 900);
      const enginePid = engineOf(app);
      await app.killGroup();
      const load = await done;
      // the new engine opens the same file: the old one must have let go of it
      expect(await gone(enginePid, 30_000)).toBe(true);

      app = await startApp();
      counts.push(load.acknowledged.length);
      lost.push(await missing(app, load.acknowledged));
    }
    await app.stop();

    expect(counts.every((count) => count > 0)).toBe(true);
    expect({ acknowledged: counts, lost }).toEqual({
      acknowledged: counts,
      lost: counts.map(() => []),
    });
  }, 300_000);

  it('should start a killed engine again by itself, and lose no acknowledged job', async () => {
    const app = await startApp();
    const lost: string[][] = [];
    const counts: number[] = [];
    const healed: boolean[] = [];
    const wentDown: boolean[] = [];
    const slowRefusals: number[] = [];
    const acknowledgedAfterwards: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const writers = await registerWriters(app);
      let stopped = false;
      const { acknowledgedOnce, done } = startLoad(app, writers, () => stopped);
      await acknowledgedOnce;
      await sleep(300 + Math.random() * 900);
      const enginePid = engineOf(app);
      process.kill(enginePid, 'SIGKILL');
      wentDown.push(await waitForDb(app, 'down', 10_000));

      // up again, the app untouched: the same process answers
      healed.push(await waitForDb(app, 'up', 30_000));
      const healedAt = performance.now();
      await sleep(1000);
      stopped = true;
      const load = await done;

      counts.push(load.acknowledged.length);
      lost.push(await missing(app, load.acknowledged));
      // while the engine was down, refusals came at once, not after the driver's 30 s wait
      slowRefusals.push(
        load.refusals.filter((refusal) => refusal.ms >= SERVER_SELECTION_TIMEOUT_MS / 2).length,
      );
      expect(engineOf(app)).not.toBe(enginePid);
      acknowledgedAfterwards.push(load.acknowledged.filter((job) => job.at > healedAt).length);
    }
    expect(app.isRunning()).toBe(true);
    await app.stop();

    expect(wentDown).toEqual(counts.map(() => true));
    expect(healed).toEqual(counts.map(() => true));
    expect(acknowledgedAfterwards.every((count) => count > 0)).toBe(true);
    expect(slowRefusals).toEqual(counts.map(() => 0));
    expect({ acknowledged: counts, lost }).toEqual({
      acknowledged: counts,
      lost: counts.map(() => []),
    });
  }, 300_000);
});

/** Polls until no process has this pid; answers whether that happened in time. */
async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() > deadline) {
      return false;
    }
    await sleep(50);
  }
}

/** The pid of the app's engine: its child running EmbeddedMongo. */
function engineOf(app: AppProcess): number {
  const pids = execFileSync('pgrep', ['-P', String(app.pid), '-f', 'EmbeddedMongo'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean)
    .map(Number);
  if (pids.length !== 1) {
    throw new Error(`expected one engine process under ${app.pid}, found ${pids.join(', ')}`);
  }
  return pids[0];
}
