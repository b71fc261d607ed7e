import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { MARKETPLACE_ROLES, Role, STAFF_ROLES } from '../../common/auth/role.js';
import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { InvitationClaimsService } from '../invitations/invitation-claims.service.js';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { MailService } from '../../common/mail/mail.service.js';
import { addressKeyOf } from '../../common/rate-limit/address-key.js';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service.js';
import { hashToken, newToken } from '../../common/security/tokens.js';
import type { AuthConfig } from '../../config/auth.config.js';
import type { AllConfig } from '../../config/config.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import { normalizeEmail, UsersService } from '../users/users.service.js';
import { AuthErrors } from './auth.errors.js';
import type { LoginDto } from './dto/login.dto.js';
import { LoginType } from './dto/login.dto.js';
import type { RegisterDto } from './dto/register.dto.js';
import { EmailVerificationService } from './email-verification.service.js';
import { TokenRevokedEvent } from './events/token-revoked.event.js';
import { passwordResetMail } from './mail/password-reset.mail.js';
import { PasswordResetTokensRepository } from './password-reset-tokens.repository.js';
import { issuedBeforeRevokeAll, TokenService } from './token.service.js';

export interface Session {
  accessToken: string;
  user: UserEntity;
}

/** The key an account's sign-in failures are counted under. */
const accountKeyOfUser = (userId: string) => `user:${userId}`;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly config: AuthConfig;

  constructor(
    private readonly usersService: UsersService,
    private readonly invitationClaims: InvitationClaimsService,
    private readonly emailVerification: EmailVerificationService,
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

  /**
   * Emails a verification link. A craftsman signing up with an email invitation's token becomes
   * its invitee (see RegisterDto); the other invitations to his address wait until he verifies it.
   * Limited per client address (429 RATE_LIMITED): EMAIL_TAKEN and PHONE_TAKEN tell who has an
   * account.
   */
  async register(input: RegisterDto, ip: string): Promise<Session> {
    await this.rateLimits.consume(
      'register-ip',
      this.config.rateLimits.registerPerIp,
      addressKeyOf(ip),
      'Too many sign-ups from this address, try again later',
    );
    const { inviteToken, ...account } = input;
    if (inviteToken) {
      if (account.role !== Role.Craftsman) {
        throw CommonErrors.validation([
          { field: 'inviteToken', message: 'only craftsmen sign up with an invitation' },
        ]);
      }
      await this.invitationClaims.assertInviteToken(inviteToken);
    }
    const user = await this.usersService.register(account);
    await this.emailVerification.sendLink(user);
    if (inviteToken) {
      await this.invitationClaims.claimByToken(user.id, inviteToken);
    }
    return this.sessionFor(user);
  }

  /**
   * Failed attempts are limited per address, per account from one address, and per account from
   * anywhere (a higher limit, against distributed guessing): someone failing from elsewhere does
   * not lock the owner out. A correct password gives back its attempts and starts the
   * account's count from that address afresh. The ban is only told to someone who knows the
   * password, and an unknown account costs as much time as a wrong password.
   */
  async login(input: LoginDto, ip: string): Promise<Session> {
    const limits = this.config.rateLimits;
    const address = addressKeyOf(ip);
    await this.rateLimits.consume(
      'login-ip',
      limits.loginPerIp,
      address,
      'Too many sign-in attempts from this address, try again later',
    );
    const account = await this.accountKeyOf(input.loginIdentifier);
    const tooManyForAccount = 'Too many sign-in attempts for this account, try again later';
    await this.rateLimits.consume(
      'login-account',
      limits.loginPerAccount,
      account,
      tooManyForAccount,
    );
    await this.rateLimits.consume(
      'login-identifier',
      limits.loginPerIdentifier,
      `${account}|${address}`,
      tooManyForAccount,
    );
    const user = await this.usersService.verifyCredentials(input.loginIdentifier, input.password);
    if (!user) {
      throw AuthErrors.invalidCredentials();
    }
    await Promise.all([
      this.rateLimits.refund('login-ip', limits.loginPerIp, address),
      this.rateLimits.refund('login-account', limits.loginPerAccount, account),
      this.rateLimits.reset('login-identifier', limits.loginPerIdentifier, `${account}|${address}`),
    ]);
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
    await this.rateLimits.consume('forgot-ip', limits.forgotPasswordPerIp, addressKeyOf(ip));
    // per address only, not per address and IP: it keeps anyone from flooding the mailbox, and
    // locks no owner out, since the links the requests sent are in his mailbox
    await this.rateLimits.consume(
      'forgot-email',
      limits.forgotPasswordPerEmail,
      normalized,
      'Reset links for this address were sent recently: use the newest one, or try again later',
    );
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

  /**
   * A wrong current password counts against the account's sign-in failures
   * (LOGIN_RATE_LIMIT_PER_ACCOUNT, 429 past it): whoever holds a token must not guess the
   * password at will to take the account over.
   */
  async changePassword(
    user: AuthUser,
    currentPassword: string,
    newPassword: string,
  ): Promise<Session> {
    const limit = this.config.rateLimits.loginPerAccount;
    const account = accountKeyOfUser(user.id);
    await this.rateLimits.consume(
      'login-account',
      limit,
      account,
      'Too many wrong passwords for this account, try again later',
    );
    let updated: UserEntity;
    try {
      updated = await this.usersService.changePassword(user.id, currentPassword, newPassword);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.WrongCurrentPassword)) {
        await this.rateLimits.refund('login-account', limit, account);
      }
      throw error;
    }
    await this.rateLimits.refund('login-account', limit, account);
    return this.sessionFor(updated);
  }

  /**
   * Forgets the user's single-use links (password reset, email verification, with the address
   * each was sent to): his account is being deleted. His access tokens die with the account's
   * `tokensValidAfter`. Idempotent.
   */
  async forgetUser(userId: string): Promise<void> {
    await Promise.all([
      this.resetTokens.deleteAllOf(userId),
      this.emailVerification.forgetUser(userId),
    ]);
  }

  /** Revocations and reset links past their expiry are useless; the cron removes them. */
  async purgeExpiredTokens(): Promise<number> {
    const now = this.clock.now();
    const [revocations, resetLinks, verificationLinks] = await Promise.all([
      this.tokenService.purgeExpiredRevocations(now),
      this.resetTokens.deleteExpired(now),
      this.emailVerification.purgeExpired(now),
    ]);
    return revocations + resetLinks + verificationLinks;
  }

  /**
   * Whom sign-in attempts count against: the account (its email and its phone are one), or the
   * normalized identifier when it names nobody.
   */
  private async accountKeyOf(loginIdentifier: string): Promise<string> {
    // one spelling per account however it was typed (010..., +20 10..., full-width letters)
    const key = this.usersService.loginKeyOf(loginIdentifier);
    const user = key ? await this.usersService.findByLoginKey(key) : null;
    if (user) {
      return accountKeyOfUser(user.id);
    }
    if (!key) {
      return `unknown:${loginIdentifier}`;
    }
    return 'email' in key ? `email:${key.email}` : `phone:${key.phone}`;
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
    const issuedAt = this.clock.now();
    const expiresAt = new Date(issuedAt.getTime() + this.config.passwordResetTtlMs);
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
        ttlMs: this.config.passwordResetTtlMs,
      }),
    );
  }
}
