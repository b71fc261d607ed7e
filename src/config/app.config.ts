import { EnvironmentVariables, NodeEnv } from './env.validation.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** Empty: cross-origin requests are refused. */
  corsOrigins: string[];
  /** Fastify's `trustProxy`: which peers' X-Forwarded-For gives the client address. */
  trustProxy: TrustProxy;
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
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
  };
}
