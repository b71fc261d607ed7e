import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Clock } from '../../common/clock/clock.js';
import { MailService } from '../../common/mail/mail.service.js';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service.js';
import { hashToken, newToken } from '../../common/security/tokens.js';
import type { AuthConfig } from '../../config/auth.config.js';
import type { AllConfig } from '../../config/config.js';
import { InvitationClaimsService } from '../invitations/invitation-claims.service.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import { UsersService } from '../users/users.service.js';
import { AuthErrors } from './auth.errors.js';
import { EmailVerificationTokensRepository } from './email-verification-tokens.repository.js';
import { emailVerificationMail } from './mail/email-verification.mail.js';

/**
 * Proof that a user reads mail at his address: a single-use emailed link (only its hash is
 * stored), good for EMAIL_VERIFICATION_TTL. A verified craftsman takes over the pending
 * email invitations to his address.
 */
@Injectable()
export class EmailVerificationService {
  private readonly logger = new Logger(EmailVerificationService.name);
  private readonly config: AuthConfig;

  constructor(
    private readonly usersService: UsersService,
    private readonly claims: InvitationClaimsService,
    private readonly tokens: EmailVerificationTokensRepository,
    private readonly rateLimits: RateLimitService,
    private readonly mailService: MailService,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('auth', { infer: true });
  }

  /**
   * Emails a new link (older unused ones stop working). Never throws: a mail that could not go
   * out is logged, and the user can ask again (POST /auth/resend-verification).
   */
  async sendLink(user: UserEntity): Promise<void> {
    try {
      const { token, hash } = newToken();
      const expiresAt = new Date(this.clock.now().getTime() + this.config.emailVerificationTtlMs);
      await this.tokens.replaceForUser({
        userId: user.id,
        email: user.email,
        tokenHash: hash,
        expiresAt,
      });
      await this.mailService.send(
        emailVerificationMail({
          to: user.email,
          firstName: user.firstName,
          link: this.mailService.link('/verify-email', { token }),
          token,
          ttlMs: this.config.emailVerificationTtlMs,
        }),
      );
    } catch (error) {
      this.logger.error(
        `Could not send the verification email of user ${user.id}: ${String(error)}`,
        (error as Error)?.stack,
      );
    }
  }

  /**
   * Single use; INVALID_TOKEN when unknown, expired, used, or for an address that is no longer
   * the account's. A craftsman then takes over the pending invitations to the address.
   */
  async verify(token: string): Promise<UserEntity> {
    const proof = await this.tokens.consume(hashToken(token), this.clock.now());
    const user = proof && (await this.usersService.markEmailVerified(proof.userId, proof.email));
    if (!user) {
      throw AuthErrors.invalidVerificationToken();
    }
    if (user.role === Role.Craftsman) {
      await this.claims.claimForVerifiedEmail(user);
    }
    this.logger.log(`Email verified for user ${user.id}`);
    return user;
  }

  /**
   * Another link for the signed-in user, RESEND_VERIFICATION_RATE_LIMIT_PER_USER times per
   * window (429 RATE_LIMITED). Answers whether one was sent: not when already verified.
   */
  async resend(viewer: AuthUser): Promise<boolean> {
    await this.rateLimits.consume(
      'resend-verification',
      this.config.rateLimits.resendVerificationPerUser,
      viewer.id,
      'Too many verification emails asked for, try again later',
    );
    const user = await this.usersService.getById(viewer.id);
    if (user.emailVerified) {
      return false;
    }
    await this.sendLink(user);
    return true;
  }

  /** Forgets the user's verification links (his account is being deleted). */
  forgetUser(userId: string): Promise<number> {
    return this.tokens.deleteAllOf(userId);
  }

  purgeExpired(now: Date): Promise<number> {
    return this.tokens.deleteExpired(now);
  }
}
