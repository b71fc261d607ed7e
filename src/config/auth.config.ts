import type { PhoneRegion } from '../common/identity/phone.js';
import type { EnvironmentVariables, ValidatedEnv } from './env.validation.js';
import { persistedJwtSecret } from './jwt-secret.js';

export interface RateLimit {
  points: number;
  /** Whole seconds (rate-limiter-flexible's unit). */
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
  passwordResetTtlMs: number;
  /** How long an emailed verification link works, in ms. */
  emailVerificationTtlMs: number;
  /** Where phone numbers written without a country code are read (ISO 3166-1 alpha-2). */
  phoneDefaultRegion: PhoneRegion;
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
    resendVerificationPerUser: RateLimit;
  };
}

export function authConfigFromEnv(env: ValidatedEnv): AuthConfig {
  const spans = env.timeSpans;
  // validation made these whole seconds
  const loginWindow = spans.LOGIN_RATE_LIMIT_WINDOW / 1000;
  const forgotWindow = spans.FORGOT_PASSWORD_RATE_LIMIT_WINDOW / 1000;
  return {
    ...jwtSecretOf(env),
    jwtExpiresInSeconds: spans.JWT_EXPIRES_IN / 1000,
    authCacheTtlMs: spans.AUTH_CACHE_TTL,
    passwordResetTtlMs: spans.PASSWORD_RESET_TTL,
    emailVerificationTtlMs: spans.EMAIL_VERIFICATION_TTL,
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
      loginPerAccount: { points: env.LOGIN_RATE_LIMIT_PER_ACCOUNT, windowSeconds: loginWindow },
      registerPerIp: {
        points: env.REGISTER_RATE_LIMIT_PER_IP,
        windowSeconds: spans.REGISTER_RATE_LIMIT_WINDOW / 1000,
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
        windowSeconds: spans.RESEND_VERIFICATION_RATE_LIMIT_WINDOW / 1000,
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
