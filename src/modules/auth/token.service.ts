import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import { DomainError } from '../../common/errors/domain.error.js';
import type { AllConfig } from '../../config/config.js';
import { UsersService } from '../users/users.service.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import type { UserAuthState } from '../users/users.repository.js';
import { AuthStateCache } from './auth-state.cache.js';
import { AuthErrors } from './auth.errors.js';
import { RevokedTokensRepository } from './revoked-tokens.repository.js';

export const JWT_ALGORITHM = 'HS256';

/** The HS256 secret as a KeyObject, which jsonwebtoken uses as it is (see JwtStrategy). */
export function jwtKeyOf(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** The claims of our access tokens. `iatMs` is the issue time in ms, for `tokensValidAfter`. */
export interface AccessTokenPayload {
  sub: string;
  jti: string;
  iatMs: number;
  iat?: number;
  exp?: number;
}

/** What a socket keeps of its handshake: the caller, and the claims to check again later. */
export interface TokenSession {
  user: AuthUser;
  claims: AccessTokenPayload;
}

/**
 * Whether something issued to the user at `issuedAtMs` (an access token, a reset link) predates
 * his last revoke-all: a ban, a password change or a reset. The one rule for every per-user
 * token.
 */
export function issuedBeforeRevokeAll(state: UserAuthState, issuedAtMs: number): boolean {
  const validAfter = state.tokensValidAfter;
  return validAfter ? issuedAtMs < validAfter.getTime() : false;
}

@Injectable()
export class TokenService {
  private readonly expiresInSeconds: number;

  constructor(
    private readonly jwtService: JwtService,
    private readonly usersService: UsersService,
    private readonly revokedTokens: RevokedTokensRepository,
    private readonly cache: AuthStateCache,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.expiresInSeconds = config.get('auth', { infer: true }).jwtExpiresInSeconds;
  }

  issue(user: UserEntity): Promise<string> {
    const payload: AccessTokenPayload = {
      sub: user.id,
      jti: randomUUID(),
      iatMs: this.clock.now().getTime(),
    };
    return this.jwtService.signAsync(payload, {
      algorithm: JWT_ALGORITHM,
      expiresIn: this.expiresInSeconds,
    });
  }

  /** For the WebSocket handshake: the same checks as the HTTP guard. */
  async authenticate(token: string): Promise<TokenSession> {
    let claims: AccessTokenPayload;
    try {
      claims = await this.jwtService.verifyAsync<AccessTokenPayload>(token, {
        algorithms: [JWT_ALGORITHM],
      });
    } catch {
      throw AuthErrors.invalidToken();
    }
    return { user: await this.authenticatePayload(claims), claims };
  }

  /**
   * A signature-checked payload becomes the caller, if the token is still good: the account
   * exists and is not banned, the token was not logged out, and it was issued after the last
   * revoke-all (ban, password change or reset). Two indexed lookups, in parallel, through the
   * AuthStateCache.
   */
  authenticatePayload(payload: AccessTokenPayload): Promise<AuthUser> {
    return this.check(payload, (userId, tokenId, expiresAt) =>
      Promise.all([
        this.cache.userState(userId, () => this.usersService.getAuthState(userId)),
        this.cache.isRevoked(tokenId, expiresAt, () => this.revokedTokens.isRevoked(tokenId)),
      ]),
    );
  }

  /**
   * The same checks on claims that were good earlier (a socket's), against the database itself
   * rather than this instance's cache, which another instance's change may not have reached yet;
   * and the token must not have expired since. `false` for a token no longer good; rejects only
   * when the database cannot say.
   */
  async isStillValid(claims: AccessTokenPayload): Promise<boolean> {
    if ((claims.exp ?? 0) * 1000 <= Date.now()) {
      return false;
    }
    return this.check(claims, (userId, tokenId) =>
      Promise.all([this.usersService.getAuthState(userId), this.revokedTokens.isRevoked(tokenId)]),
    ).then(
      () => true,
      (error: unknown) => {
        if (error instanceof DomainError) {
          return false;
        }
        throw error;
      },
    );
  }

  private async check(
    payload: AccessTokenPayload,
    read: (
      userId: string,
      tokenId: string,
      expiresAt: Date,
    ) => Promise<[UserAuthState | null, boolean]>,
  ): Promise<AuthUser> {
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof payload.iatMs !== 'number'
    ) {
      throw AuthErrors.invalidToken();
    }
    const expiresAt = new Date((payload.exp ?? 0) * 1000);
    const [state, revoked] = await read(payload.sub, payload.jti, expiresAt);
    if (!state) {
      throw AuthErrors.accountGone();
    }
    if (revoked || issuedBeforeRevokeAll(state, payload.iatMs) || state.bannedAt) {
      throw AuthErrors.tokenRevoked();
    }
    return {
      id: state.id,
      role: state.role,
      tokenId: payload.jti,
      tokenExpiresAt: expiresAt,
    };
  }

  revoke(user: AuthUser): Promise<void> {
    return this.revokedTokens.revoke(user.tokenId, user.id, user.tokenExpiresAt);
  }

  purgeExpiredRevocations(now: Date): Promise<number> {
    return this.revokedTokens.deleteExpired(now);
  }
}
