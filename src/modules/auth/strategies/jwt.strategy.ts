import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../../../common/auth/auth-user.js';
import type { AllConfig } from '../../../config/config.js';
import {
  type AccessTokenPayload,
  JWT_ALGORITHM,
  jwtKeyOf,
  TokenService,
} from '../token.service.js';

/** `Authorization: Bearer <token>`, HS256 only (so `alg: none` and RS/HS confusion fail). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly tokenService: TokenService,
    config: ConfigService<AllConfig, true>,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // a KeyObject: given a string, jsonwebtoken first tries (and fails) to read it as a public
      // key on every verification, which cost most of an authenticated request's time
      secretOrKey: jwtKeyOf(config.get('auth', { infer: true }).jwtSecret) as unknown as string,
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  validate(payload: AccessTokenPayload): Promise<AuthUser> {
    return this.tokenService.authenticatePayload(payload);
  }
}
