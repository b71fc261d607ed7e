import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, withPrivateUmask } from '../../common/files/private-files.js';
import {
  exitOf,
  forwardLines,
  freePort,
  killOnExit,
  OutputSink,
  stopChild,
  waitForPort,
} from './child-process.js';
import { DatabaseEngine } from './database-engine.js';
import { EngineRun, EngineSupervisor, RestartPolicy } from './engine-supervisor.js';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;

export interface MongodEngineOptions {
  mongodPath: string;
  /** `file`: data under `<dataDir>/mongod`; `memory`: a temporary directory removed on stop. */
  storage: 'file' | 'memory';
  dataDir: string;
  log: OutputSink;
  warn?: OutputSink;
  error?: OutputSink;
  /** When the supervisor gives up on it (EngineSupervisor). Default: it stays down. */
  onGiveUp?: (reason: string) => void;
  restartPolicy?: Partial<RestartPolicy>;
}

/**
 * A `mongod` found on PATH, on a free port, bound to loopback. Supervised (EngineSupervisor):
 * a mongod that dies is started again on the same port and data directory (its journal
 * recovers what it acknowledged), the temporary one of `memory` storage included, since that
 * is removed only on stop.
 */
export async function startMongodEngine(options: MongodEngineOptions): Promise<DatabaseEngine> {
  const temporary = options.storage === 'memory';
  // mkdtemp creates 0700 directories; umask 077 keeps what mongod writes its owner's only
  const dbPath = temporary
    ? mkdtempSync(join(tmpdir(), 'craftsmen-mongod-'))
    : ensurePrivateDir(join(options.dataDir, 'mongod'));
  const cleanUp = () => {
    if (temporary) {
      rmSync(dbPath, { recursive: true, force: true });
    }
  };
  const warn = options.warn ?? options.log;
  const supervisor = new EngineSupervisor({
    name: `mongod (${options.mongodPath})`,
    start: async (port) =>
      runMongod({ ...options, dbPath, port: port === 0 ? await freePort(HOST) : port }),
    restartable: true,
    log: options.log,
    warn,
    error: options.error ?? warn,
    onGiveUp: options.onGiveUp ?? (() => undefined),
    policy: options.restartPolicy,
  });
  let first: EngineRun;
  try {
    first = await supervisor.start();
  } catch (error) {
    cleanUp();
    throw error;
  }
  return {
    kind: 'mongod',
    get pid() {
      return supervisor.pid;
    },
    uri: `mongodb://${HOST}:${first.port}`,
    description: `mongod ${options.mongodPath} on ${HOST}:${first.port} (data ${temporary ? 'temporary' : dbPath}), pid ${first.pid}`,
    isDown: () => supervisor.state !== 'up',
    stop: async () => {
      await supervisor.stop();
      cleanUp();
    },
  };
}

/** One mongod process; resolves once it accepts connections. */
async function runMongod(
  options: MongodEngineOptions & { dbPath: string; port: number },
): Promise<EngineRun> {
  const [command, args] = withPrivateUmask(options.mongodPath, [
    '--dbpath',
    options.dbPath,
    '--port',
    String(options.port),
    '--bind_ip',
    HOST,
    '--quiet',
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = exitOf(child);
  forwardLines(child.stderr, (line) => options.log(`[mongod] ${line}`));
  child.stdout?.resume();
  void exited.then(killOnExit(child));
  try {
    await waitForPort(HOST, options.port, READY_TIMEOUT_MS, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`mongod (${options.mongodPath}) did not start: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { pid: child.pid!, port: options.port, exited, stop: () => stopChild(child) };
}
