import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  forwardLines,
  freePort,
  killOnExit,
  stopChild,
} from '../../src/database/engine/child-process.js';
import { mongo } from 'mongoose';
import type { DatabaseEngine } from '../../src/database/engine/database-engine.js';
import { startEmbeddedEngine } from '../../src/database/engine/embedded-engine.js';
import { PROJECT_ROOT } from '../../src/database/engine/project-paths.js';

const HOST = '127.0.0.1';
const OUTPUT_TAIL = 40;

/** The app compiled to JavaScript in a directory of its own, runnable by a plain `node`. */
export interface CompiledApp {
  dir: string;
  /** Done with it (the shared compilation stays for the other test files). */
  remove(): void;
}

/**
 * Compiles src/ with the project's TypeScript (tsconfig.build.json) into a temporary directory,
 * once per version of the sources: the test files that run the app as a process share it
 * (`remove` leaves it to them; a newer version's compilation deletes the older ones).
 *
 * Not `npm run build`: that rewrites the checkout's dist/ (deleting it first), which `npm start`
 * and the benchmarks of whoever else works in this checkout use. A plain `tsc` emit takes about
 * as long (~20 s on a shared 2-core machine) and leaves the checkout alone; it runs without the
 * Swagger CLI plugin, which only enriches the OpenAPI document. It emits even when the type
 * check complains (exit code 2), as `nest build` would not: the type check is
 * `npm run typecheck`'s job, this only needs runnable code.
 *
 * The directory gets a `package.json` (ES modules) and links to the checkout's node_modules and
 * tools/, so that `node <dir>/dist/main.js` resolves its packages and builds or finds the
 * embedded engine (in the checkout's .engine/: setup.mjs resolves the link) as `npm start` does.
 */
export async function compileApp(): Promise<CompiledApp> {
  // one compilation per version of the sources, shared by the test files that run the app as a
  // process (each would otherwise spend ~20-40 s on the same emit)
  const cached = join(tmpdir(), `${CACHE_PREFIX}${sourcesHash()}`);
  if (existsSync(join(cached, 'clock-shifted-main.mjs'))) {
    return { dir: cached, remove: () => undefined };
  }
  const fresh = await compileInto(mkdtempSync(join(tmpdir(), 'craftsmen-build-')));
  try {
    renameSync(fresh, cached);
  } catch {
    // another test file finished the same compilation first: use its copy
    rmSync(fresh, { recursive: true, force: true });
    return { dir: cached, remove: () => undefined };
  }
  // older versions' compilations are of no use any more
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith(CACHE_PREFIX) && join(tmpdir(), name) !== cached) {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
  return { dir: cached, remove: () => undefined };
}

const CACHE_PREFIX = 'craftsmen-build-cache-';

/** A hash of what the compilation reads of the checkout: src/ and the TypeScript settings. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else {
        hash.update(path).update(readFileSync(path));
      }
    }
  };
  walk(join(PROJECT_ROOT, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) {
    hash.update(file).update(readFileSync(join(PROJECT_ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Compiles into `dir` and makes it runnable; `dir` is removed if that fails. */
