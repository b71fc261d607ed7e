import { parseIsoDuration } from './duration.js';
import type { EnvironmentVariables } from './env.validation.js';

/** Used only outside production: env validation refuses to start production without JWT_SECRET. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-jwt-secret-do-not-use-in-production';

export interface RateLimit {
  points: number;
  windowSeconds: number;
}

export interface AuthConfig {
  jwtSecret: string;
  jwtExpiresInSeconds: number;
  authCacheTtlMs: number;
  passwordResetTtlMinutes: number;
  /** The admin to create at boot when none exists. */
  seedAdmin?: { email: string; password: string };
  rateLimits: {
    /** Sign-in attempts from one address, failed ones only (a success gives its attempt back). */
    loginPerIp: RateLimit;
    /** Failed sign-ins for one account from one address; a success there starts it afresh. */
    loginPerIdentifier: RateLimit;
    /** Failed sign-ins for one account from anywhere (distributed guessing). */
    loginPerAccount: RateLimit;
    registerPerIp: RateLimit;
    forgotPasswordPerIp: RateLimit;
    forgotPasswordPerEmail: RateLimit;
  };
}

export function authConfigFromEnv(env: EnvironmentVariables): AuthConfig {
  const loginWindow = env.LOGIN_RATE_LIMIT_WINDOW_SECONDS;
  const forgotWindow = env.FORGOT_PASSWORD_RATE_LIMIT_WINDOW_SECONDS;
  return {
    jwtSecret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
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
      loginPerAccount: { points: env.LOGIN_RATE_LIMIT_PER_ACCOUNT, windowSeconds: loginWindow },
      registerPerIp: {
        points: env.REGISTER_RATE_LIMIT_PER_IP,
        windowSeconds: Math.ceil(parseIsoDuration(env.REGISTER_RATE_LIMIT_WINDOW) / 1000),
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
