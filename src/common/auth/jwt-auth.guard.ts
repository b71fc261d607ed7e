import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import passport, { type Strategy } from 'passport';
import { CommonErrors } from '../errors/domain.error.js';
import type { AuthUser } from './auth-user.js';

/** The app's passport-jwt strategy instance (provided by the auth module). */
export const ACCESS_TOKEN_STRATEGY = Symbol('ACCESS_TOKEN_STRATEGY');

/**
 * passport-jwt behind a guard; every failure becomes a 401 `UNAUTHENTICATED` with a reason.
 *
 * It hands passport this app's strategy instance rather than a name: passport's registry of
 * named strategies is global to the process, so two app instances in one process (the
 * multi-instance tests) would otherwise validate each other's tokens against the wrong database.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(@Inject(ACCESS_TOKEN_STRATEGY) private readonly strategy: Strategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<{ user?: AuthUser }>();
    request.user = await new Promise<AuthUser>((resolve, reject) => {
      // a fresh object per request: passport attaches per-request callbacks to it
      const perRequest = Object.create(this.strategy) as Strategy;
      const authenticate = passport.authenticate(
        perRequest,
        { session: false },
        (error: unknown, user: AuthUser | false, info: unknown) => {
          try {
            resolve(this.handleRequest(error, user, info));
          } catch (refusal) {
            reject(asError(refusal));
          }
        },
      ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
      authenticate(request, http.getResponse(), (error) => reject(asError(error)));
    });
    return true;
  }

  handleRequest<T = AuthUser>(error: unknown, user: T | false, info: unknown): T {
    // the strategy's own failures: a refused token (DomainError), or the database (503)
    if (error) {
      throw asError(error);
    }
    if (!user) {
      throw CommonErrors.unauthenticated(reasonOf(info));
    }
    return user;
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function reasonOf(info: unknown): string {
  if (info instanceof Error) {
    if (info.name === 'TokenExpiredError') {
      return 'Access token has expired';
    }
    if (info.message === 'No auth token') {
      return 'Authentication required: send Authorization: Bearer <accessToken>';
    }
  }
  return 'Invalid access token';
}
