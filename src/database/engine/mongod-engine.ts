import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, withPrivateUmask } from '../../common/files/private-files.js';
import {
  forwardLines,
  freePort,
  killOnExit,
  OutputSink,
  stopChild,
  waitForPort,
} from './child-process.js';
import { DatabaseEngine } from './database-engine.js';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;

export interface MongodEngineOptions {
  mongodPath: string;
  /** `file`: data under `<dataDir>/mongod`; `memory`: a temporary directory removed on stop. */
  storage: 'file' | 'memory';
  dataDir: string;
  log: OutputSink;
}

/** A `mongod` found on PATH, on a free port, bound to loopback. */
export async function startMongodEngine(options: MongodEngineOptions): Promise<DatabaseEngine> {
  const temporary = options.storage === 'memory';
  // mkdtemp creates 0700 directories; umask 077 keeps what mongod writes its owner's only
  const dbPath = temporary
    ? mkdtempSync(join(tmpdir(), 'craftsmen-mongod-'))
    : ensurePrivateDir(join(options.dataDir, 'mongod'));
  const port = await freePort(HOST);
  const [command, args] = withPrivateUmask(options.mongodPath, [
    '--dbpath',
    dbPath,
    '--port',
    String(port),
    '--bind_ip',
    HOST,
    '--quiet',
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  forwardLines(child.stderr, (line) => options.log(`[mongod] ${line}`));
  child.stdout?.resume();
  const removeExitHook = killOnExit(child);
  const cleanUp = () => {
    if (temporary) {
      rmSync(dbPath, { recursive: true, force: true });
    }
  };
  try {
    await waitForPort(HOST, port, READY_TIMEOUT_MS, child);
  } catch (error) {
    child.kill('SIGKILL');
    removeExitHook();
    cleanUp();
    throw new Error(`mongod (${options.mongodPath}) did not start: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    kind: 'mongod',
    pid: child.pid,
    uri: `mongodb://${HOST}:${port}`,
    description: `mongod ${options.mongodPath} on ${HOST}:${port} (data ${temporary ? 'temporary' : dbPath}), pid ${child.pid}`,
    stop: async () => {
      removeExitHook();
      await stopChild(child);
      cleanUp();
    },
  };
}
