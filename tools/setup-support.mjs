// What the project's setup scripts (tools/mongo-engine/setup.mjs, tools/s3mock/setup.mjs) share:
// one setup at a time per checkout, and which of the tools they need are missing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';

const STALE_LOCK_MS = 10 * 60 * 1000;
const WAIT_LOCK_MS = 10 * 60 * 1000;

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `work` holding `lockDir` (a directory made atomically): one setup at a time per checkout,
 * as `npm start` and `npm test` may race on a fresh clone. A lock older than 10 minutes is a dead
 * setup's and is taken over; after waiting 10 minutes this throws.
 */
export function withLock(lockDir, work) {
  const deadline = Date.now() + WAIT_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') {
        throw error;
      }
      if (Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${lockDir}; remove it if no setup is running`, {
          cause: error,
        });
      }
      sleep(500);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function hasCommand(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The commands of `tools` (`[command, versionArgs]` pairs) that don't run here. */
export function missingTools(tools) {
  return tools.filter(([command, args]) => !hasCommand(command, args)).map(([command]) => command);
}
