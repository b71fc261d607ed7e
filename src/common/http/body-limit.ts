import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `@BodyLimit()`: the largest body this route accepts, in bytes. */
    bodyLimit?: number;
  }
}

const KB = 1024;

/**
 * Body limits per kind of route, in bytes: each a few times the largest legitimate body of its
 * routes (every field at its maximum length, in 2- or 3-byte UTF-8 characters), so that what a
 * request can make the server read, parse and validate follows from what the route needs.
 */
export const BODY_LIMITS = {
  /** Sign-up, sign-in, password and token routes: a handful of short strings (~1.5 KB at most). */
  credentials: 4 * KB,
  /** Every other route unless it says otherwise: texts of up to 4,000 characters (~12 KB). */
  standard: 16 * KB,
  /**
   * Lists of URLs or ids: a job (5,000-character description and 10 photo URLs, ~40 KB), 10
   * verification documents, 50 bulk invitees, 500 notification ids.
   */
  lists: 64 * KB,
  /** `PUT /users/me`: a craftsman's 30 portfolio URLs of up to 2,083 characters and his bio. */
  profile: 128 * KB,
} as const;

/**
 * The largest body this route accepts (one of `BODY_LIMITS`); bigger: 413 `PAYLOAD_TOO_LARGE`,
 * before the body is read when the request announces its length. Routes without it get
 * `BODY_LIMITS.standard`. `BODY_LIMIT_BYTES` caps every route.
 */
export function BodyLimit(bytes: number): MethodDecorator {
  return RouteConfig({ bodyLimit: bytes });
}

/**
 * Gives every route registered from now on its body limit: the one `@BodyLimit()` set, else
 * `BODY_LIMITS.standard`, never more than `ceiling` (`BODY_LIMIT_BYTES`). Call before the
 * routes are registered (Nest registers them in `init`).
 */
export function registerRouteBodyLimits(fastify: FastifyInstance, ceiling: number): void {
  fastify.addHook('onRoute', (route) => {
    route.bodyLimit = Math.min(route.config?.bodyLimit ?? BODY_LIMITS.standard, ceiling);
  });
}
