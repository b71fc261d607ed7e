#!/usr/bin/env node
// Fetches mongo-java-server with Maven and compiles the launcher with javac, into .engine/ at
// the project root. Idempotent: a stamp of the inputs skips the work when nothing changed.
// Run by `npm install` (postinstall, with --if-possible) and by the app and the test suite
// before they start the embedded engine.
//
//   node tools/mongo-engine/setup.mjs [--if-possible]
//
// --if-possible: when Java or Maven is missing, warn and exit 0 instead of failing (a machine
// that points MONGODB_URI at a real MongoDB does not need the engine).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingTools, withLock } from '../setup-support.mjs';

const toolDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(toolDir, '..', '..');
const engineDir = join(root, '.engine');
const libDir = join(engineDir, 'lib');
const classesDir = join(engineDir, 'classes');
const stampFile = join(engineDir, 'stamp');
const lockDir = join(root, '.engine.lock');
/** What the setup runs, with the arguments that make each print its version. */
const TOOLS = [
  ['java', ['-version']],
  ['javac', ['-version']],
  ['mvn', ['-v']],
];
const ifPossible = process.argv.includes('--if-possible');

function log(message) {
  process.stderr.write(`[mongo-engine] ${message}\n`);
}

/** Every Java source of the launcher, sorted so that the fingerprint is stable. */
function javaSources() {
  return readdirSync(toolDir)
    .filter((name) => name.endsWith('.java'))
    .sort();
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const file of ['pom.xml', 'setup.mjs', ...javaSources()]) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(join(toolDir, file)));
  }
  return hash.digest('hex');
}

function isUpToDate(stamp) {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp;
}

function build(stamp) {
  log('fetching mongo-java-server with Maven and compiling the launcher (first run only)');
  rmSync(engineDir, { recursive: true, force: true });
  mkdirSync(classesDir, { recursive: true });
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      join(toolDir, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libDir}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const jars = readdirSync(libDir).filter((name) => name.endsWith('.jar'));
  if (jars.length === 0) {
    throw new Error(`Maven copied no jars into ${libDir}`);
  }
  execFileSync(
    'javac',
    [
      '-nowarn',
      '-cp',
      join(libDir, '*'),
      '-d',
      classesDir,
      ...javaSources().map((name) => join(toolDir, name)),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  writeFileSync(stampFile, `${stamp}\n`);
  log(`ready in ${engineDir}`);
}

function main() {
  const stamp = fingerprint();
  if (isUpToDate(stamp)) {
    return 0;
  }
  const missing = missingTools(TOOLS);
  if (missing.length > 0) {
    const message = `cannot build the embedded MongoDB engine: ${missing.join(', ')} not found on PATH (needs Java 17 and Maven); set MONGODB_URI to use another MongoDB`;
    if (ifPossible) {
      log(`warning: ${message}`);
      return 0;
    }
    log(message);
    return 1;
  }
  withLock(lockDir, () => {
    if (!isUpToDate(stamp)) {
      build(stamp);
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
