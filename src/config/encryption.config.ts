import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_KEY_BYTES, type DataKey, parseKeyRing } from '../common/crypto/key-ring.js';
import {
  createFileOnce,
  ensurePrivateDir,
  restrictToOwner,
} from '../common/files/private-files.js';
import type { EnvironmentVariables } from './env.validation.js';

/** Encryption of private data at rest (DESIGN.md "Files and private data"). */
export interface EncryptionConfig {
  /** The key ring, newest first: the first seals, every one opens what it sealed. */
  keys: DataKey[];
  /** Set when DATA_ENCRYPTION_KEY is unset: the file under DATA_DIR that keeps the key. */
  generatedKeyPath?: string;
  /** Whether this start generated that key (else an earlier start did, or the variable is set). */
  generated: boolean;
}

/** The name of the generated key's file under DATA_DIR. */
export const DATA_ENCRYPTION_KEY_FILE = 'data-encryption-key';

/**
 * Why DATA_ENCRYPTION_KEY can't be used: one problem per malformed entry, repeated id or key not
 * 32 bytes, and one when it is unset in production (where a key generated on one machine's disk
 * would make the data unreadable anywhere else). Never repeats a key.
 */
export function dataEncryptionKeyProblems(
  value: string | undefined,
  production: boolean,
): string[] {
  if (!value) {
    return production
      ? [
          'DATA_ENCRYPTION_KEY is required in production: comma-separated <keyId>:<base64 of 32 bytes>, newest first (e.g. k1:$(openssl rand -base64 32))',
        ]
      : [];
  }
  return parseKeyRing(value).problems.map((problem) => `DATA_ENCRYPTION_KEY: ${problem}`);
}

export function encryptionConfigFromEnv(env: EnvironmentVariables): EncryptionConfig {
  if (env.DATA_ENCRYPTION_KEY) {
    // validateEnv refused a ring with problems
    return { keys: parseKeyRing(env.DATA_ENCRYPTION_KEY).keys, generated: false };
  }
  const { key, path, created } = persistedDataEncryptionKey(env.DATA_DIR);
  return { keys: [key], generatedKeyPath: path, generated: created };
}

/**
 * The key when DATA_ENCRYPTION_KEY is unset (outside production), as `persistedJwtSecret` keeps
 * the JWT secret: 32 bytes from the system's CSPRNG under the id `local-<8 hex>`, written on the
 * first start to `<dataDir>/data-encryption-key` (`<id>:<base64>`, mode 0600, DATA_DIR 0700
 * when we create it), and read back on every later start, so that what was sealed stays
 * readable. Throws when the file exists but holds no single valid key.
 */
export function persistedDataEncryptionKey(dataDir: string): {
  key: DataKey;
  path: string;
  created: boolean;
} {
  const path = join(ensurePrivateDir(dataDir), DATA_ENCRYPTION_KEY_FILE);
  const id = `local-${randomBytes(4).toString('hex')}`;
  const created = createFileOnce(path, `${id}:${randomBytes(DATA_KEY_BYTES).toString('base64')}\n`);
  restrictToOwner(path);
  const { keys, problems } = parseKeyRing(readFileSync(path, 'utf8').trim());
  if (problems.length > 0 || keys.length !== 1) {
    throw new Error(
      `${path} holds no usable data encryption key (one <keyId>:<base64 of 32 bytes>); set DATA_ENCRYPTION_KEY, or restore the file: removing it makes everything sealed with it unreadable`,
    );
  }
  return { key: keys[0], path, created };
}
