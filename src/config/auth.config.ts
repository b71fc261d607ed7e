import type { PhoneRegion } from '../common/identity/phone.js';
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
  /** How long an emailed verification link works. */
  emailVerificationTtlHours: number;
  /** Where phone numbers written without a country code are read (ISO 3166-1 alpha-2). */
  phoneDefaultRegion: PhoneRegion;
  /** The admin to create at boot when none exists. */
  seedAdmin?: { email: string; password: string };
  rateLimits: {
    loginPerIp: RateLimit;
    loginPerIdentifier: RateLimit;
    forgotPasswordPerIp: RateLimit;
    forgotPasswordPerEmail: RateLimit;
    resendVerificationPerUser: RateLimit;
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
    emailVerificationTtlHours: env.EMAIL_VERIFICATION_TTL_HOURS,
    phoneDefaultRegion: env.PHONE_DEFAULT_REGION as PhoneRegion,
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
      resendVerificationPerUser: {
        points: env.RESEND_VERIFICATION_RATE_LIMIT_PER_USER,
        windowSeconds: env.RESEND_VERIFICATION_RATE_LIMIT_WINDOW_SECONDS,
      },
    },
  };
}
