import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import type { AllConfig } from '../../config/config.js';
import { UsersService } from '../users/users.service.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
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
  async authenticate(token: string): Promise<AuthUser> {
    let payload: AccessTokenPayload;
    try {
      payload = await this.jwtService.verifyAsync<AccessTokenPayload>(token, {
        algorithms: [JWT_ALGORITHM],
      });
    } catch {
      throw AuthErrors.invalidToken();
    }
    return this.authenticatePayload(payload);
  }

  /**
   * A signature-checked payload becomes the caller, if the token is still good: the account
   * exists and is not banned, the token was not logged out, and it was issued after the last
   * revoke-all (ban, password change or reset). Two indexed lookups, in parallel.
   */
  async authenticatePayload(payload: AccessTokenPayload): Promise<AuthUser> {
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof payload.iatMs !== 'number'
    ) {
      throw AuthErrors.invalidToken();
    }
    const expiresAt = new Date((payload.exp ?? 0) * 1000);
    const [state, revoked] = await Promise.all([
      this.cache.userState(payload.sub, () => this.usersService.getAuthState(payload.sub)),
      this.cache.isRevoked(payload.jti, expiresAt, () => this.revokedTokens.isRevoked(payload.jti)),
    ]);
    if (!state) {
      throw AuthErrors.accountGone();
    }
    const revokedByUser =
      state.tokensValidAfter && payload.iatMs < state.tokensValidAfter.getTime();
    if (revoked || revokedByUser || state.bannedAt) {
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
