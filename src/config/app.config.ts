import { EnvironmentVariables, NodeEnv } from './env.validation.js';

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** Empty: cross-origin requests are refused. */
  corsOrigins: string[];
  trustProxy: boolean;
  bodyLimitBytes: number;
}

export function appConfigFromEnv(env: EnvironmentVariables): AppConfig {
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxy: env.TRUST_PROXY,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
  };
}
