#!/usr/bin/env node
// Fetches S3Mock (https://github.com/adobe/S3Mock), the S3-compatible server the storage tests
// run the S3 driver against, with Maven into .engine/s3mock/ at the project root. Idempotent:
// a stamp of this script (which names the version) skips the work when nothing changed.
// Run by `npm install` (postinstall, with --if-possible) and by test/support/s3mock.ts before
// it starts the server.
//
//   node tools/s3mock/setup.mjs [--if-possible]
//
// --if-possible: when Java or Maven is missing, warn and exit 0 instead of failing (only the
// S3 storage tests need S3Mock).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingTools, withLock } from '../setup-support.mjs';

const S3MOCK_VERSION = '3.12.0';
const ARTIFACT = `com.adobe.testing:s3mock:${S3MOCK_VERSION}:jar:exec`;
const JAR_NAME = `s3mock-${S3MOCK_VERSION}-exec.jar`;

const toolDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(toolDir, '..', '..');
const s3mockDir = join(root, '.engine', 's3mock');
const jarFile = join(s3mockDir, JAR_NAME);
const stampFile = join(s3mockDir, 'stamp');
// the database engine's lock: its setup empties .engine/ when it rebuilds, so the two take turns
const lockDir = join(root, '.engine.lock');
/** What the setup runs, with the arguments that make each print its version. */
const TOOLS = [
  ['java', ['-version']],
  ['mvn', ['-v']],
];
const ifPossible = process.argv.includes('--if-possible');

function log(message) {
  process.stderr.write(`[s3mock] ${message}\n`);
}

function fingerprint() {
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex');
}

function isUpToDate(stamp) {
  return (
    existsSync(jarFile) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp
  );
}

/** Copies the jar into a fresh folder beside the target, then swaps it in whole. */
function fetchJar(stamp) {
  log(`fetching ${ARTIFACT} with Maven (first run only, about 40 MB)`);
  const draftDir = `${s3mockDir}.${process.pid}.tmp`;
  rmSync(draftDir, { recursive: true, force: true });
  mkdirSync(draftDir, { recursive: true });
  try {
    execFileSync(
      'mvn',
      [
        '-q',
        '-B',
        '-Dstyle.color=never',
        'dependency:copy',
        `-Dartifact=${ARTIFACT}`,
        `-DoutputDirectory=${draftDir}`,
      ],
      // run where no pom.xml is, so that Maven resolves the artifact alone
      { cwd: draftDir, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (!existsSync(join(draftDir, JAR_NAME))) {
      throw new Error(`Maven did not copy ${JAR_NAME} into ${draftDir}`);
    }
    writeFileSync(join(draftDir, 'stamp'), `${stamp}\n`);
    rmSync(s3mockDir, { recursive: true, force: true });
    renameSync(draftDir, s3mockDir);
  } finally {
    rmSync(draftDir, { recursive: true, force: true });
  }
  log(`ready: ${jarFile}`);
}

function main() {
  const stamp = fingerprint();
  if (isUpToDate(stamp)) {
    return 0;
  }
  const missing = missingTools(TOOLS);
  if (missing.length > 0) {
    const message = `cannot fetch S3Mock: ${missing.join(', ')} not found on PATH (needs Java 17 and Maven); only the S3 storage tests need it`;
    if (ifPossible) {
      log(`warning: ${message}`);
      return 0;
    }
    log(message);
    return 1;
  }
  withLock(lockDir, () => {
    if (!isUpToDate(stamp)) {
      fetchJar(stamp);
    }
  });
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  log(`setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = ifPossible ? 0 : 1;
}
