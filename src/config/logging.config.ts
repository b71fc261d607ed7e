import { EnvironmentVariables, LogLevel } from './env.validation.js';

export interface LoggingConfig {
  level: LogLevel;
  /** `combined.log` (everything at `level`) and `error.log` (errors only) are written here. */
  dir: string;
  toStdout: boolean;
}

export function loggingConfigFromEnv(env: EnvironmentVariables): LoggingConfig {
  return { level: env.LOG_LEVEL, dir: env.LOG_DIR, toStdout: env.LOG_TO_STDOUT };
}
