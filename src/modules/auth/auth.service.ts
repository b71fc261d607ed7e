import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { MARKETPLACE_ROLES, Role, STAFF_ROLES } from '../../common/auth/role.js';
import { CommonErrors } from '../../common/errors/domain.error.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { MailService } from '../../common/mail/mail.service.js';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service.js';
import { hashToken, newToken } from '../../common/security/tokens.js';
import type { AuthConfig } from '../../config/auth.config.js';
import type { AllConfig } from '../../config/config.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import { normalizeEmail, normalizePhone, UsersService } from '../users/users.service.js';
import { AuthErrors } from './auth.errors.js';
import type { LoginDto } from './dto/login.dto.js';
import { LoginType } from './dto/login.dto.js';
import type { RegisterDto } from './dto/register.dto.js';
import { TokenRevokedEvent } from './events/token-revoked.event.js';
import { passwordResetMail } from './mail/password-reset.mail.js';
import { PasswordResetTokensRepository } from './password-reset-tokens.repository.js';
import { issuedBeforeRevokeAll, TokenService } from './token.service.js';

export interface Session {
  accessToken: string;
  user: UserEntity;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly config: AuthConfig;

  constructor(
    private readonly usersService: UsersService,
    private readonly invitationsService: InvitationsService,
    private readonly tokenService: TokenService,
    private readonly resetTokens: PasswordResetTokensRepository,
    private readonly rateLimits: RateLimitService,
    private readonly mailService: MailService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('auth', { infer: true });
  }

  /** A craftsman signing up takes over the email invitations meant for him (see RegisterDto). */
  async register(input: RegisterDto): Promise<Session> {
    const { inviteToken, ...account } = input;
    if (inviteToken) {
      if (account.role !== Role.Craftsman) {
        throw CommonErrors.validation([
          { field: 'inviteToken', message: 'only craftsmen sign up with an invitation' },
        ]);
      }
      await this.invitationsService.assertInviteToken(inviteToken);
    }
    const user = await this.usersService.register(account);
    if (user.role === Role.Craftsman) {
      await this.invitationsService.claimForNewCraftsman(user, inviteToken);
    }
    return this.sessionFor(user);
  }

  /**
   * Rate limited per IP and per identifier. The ban is only told to someone who knows the
   * password, and an unknown account costs as much time as a wrong password.
   */
  async login(input: LoginDto, ip: string): Promise<Session> {
    const limits = this.config.rateLimits;
    const identifier = input.loginIdentifier.includes('@')
      ? normalizeEmail(input.loginIdentifier)
      : normalizePhone(input.loginIdentifier);
    await this.rateLimits.consume(
      'login-ip',
      limits.loginPerIp,
      ip,
      'Too many sign-in attempts from this address, try again later',
    );
    await this.rateLimits.consume(
      'login-identifier',
      limits.loginPerIdentifier,
      identifier,
      'Too many sign-in attempts for this account, try again later',
    );
    const user = await this.usersService.verifyCredentials(input.loginIdentifier, input.password);
    if (!user) {
      throw AuthErrors.invalidCredentials();
    }
    const allowed = input.type === LoginType.Admins ? STAFF_ROLES : MARKETPLACE_ROLES;
    if (!allowed.includes(user.role)) {
      throw AuthErrors.roleNotAllowed(input.type);
    }
    if (user.bannedAt) {
      throw AuthErrors.accountBanned(user.banReason, user.bannedAt);
    }
    return this.sessionFor(user);
  }

  async logout(user: AuthUser): Promise<void> {
    await this.tokenService.revoke(user);
    await this.events.publish(new TokenRevokedEvent(user.id, user.tokenId));
  }

  /**
   * Answers at once, the same way whether or not the email has an account: the lookup and the
   * email happen after the answer, so neither the body nor the timing tells.
   */
  async forgotPassword(email: string, ip: string): Promise<void> {
    const limits = this.config.rateLimits;
    const normalized = normalizeEmail(email);
    await this.rateLimits.consume('forgot-ip', limits.forgotPasswordPerIp, ip);
    await this.rateLimits.consume('forgot-email', limits.forgotPasswordPerEmail, normalized);
    setImmediate(() => {
      this.sendResetLink(normalized).catch((error: unknown) =>
        this.logger.error(
          `Could not send a password reset email: ${String(error)}`,
          (error as Error)?.stack,
        ),
      );
    });
  }

  /**
   * Single use: the first request with a token claims it. A link issued before the user's last
   * revoke-all (a password change in the app, another reset, a ban) is refused like an unknown
   * one; the reset itself revokes every token, reset links included.
   */
  async resetPassword(token: string, password: string): Promise<void> {
    const claim = await this.resetTokens.consume(hashToken(token), this.clock.now());
    const state = claim && (await this.usersService.getAuthState(claim.userId));
    if (!claim || !state || issuedBeforeRevokeAll(state, claim.issuedAt.getTime())) {
      throw AuthErrors.invalidResetToken();
    }
    await this.usersService.setPassword(claim.userId, password);
    this.logger.log(`Password reset for user ${claim.userId}`);
  }

  async changePassword(
    user: AuthUser,
    currentPassword: string,
    newPassword: string,
  ): Promise<Session> {
    const updated = await this.usersService.changePassword(user.id, currentPassword, newPassword);
    return this.sessionFor(updated);
  }

  /** Revocations and reset links past their expiry are useless; the cron removes them. */
  async purgeExpiredTokens(): Promise<number> {
    const now = this.clock.now();
    const [revocations, resetLinks] = await Promise.all([
      this.tokenService.purgeExpiredRevocations(now),
      this.resetTokens.deleteExpired(now),
    ]);
    return revocations + resetLinks;
  }

  private async sessionFor(user: UserEntity): Promise<Session> {
    return { accessToken: await this.tokenService.issue(user), user };
  }

  private async sendResetLink(email: string): Promise<void> {
    const user = await this.usersService.findByEmail(email);
    if (!user || user.bannedAt) {
      return;
    }
    const { token, hash } = newToken();
    const ttlMinutes = this.config.passwordResetTtlMinutes;
    const issuedAt = this.clock.now();
    const expiresAt = new Date(issuedAt.getTime() + ttlMinutes * 60_000);
    await this.resetTokens.replaceForUser({
      userId: user.id,
      tokenHash: hash,
      issuedAt,
      expiresAt,
    });
    await this.mailService.send(
      passwordResetMail({
        to: user.email,
        firstName: user.firstName,
        link: this.mailService.link('/reset-password', { token }),
        token,
        ttlMinutes,
      }),
    );
  }
}
