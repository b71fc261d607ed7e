import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  ensurePrivateDir,
  restrictToOwner,
  withPrivateUmask,
} from '../../common/files/private-files.js';
import {
  exitOf,
  forwardLines,
  killOnExit,
  OutputSink,
  stopChild,
  waitForLine,
} from './child-process.js';
import { DatabaseEngine } from './database-engine.js';
import { EngineRun, EngineSupervisor, RestartPolicy } from './engine-supervisor.js';
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
  /** Default: `warn`. */
  error?: OutputSink;
  /** Default: a free port. A restart on the same port lets connected clients reconnect. */
  port?: number;
  /** When the supervisor gives up on the engine (EngineSupervisor). Default: it stays down. */
  onGiveUp?: (reason: string) => void;
  restartPolicy?: Partial<RestartPolicy>;
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
 * file under the data directory so that a restart keeps the data (every write is in the file
 * before it is answered: tools/mongo-engine/DurableH2Backend.java).
 *
 * Supervised (EngineSupervisor): when the Java process dies, a new one starts on the same port
 * and the app's driver reconnects by itself. Not in memory: a new engine would be empty (no
 * users, no seeded catalog, none of the indexes Mongoose built at boot, unique ones included),
 * and serving that as if nothing happened would be worse than failing, so the supervisor gives
 * up at the first crash and the app's restart seeds and indexes a fresh database.
 */
export async function startEmbeddedEngine(options: EmbeddedEngineOptions): Promise<DatabaseEngine> {
  await ensureEmbeddedEngineBuilt(options.log);
  const file = options.storage === 'file' ? h2File(options.dataDir) : '-';
  const backend = options.storage === 'file' ? 'h2' : 'memory';
  const supervisor = new EngineSupervisor({
    name: 'embedded MongoDB engine',
    start: (port) => runEmbeddedEngine({ backend, file, port, warn: options.warn }),
    restartable: options.storage === 'file',
    log: options.log,
    warn: options.warn,
    error: options.error ?? options.warn,
    onGiveUp: options.onGiveUp ?? (() => undefined),
    policy: options.restartPolicy,
  });
  const first = await supervisor.start(options.port ?? 0);
  return {
    kind: 'embedded',
    get pid() {
      return supervisor.pid;
    },
    uri: `mongodb://${HOST}:${first.port}`,
    description:
      `embedded mongo-java-server 1.47.0 (${backend}${file === '-' ? '' : ` file ${file}`}) on ${HOST}:${first.port}, ` +
      `pid ${first.pid}; it enforces unique indexes and builds the others in memory (tools/mongo-engine/README.md)`,
    isDown: () => supervisor.state !== 'up',
    stop: () => supervisor.stop(),
  };
}

interface EmbeddedRunOptions {
  backend: 'h2' | 'memory';
  /** The H2 file, or `-`. */
  file: string;
  port: number;
  warn: OutputSink;
}

/** One Java process of the engine; resolves once it listens. */
async function runEmbeddedEngine(options: EmbeddedRunOptions): Promise<EngineRun> {
  const classpath = [join(ENGINE_DIR, 'classes'), join(ENGINE_DIR, 'lib', '*')].join(':');
  // umask 077: the H2 file (and anything else the engine writes) is its owner's only
  const [command, args] = withPrivateUmask('java', [
    '-XX:+UseSerialGC',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    // quiet about each index it opens (the stock engine also warned there that it ignores
    // non-unique ones; our launcher builds them: tools/mongo-engine/README.md)
    '-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.backend.AbstractMongoDatabase=error',
    // it logs each command it refuses in full (the emails, phones and hashes in it) with a stack
    // trace; the app receives the same error through the driver and logs what it needs of it
    '-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoWireProtocolHandler=off',
    '-cp',
    classpath,
    'EmbeddedMongo',
    options.backend,
    options.file,
    HOST,
    String(options.port),
  ]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = exitOf(child);
  const stderrTail: string[] = [];
  forwardLines(child.stderr, (line) => {
    stderrTail.push(line);
    stderrTail.splice(0, Math.max(0, stderrTail.length - STDERR_TAIL));
    options.warn(`[embedded-mongo] ${line}`);
  });
  void exited.then(killOnExit(child));
  try {
    const [, portText] = await waitForLine(child, /^LISTENING (\d+)$/, READY_TIMEOUT_MS, () =>
      stderrTail.length
        ? `its last words: ${stderrTail.join(' | ')}`
        : 'it printed nothing on stderr',
    );
    return { pid: child.pid!, port: Number(portText), exited, stop: () => stopChild(child) };
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the embedded MongoDB engine did not start: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The H2 file under DATA_DIR (0700 when created here); one an older version left 0644 is made 0600. */
function h2File(dataDir: string): string {
  const file = join(ensurePrivateDir(dataDir), 'embedded-mongo.mv');
  restrictToOwner(file);
  return file;
}
