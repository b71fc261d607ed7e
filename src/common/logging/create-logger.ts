import { join } from 'node:path';
import pino, { type LogFn, Logger } from 'pino';
import { LoggingConfig } from '../../config/logging.config.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE, restrictToOwner } from '../files/private-files.js';
import { redactValue } from './redact-secrets.js';

/**
 * The process's one logger: JSON lines with an ISO timestamp, to stdout, to
 * `<dir>/combined.log`, and (errors only) to `<dir>/error.log`, both readable by their owner
 * only. Nest's logs and Fastify's request logs both go through it, and through `redactValue`:
 * no token, hash, email address or phone number is written.
 */
export function createLogger(config: LoggingConfig): Logger {
  const dir = ensurePrivateDir(config.dir);
  const level = config.level;
  const file = (name: string) => {
    const dest = join(dir, name);
    // synchronous writes: a line written just before a crash or a signal must not be lost;
    // owner-only, as the lines name users and requests
    const stream = pino.destination({ dest, sync: true, mode: PRIVATE_FILE_MODE });
    restrictToOwner(dest);
    return stream;
  };
  const destinations: pino.StreamEntry[] = [
    { level, stream: file('combined.log') },
    { level: 'error', stream: file('error.log') },
  ];
  if (config.toStdout) {
    destinations.push({ level, stream: pino.destination({ dest: 1, sync: true }) });
  }
  const streams = pino.multistream(destinations, { dedupe: false });
  return pino(
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
}
