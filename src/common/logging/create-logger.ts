import { openSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type LogFn, Logger } from 'pino';
import { LoggingConfig } from '../../config/logging.config.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE, restrictToOwner } from '../files/private-files.js';
import { redactValue } from './redact-secrets.js';

/** A file or stdout destination (SonicBoom, as pino.destination makes them). */
type SonicBoom = ReturnType<typeof pino.destination>;

/** What an asynchronous destination gathers before it writes (bytes). */
const BUFFER_BYTES = 4096;

/** The longest a line waits in a destination's buffer (ms). */
const FLUSH_EVERY_MS = 1000;

/** The level from which a line is written synchronously (pino's `error`). */
const SYNC_FROM_LEVEL = 50;

/** pino's multistream tells a stream marked so the level of the line it writes (`lastLevel`). */
const PINO_METADATA = Symbol.for('pino.metadata');

/** The asynchronous destinations of each logger, for `flushLogs`. */
const asyncDestinations = new WeakMap<Logger, SonicBoom[]>();

/**
 * A buffered asynchronous destination (lines gather up to BUFFER_BYTES, then go out in one write
 * the request does not wait for; none waits more than FLUSH_EVERY_MS) that writes an error or
 * fatal line, and whatever was buffered before it, synchronously: a line logged just before a
 * crash is on disk. (A buffer whose asynchronous write is under way at that moment is written
 * too, possibly just after the error line.)
 */
function flushingOnErrors(destination: SonicBoom): pino.DestinationStream {
  const stream = {
    [PINO_METADATA]: true,
    lastLevel: 0,
    write(line: string): void {
      destination.write(line);
      if (stream.lastLevel >= SYNC_FROM_LEVEL) {
        destination.flushSync();
      }
    },
    flushSync: () => destination.flushSync(),
  };
  return stream;
}

/**
 * Waits until every line logged so far is written (tests read the files): what is buffered is
 * written at once, then the write under way, if any, is waited for.
 */
export async function flushLogs(logger: Logger): Promise<void> {
  await Promise.all(
    (asyncDestinations.get(logger) ?? []).map((destination) => {
      destination.flushSync();
      return new Promise<void>((resolve) => destination.flush(() => resolve()));
    }),
  );
}

/**
 * The process's one logger: JSON lines with an ISO timestamp, to stdout, to
 * `<dir>/combined.log`, and (errors only) to `<dir>/error.log`, both readable by their owner
 * only. Nest's logs and Fastify's request logs both go through it, and through `redactValue`:
 * no token, hash, email address or phone number is written.
 *
 * Writes are buffered and asynchronous (a request never waits for the disk), except error and
 * fatal lines, which are written synchronously with everything buffered before them, and
 * `error.log`, which is synchronous. What is buffered at exit is written then (pino flushes the
 * destinations it makes on exit).
 */
export function createLogger(config: LoggingConfig): Logger {
  const dir = ensurePrivateDir(config.dir);
  const level = config.level;
  const pending: SonicBoom[] = [];
  const file = (name: string, sync: boolean) => {
    const path = join(dir, name);
    // opened here, synchronously: an asynchronous destination is then ready for a synchronous
    // error line from its first one; owner-only, as the lines name users and requests
    const fd = openSync(path, 'a', PRIVATE_FILE_MODE);
    restrictToOwner(path);
    return sync
      ? pino.destination({ dest: fd, sync })
      : pino.destination({
          dest: fd,
          sync,
          minLength: BUFFER_BYTES,
          periodicFlush: FLUSH_EVERY_MS,
        });
  };
  const queued = (destination: SonicBoom) => {
    pending.push(destination);
    return flushingOnErrors(destination);
  };
  const destinations: pino.StreamEntry[] = [
    { level, stream: queued(file('combined.log', false)) },
    { level: 'error', stream: file('error.log', true) },
  ];
  if (config.toStdout) {
    destinations.push({
      level,
      stream: queued(
        pino.destination({
          dest: 1,
          sync: false,
          minLength: BUFFER_BYTES,
          periodicFlush: FLUSH_EVERY_MS,
        }),
      ),
    });
  }
  const streams = pino.multistream(destinations, { dedupe: false });
  const logger = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { pid: process.pid },
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
        censor: '[redacted]',
      },
      // the last line of defence: whatever an error message or a library's line carries
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => redactValue(arg)) as Parameters<LogFn>);
        },
      },
      serializers: {
        err: (error: Error) => redactValue(pino.stdSerializers.err(error)),
      },
    },
    streams,
  );
  asyncDestinations.set(logger, pending);
  return logger;
}
