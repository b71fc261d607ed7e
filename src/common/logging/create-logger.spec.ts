import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, flushLogs } from './create-logger.js';

describe('createLogger', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'logger-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const lines = (file: string) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; level: string });

  it('should write an error line, and every line buffered before it, before error() returns', () => {
    const logger = createLogger({ level: 'info', dir, toStdout: false });

    logger.info('queued first');
    logger.warn('queued second');
    logger.error('the last words');

    // no await: on disk already, as before a crash
    expect(lines('combined.log').map((line) => line.msg)).toEqual([
      'queued first',
      'queued second',
      'the last words',
    ]);
    expect(lines('error.log').map((line) => line.msg)).toEqual(['the last words']);
  });

  it('should have written every line once flushLogs resolves', async () => {
    const logger = createLogger({ level: 'info', dir, toStdout: false });

    for (let n = 0; n < 500; n += 1) {
      logger.info(`line ${n}`);
    }
    await flushLogs(logger);

    // in order, but for the buffer whose write was under way when flushLogs wrote the rest
    expect(
      lines('combined.log')
        .map((line) => line.msg)
        .sort(),
    ).toEqual(Array.from({ length: 500 }, (_, n) => `line ${n}`).sort());
  });

  it('should keep error.log for errors only', async () => {
    const logger = createLogger({ level: 'info', dir, toStdout: false });

    logger.info('fine');
    logger.fatal('gone');
    await flushLogs(logger);

    expect(lines('error.log')).toEqual([expect.objectContaining({ msg: 'gone', level: 'fatal' })]);
  });
});
