import { EnvironmentVariables } from './env.validation.js';

export interface RedisConfig {
  /** Unset: counters live in each instance's memory, and nothing is shared across instances. */
  url?: string;
  keyPrefix: string;
}

export function redisConfigFromEnv(env: EnvironmentVariables): RedisConfig {
  return { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX };
}
