import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createFileOnce,
  ensurePrivateDir,
  restrictToOwner,
} from '../common/files/private-files.js';

/**
 * Secrets this project has published (its source, README, .env.example and benchmarks once
 * carried them): anyone can sign tokens with these, so no environment accepts them.
 */
export const PUBLISHED_JWT_SECRETS: readonly string[] = [
  'development-only-jwt-secret-do-not-use-in-production',
  'benchmark-secret-benchmark-secret-benchmark',
];

export const MIN_JWT_SECRET_LENGTH = 32;

/** The name of the generated secret's file under DATA_DIR. */
export const JWT_SECRET_FILE = 'jwt-secret';

/** 48 random bytes: 64 base64url characters. */
const GENERATED_SECRET_BYTES = 48;

export interface PersistedJwtSecret {
  secret: string;
  /** Absolute path of the file that keeps it. */
  path: string;
  /** Whether this start generated it (else an earlier start did). */
  created: boolean;
}

/**
 * The signing secret when JWT_SECRET is unset (outside production): generated from the system's
 * CSPRNG on the first start, kept in `<dataDir>/jwt-secret` (mode 0600, DATA_DIR 0700 when we
 * create it), and read back on every later start, so that tokens survive restarts. Throws when
 * the file exists but holds fewer than 32 characters.
 */
export function persistedJwtSecret(dataDir: string): PersistedJwtSecret {
  const path = join(ensurePrivateDir(dataDir), JWT_SECRET_FILE);
  const created = createFileOnce(path, randomBytes(GENERATED_SECRET_BYTES).toString('base64url'));
  restrictToOwner(path);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new Error(
      `${path} holds no usable JWT secret (fewer than ${MIN_JWT_SECRET_LENGTH} characters); remove it to have one generated, or set JWT_SECRET`,
    );
  }
  return { secret, path, created };
}
