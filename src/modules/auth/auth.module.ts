import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { ACCESS_TOKEN_STRATEGY } from '../../common/auth/jwt-auth.guard.js';
import type { AllConfig } from '../../config/config.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountPasswordController } from './account-password.controller.js';
import { AuthStateCache } from './auth-state.cache.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { EmailVerificationTokensRepository } from './email-verification-tokens.repository.js';
import { EmailVerificationController } from './email-verification.controller.js';
import { EmailVerificationService } from './email-verification.service.js';
import { PasswordResetTokensRepository } from './password-reset-tokens.repository.js';
import { RevokedTokensRepository } from './revoked-tokens.repository.js';
import {
  PasswordResetToken,
  PasswordResetTokenSchema,
} from './schemas/password-reset-token.schema.js';
import {
  EmailVerificationToken,
  EmailVerificationTokenSchema,
} from './schemas/email-verification-token.schema.js';
import { RevokedToken, RevokedTokenSchema } from './schemas/revoked-token.schema.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';
import { JWT_ALGORITHM, jwtKeyOf, TokenService } from './token.service.js';

/** Global: every module's routes use its access-token strategy through `@Authenticated()`. */
@Global()
@Module({
  imports: [
    UsersModule,
    InvitationsModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AllConfig, true>) => ({
        secret: jwtKeyOf(config.get('auth', { infer: true }).jwtSecret),
        signOptions: { algorithm: JWT_ALGORITHM },
        verifyOptions: { algorithms: [JWT_ALGORITHM] },
      }),
    }),
    MongooseModule.forFeature([
      { name: RevokedToken.name, schema: RevokedTokenSchema },
      { name: PasswordResetToken.name, schema: PasswordResetTokenSchema },
      { name: EmailVerificationToken.name, schema: EmailVerificationTokenSchema },
    ]),
  ],
  controllers: [AuthController, AccountPasswordController, EmailVerificationController],
  providers: [
    AuthService,
    TokenService,
    AuthStateCache,
    JwtStrategy,
    { provide: ACCESS_TOKEN_STRATEGY, useExisting: JwtStrategy },
    RevokedTokensRepository,
    PasswordResetTokensRepository,
    EmailVerificationService,
    EmailVerificationTokensRepository,
  ],
  exports: [TokenService, AuthService, ACCESS_TOKEN_STRATEGY],
})
export class AuthModule {}
