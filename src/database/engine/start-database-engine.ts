import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { redactCredentials } from '../../common/logging/redact-credentials.js';
import { OutputSink } from './child-process.js';
import { chooseEngine, DatabaseEngine } from './database-engine.js';
import { startEmbeddedEngine } from './embedded-engine.js';
import { startMongodEngine } from './mongod-engine.js';

export interface StartEngineOptions {
  uri?: string;
  storage: 'file' | 'memory';
  dataDir: string;
  log: OutputSink;
  warn: OutputSink;
  error?: OutputSink;
  /** When the supervisor gives up on an engine this app started (EngineSupervisor). */
  onGiveUp?: (reason: string) => void;
  /** Defaults to a lookup on PATH; tests pass their own. */
  mongodPath?: string | null;
}

export function findOnPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Resolves the engine (MONGODB_URI, then `mongod` on PATH, then embedded) and starts it. */
export async function startDatabaseEngine(options: StartEngineOptions): Promise<DatabaseEngine> {
  const mongodPath =
    options.mongodPath === undefined ? findOnPath('mongod') : (options.mongodPath ?? undefined);
  const kind = chooseEngine({ uri: options.uri, mongodPath });
  switch (kind) {
    case 'uri':
      return {
        kind,
        uri: options.uri!,
        description: `MongoDB at ${redactCredentials(options.uri!)} (MONGODB_URI)`,
        isDown: () => false,
        stop: () => Promise.resolve(),
      };
    case 'mongod':
      return startMongodEngine({ ...options, mongodPath: mongodPath! });
    case 'embedded':
      return startEmbeddedEngine(options);
  }
}
