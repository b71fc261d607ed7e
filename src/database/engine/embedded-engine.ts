import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { forwardLines, killOnExit, OutputSink, stopChild, waitForLine } from './child-process.js';
import { DatabaseEngine } from './database-engine.js';
import { ENGINE_DIR, ENGINE_SETUP_SCRIPT } from './project-paths.js';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STDERR_TAIL = 20;

export interface EmbeddedEngineOptions {
  storage: 'file' | 'memory';
  /** Where the H2 file goes when `storage` is `file`. */
  dataDir: string;
  log: OutputSink;
  warn: OutputSink;
  /** Default: a free port. A restart on the same port lets connected clients reconnect. */
  port?: number;
}

/** Fetches and compiles the engine on first use (tools/mongo-engine/setup.mjs), then never again. */
export async function ensureEmbeddedEngineBuilt(log: OutputSink): Promise<void> {
  const child = spawn(process.execPath, [ENGINE_SETUP_SCRIPT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  forwardLines(child.stdout, log);
  forwardLines(child.stderr, log);
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0) {
    throw new Error(
      `the embedded MongoDB engine could not be set up (exit code ${code}); see the lines above, or set MONGODB_URI`,
    );
  }
}

/**
 * mongo-java-server (DESIGN.md) in a Java child process: in memory, or on its H2 backend in a
 * file under the data directory so that a restart keeps the data.
 */
export async function startEmbeddedEngine(options: EmbeddedEngineOptions): Promise<DatabaseEngine> {
  await ensureEmbeddedEngineBuilt(options.log);
  const file = options.storage === 'file' ? h2File(options.dataDir) : '-';
  const backend = options.storage === 'file' ? 'h2' : 'memory';
  const classpath = [join(ENGINE_DIR, 'classes'), join(ENGINE_DIR, 'lib', '*')].join(':');
  const child = spawn(
    'java',
    [
      '-XX:+UseSerialGC',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      // quiet about each index it opens (the stock engine also warned there that it ignores
      // non-unique ones; our launcher builds them: tools/mongo-engine/README.md)
      '-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.backend.AbstractMongoDatabase=error',
      '-cp',
      classpath,
      'EmbeddedMongo',
      backend,
      file,
      HOST,
      String(options.port ?? 0),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stderrTail: string[] = [];
  forwardLines(child.stderr, (line) => {
    stderrTail.push(line);
    stderrTail.splice(0, Math.max(0, stderrTail.length - STDERR_TAIL));
    options.warn(`[embedded-mongo] ${line}`);
  });
  const removeExitHook = killOnExit(child);
  let port: number;
  try {
    const [, portText] = await waitForLine(child, /^LISTENING (\d+)$/, READY_TIMEOUT_MS, () =>
      stderrTail.length
        ? `its last words: ${stderrTail.join(' | ')}`
        : 'it printed nothing on stderr',
    );
    port = Number(portText);
  } catch (error) {
    child.kill('SIGKILL');
    removeExitHook();
    throw new Error(`the embedded MongoDB engine did not start: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    kind: 'embedded',
    pid: child.pid,
    uri: `mongodb://${HOST}:${port}`,
    description:
      `embedded mongo-java-server 1.47.0 (${backend}${file === '-' ? '' : ` file ${file}`}) on ${HOST}:${port}, ` +
      `pid ${child.pid}; it enforces unique indexes and builds the others in memory (tools/mongo-engine/README.md)`,
    stop: async () => {
      removeExitHook();
      await stopChild(child);
    },
  };
}

function h2File(dataDir: string): string {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  return join(dir, 'embedded-mongo.mv');
}
