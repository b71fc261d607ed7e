import type { ValidatedEnv } from './env.validation.js';

export interface DatabaseConfig {
  /** Set: connect there and start nothing. Unset: start `mongod` or the embedded engine. */
  uri?: string;
  dataDir: string;
  embeddedStorage: 'file' | 'memory';
  dbName?: string;
  serverSelectionTimeoutMs: number;
  /** MONGODB_MONITOR_COMMANDS: the driver emits `commandStarted` and friends on its client. */
  monitorCommands: boolean;
}

export function databaseConfigFromEnv(env: ValidatedEnv): DatabaseConfig {
  return {
    uri: env.MONGODB_URI,
    dataDir: env.DATA_DIR,
    embeddedStorage: env.EMBEDDED_MONGO_STORAGE,
    dbName: env.MONGODB_DB_NAME,
    serverSelectionTimeoutMs: env.timeSpans.MONGODB_SERVER_SELECTION_TIMEOUT,
    monitorCommands: env.MONGODB_MONITOR_COMMANDS,
  };
}