async function compileInto(dir: string): Promise<string> {
  try {
    const tsc = spawn(
      process.execPath,
      [
        join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        join(PROJECT_ROOT, 'tsconfig.build.json'),
        '--outDir',
        join(dir, 'dist'),
        '--tsBuildInfoFile',
        join(dir, 'build.tsbuildinfo'),
      ],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output: string[] = [];
    forwardLines(tsc.stdout, (line) => output.push(line));
    forwardLines(tsc.stderr, (line) => output.push(line));
    const code = await new Promise<number | null>((resolve, reject) => {
      tsc.once('error', reject);
      tsc.once('exit', resolve);
    });
    if ((code !== 0 && code !== 2) || !existsSync(join(dir, 'dist', 'main.js'))) {
      throw new Error(`tsc failed (exit code ${code}):\n${output.slice(-OUTPUT_TAIL).join('\n')}`);
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // the embedded engine, which the app finds next to dist/ (src/database/engine/project-paths.ts)
    symlinkSync(join(PROJECT_ROOT, 'tools'), join(dir, 'tools'), 'dir');
    symlinkSync(join(PROJECT_ROOT, '.engine'), join(dir, '.engine'), 'dir');
    // written last: its presence marks a complete compilation
    writeFileSync(join(dir, 'clock-shifted-main.mjs'), CLOCK_SHIFTED_MAIN);
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * What dist/main.js does, with the one thing a test may hand in (AppOptions.clock): a clock
 * CLOCK_OFFSET_MS ahead of the system's, as the in-process tests move theirs.
 */
const CLOCK_SHIFTED_MAIN = `// written by test/support/app-process.ts
import { createApp } from './dist/bootstrap.js';

const offsetMs = Number(process.env.CLOCK_OFFSET_MS ?? 0);
const clock = { now: () => new Date(Date.now() + offsetMs) };
const { app, config, logger } = await createApp(process.env, { clock });
await app.listen({ port: config.app.port, host: config.app.host });
process.once('exit', () => logger.flush());
`;

export interface AppProcessOptions {
  /** The whole environment of the child, over a bare PATH/HOME (PORT and HOST are added). */
  env: Record<string, string>;
  /** Where its combined.log and error.log go (created). */
  logDir: string;
  /** Runs the app on a clock this far ahead of the system's; 0 or unset: dist/main.js itself. */
  clockOffsetMs?: number;
  /**
   * Runs the app as the leader of a process group of its own, which the children it starts
   * (the embedded engine) join: `killGroup()` then kills them all at once.
   */
  processGroup?: boolean;
}

/** The app running in a Node process of its own. */
export interface AppProcess {
  readonly pid: number;
  readonly baseUrl: string;
  /** Resolves once GET /api/health answers 200; rejects if the process dies first. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** True until the process has exited. */
  isRunning(): boolean;
  /** SIGKILL: no shutdown hook, no flush, no goodbye. Resolves once the process is gone. */
  kill(): Promise<void>;
  /**
   * SIGKILL to the whole process group (needs `processGroup`): `kill -9` of the app and its
   * engine at once. Resolves once the app's process is gone.
   */
  killGroup(): Promise<void>;
  /** SIGTERM (the app's graceful shutdown), SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** The last lines it wrote on stdout and stderr, for failure messages. */
  output(): string;
}

export async function startAppProcess(
  app: CompiledApp,
  options: AppProcessOptions,
): Promise<AppProcess> {
  const port = await freePort(HOST);
  mkdirSync(options.logDir, { recursive: true });
  const entry = options.clockOffsetMs
    ? join(app.dir, 'clock-shifted-main.mjs')
    : join(app.dir, 'dist', 'main.js');
  const child = spawn(process.execPath, [entry], {
    cwd: app.dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...options.env,
      PORT: String(port),
      HOST,
      LOG_DIR: options.logDir,
      CLOCK_OFFSET_MS: String(options.clockOffsetMs ?? 0),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    tail.splice(0, Math.max(0, tail.length - OUTPUT_TAIL));
  };
  forwardLines(child.stdout, keep);
  forwardLines(child.stderr, keep);
  const removeExitHook = killOnExit(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(removeExitHook);
  const baseUrl = `http://${HOST}:${port}`;
  const output = () => tail.join('\n');
  return {
    pid: child.pid!,
    baseUrl,
    isRunning: () => isRunning(child),
    waitUntilReady: (timeoutMs = 90_000) => waitForHealth(baseUrl, child, timeoutMs, output),
    kill: async () => {
      if (isRunning(child)) {
        child.kill('SIGKILL');
      }
      await exited;
    },
    killGroup: async () => {
      if (!options.processGroup) {
        throw new Error('killGroup() needs a process started with processGroup: true');
      }
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
      await exited;
    },
    stop: () => stopChild(child),
    output,
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(child)) {
      throw new Error(
        `the app exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${output()}`,
      );
    }
    const status = await fetch(`${baseUrl}/api/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer /api/health within ${timeoutMs} ms:\n${output()}`);
}

/**
 * A database the app processes a test kills don't take with them: a database of MONGODB_URI's
 * when one is given, else of an engine the test starts itself (in memory). `uri` is what the
 * processes get as MONGODB_URI; `db` is the test's own connection to read what they wrote.
 */
export interface OutlivingDatabase {
  uri: string;
  db: mongo.Db;
  /** Drops the database, disconnects and stops the test's engine. */
  close(): Promise<void>;
}

export async function openOutlivingDatabase(databaseName: string): Promise<OutlivingDatabase> {
  const quiet = () => undefined;
  const engine: DatabaseEngine | undefined = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedEngine({ storage: 'memory', dataDir: '', log: quiet, warn: quiet });
  const uri = process.env.MONGODB_URI ?? engine!.uri;
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(databaseName);
  return {
    uri,
    db,
    close: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
      await engine?.stop();
    },
  };
}
