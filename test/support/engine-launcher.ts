import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { killOnExit, stopChild, waitForLine } from '../../src/database/engine/child-process.js';
import { ensureEmbeddedEngineBuilt } from '../../src/database/engine/embedded-engine.js';
import { ENGINE_DIR } from '../../src/database/engine/project-paths.js';

/**
 * How tools/mongo-engine/EmbeddedMongo runs the engine: `memory` and `h2` with our indexes,
 * `memory-stock` and `h2-stock` as mongo-java-server 1.47.0 is published.
 */
export type EngineMode = 'memory' | 'h2' | 'memory-stock' | 'h2-stock';

export interface LaunchedEngine {
  mode: EngineMode;
  uri: string;
  stop(): Promise<void>;
}

/**
 * Starts the launcher in `mode` on a free port, for tests that compare engines with each other.
 * `file` is the H2 file of the `h2` modes; without it their store is in memory.
 */
export async function launchEngine(mode: EngineMode, file = '-'): Promise<LaunchedEngine> {
  await ensureEmbeddedEngineBuilt(() => undefined);
  const classpath = [join(ENGINE_DIR, 'classes'), join(ENGINE_DIR, 'lib', '*')].join(':');
  const child = spawn(
    'java',
    [
      '-XX:+UseSerialGC',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=error',
      '-cp',
      classpath,
      'EmbeddedMongo',
      mode,
      file,
      '127.0.0.1',
      '0',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const removeExitHook = killOnExit(child);
  const [, port] = await waitForLine(child, /^LISTENING (\d+)$/, 60_000, () => stderr.join(''));
  return {
    mode,
    uri: `mongodb://127.0.0.1:${port}`,
    stop: async () => {
      removeExitHook();
      await stopChild(child);
    },
  };
}
