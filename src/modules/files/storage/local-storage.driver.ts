import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StorageDriverName } from '../../../config/files.env.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../../common/files/private-files.js';
import {
  type StorageDriver,
  StorageObjectNotFound,
  type StoragePutOptions,
  StorageVisibility,
} from './storage-driver.js';

/** Where the app serves public objects of the local driver (`GET /api/files/public/...`). */
export const LOCAL_PUBLIC_URL_PREFIX = '/api/files/';

const KEY_CHARACTERS = /^[A-Za-z0-9_./-]+$/;

/**
 * Throws unless `key` is a relative path of `[A-Za-z0-9_./-]` characters whose segments are
 * neither empty nor `.`/`..` (so `public/job_photo/<id>.webp` passes and `../x`, `/etc/x`,
 * `a//b`, `a\b` do not): a key must never name a file outside the driver's directory.
 *
 * @throws Error naming the refused key
 */
export function assertLocalStorageKey(key: string): void {
  const segments = key.split('/');
  const refused =
    !KEY_CHARACTERS.test(key) ||
    key.includes('..') ||
    isAbsolute(key) ||
    segments.some((segment) => segment === '' || segment === '.');
  if (refused) {
    throw new Error(`Refused storage key ${JSON.stringify(key)}: not a plain relative path`);
  }
}

/**
 * Files on local disk under one directory (`FilesConfig.localDir`, i.e. `<DATA_DIR>/uploads`),
 * at `<directory>/<key>`. Directories are created 0700 and files 0600 (they include verification
 * documents); a write goes to a temporary file, is flushed, then renamed over the key, so a
 * reader sees the old object or the new one, never half of one, and a crash leaves at worst a
 * `*.tmp` file beside it. Public objects are served by the app under `/api/files/<key>`.
 */
export class LocalStorageDriver implements StorageDriver {
  readonly name = StorageDriverName.Local;
  private readonly directory: string;

  /** @param options.directory where objects are kept; created (0700) at the first `put` */
  constructor(options: { directory: string }) {
    this.directory = resolve(options.directory);
  }

  /** @throws Error for a refused key (see `assertLocalStorageKey`) or a failed write */
  async put(key: string, body: Buffer, _options: StoragePutOptions): Promise<void> {
    const path = this.pathOf(key);
    const folder = ensurePrivateDir(dirname(path));
    const draft = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(draft, 'wx', PRIVATE_FILE_MODE);
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(draft, path);
    } catch (error) {
      await unlink(draft).catch(() => undefined);
      throw error;
    }
    await syncDirectory(folder);
  }

  /** @throws StorageObjectNotFound; Error for a refused key */
  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) {
        throw new StorageObjectNotFound(key);
      }
      throw error;
    }
  }

  /** @throws Error for a refused key */
  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) {
        throw error;
      }
    }
  }

  /** `/api/files/<key>` for a public object (the app serves it), null for a private one. */
  publicUrl(key: string, visibility: StorageVisibility): string | null {
    assertLocalStorageKey(key);
    return visibility === StorageVisibility.Public ? `${LOCAL_PUBLIC_URL_PREFIX}${key}` : null;
  }

  private pathOf(key: string): string {
    assertLocalStorageKey(key);
    const path = join(this.directory, key);
    // belt and braces: the key check already keeps every path inside the directory
    const inside = relative(this.directory, path);
    if (inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new Error(`Refused storage key ${JSON.stringify(key)}: outside the storage directory`);
    }
    return path;
  }
}

/** ENOENT, or a key naming a directory (or a path through a file): no such object. */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

/** Makes a rename in `folder` durable (the directory entry, not only the file's bytes). */
async function syncDirectory(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
