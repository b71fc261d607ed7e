import type { EnvironmentVariables } from './env.validation.js';
import { persistedJwtSecret } from './jwt-secret.js';

export interface RateLimit {
  points: number;
  windowSeconds: number;
}

export interface AuthConfig {
  jwtSecret: string;
  /**
   * Set when JWT_SECRET is unset (outside production; env validation refuses production without
   * it): the file under DATA_DIR that keeps the generated secret, and whether this start made it.
   */
  jwtSecretFile?: { path: string; created: boolean };
  jwtExpiresInSeconds: number;
  authCacheTtlMs: number;
  passwordResetTtlMinutes: number;
  /** The admin to create at boot when none exists. */
  seedAdmin?: { email: string; password: string };
  rateLimits: {
    loginPerIp: RateLimit;
    loginPerIdentifier: RateLimit;
    forgotPasswordPerIp: RateLimit;
    forgotPasswordPerEmail: RateLimit;
  };
}

export function authConfigFromEnv(env: EnvironmentVariables): AuthConfig {
  const loginWindow = env.LOGIN_RATE_LIMIT_WINDOW_SECONDS;
  const forgotWindow = env.FORGOT_PASSWORD_RATE_LIMIT_WINDOW_SECONDS;
  return {
    ...jwtSecretOf(env),
    jwtExpiresInSeconds: env.JWT_EXPIRES_IN_SECONDS,
    authCacheTtlMs: env.AUTH_CACHE_TTL_MS,
    passwordResetTtlMinutes: env.PASSWORD_RESET_TTL_MINUTES,
    seedAdmin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }
        : undefined,
    rateLimits: {
      loginPerIp: { points: env.LOGIN_RATE_LIMIT_PER_IP, windowSeconds: loginWindow },
      loginPerIdentifier: {
        points: env.LOGIN_RATE_LIMIT_PER_IDENTIFIER,
        windowSeconds: loginWindow,
      },
      forgotPasswordPerIp: {
        points: env.FORGOT_PASSWORD_RATE_LIMIT_PER_IP,
        windowSeconds: forgotWindow,
      },
      forgotPasswordPerEmail: {
        points: env.FORGOT_PASSWORD_RATE_LIMIT_PER_EMAIL,
        windowSeconds: forgotWindow,
      },
    },
  };
}

/** JWT_SECRET, or else the secret generated once and kept under DATA_DIR. */
function jwtSecretOf(env: EnvironmentVariables): Pick<AuthConfig, 'jwtSecret' | 'jwtSecretFile'> {
  if (env.JWT_SECRET) {
    return { jwtSecret: env.JWT_SECRET };
  }
  const { secret, path, created } = persistedJwtSecret(env.DATA_DIR);
  return { jwtSecret: secret, jwtSecretFile: { path, created } };
}
