import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What the service writes under DATA_DIR and LOG_DIR (the database's files, the generated JWT
 * secret, logs, the mail outbox) holds secrets and personal data: it is readable by its owner
 * only, whatever the process's umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` and its missing parents with mode 0700 and returns its absolute path. A directory
 * that already exists keeps its mode: it may be shared (`/var/log`), and is not ours to change.
 */
export function ensurePrivateDir(dir: string): string {
  const absolute = resolve(dir);
  mkdirSync(absolute, { recursive: true, mode: PRIVATE_DIR_MODE });
  return absolute;
}

/** Restricts a file of ours to its owner, e.g. one an older version created 0644; absent: nothing. */
export function restrictToOwner(path: string): void {
  if (existsSync(path)) {
    chmodSync(path, PRIVATE_FILE_MODE);
  }
}

/**
 * Writes `content` to `path` (mode 0600) unless a file is already there, atomically: the file
 * appears complete or not at all, and of two processes starting at once exactly one writes it.
 * Returns whether this call created it.
 */
export function createFileOnce(path: string, content: string): boolean {
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(draft, content, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * `command args` run through `sh` with umask 077, so that what a child process creates (the
 * database engine's files) is its owner's only; `exec` keeps the child's pid the command's.
 */
export function withPrivateUmask(command: string, args: string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', command, ...args]];
}
