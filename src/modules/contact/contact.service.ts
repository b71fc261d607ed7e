import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../common/clock/clock.js';
import { addressKeyOf } from '../../common/rate-limit/address-key.js';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service.js';
import type { AllConfig } from '../../config/config.js';
import type { PrivacyConfig } from '../../config/files.config.js';
import { DeliveriesRepository } from '../notifications/deliveries.repository.js';
import { DeliveryDispatcher } from '../notifications/delivery.dispatcher.js';
import { DeliveryChannel } from '../notifications/schemas/delivery.schema.js';
import { type ContactMessage, contactMessageMail } from './mail/contact-message.mail.js';

/** The names the contact form's limits are counted under (RateLimitService). */
export const CONTACT_RATE_LIMITS = { perIp: 'contact-ip', perEmail: 'contact-email' } as const;

/** The website's contact form (API.md "Privacy and contact"). */
@Injectable()
export class ContactService {
  private readonly logger = new Logger(ContactService.name);
  private readonly config: PrivacyConfig;
  private readonly leaseMs: number;

  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly deliveries: DeliveriesRepository,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('privacy', { infer: true });
    this.leaseMs = config.get('notifications', { infer: true }).leaseMs;
  }

  /**
   * Queues the message as an email delivery to SUPPORT_EMAIL (Reply-To the sender), sent at once
   * and retried like every delivery. Limited per client address (CONTACT_RATE_LIMIT_PER_IP) and
   * per sender address (CONTACT_RATE_LIMIT_PER_EMAIL), so that the form can flood neither
   * support's mailbox nor, through support's answers, anyone else's.
   *
   * @throws DomainError RATE_LIMITED (429, `details.retryAfterSeconds`)
   */
  async sendToSupport(message: ContactMessage, ip: string): Promise<void> {
    await this.rateLimits.consume(
      CONTACT_RATE_LIMITS.perIp,
      this.config.contactPerIp,
      addressKeyOf(ip),
    );
    await this.rateLimits.consume(
      CONTACT_RATE_LIMITS.perEmail,
      this.config.contactPerEmail,
      message.email,
      'Several messages came from this address recently: try again later',
    );
    const now = this.clock.now();
    const [delivery] = await this.deliveries.createMany(
      [
        {
          notification: null,
          recipient: null,
          channel: DeliveryChannel.Email,
          payload: { ...contactMessageMail(this.config.supportEmail, message) },
        },
      ],
      now,
      { owner: this.dispatcher.leaseOwner, until: new Date(now.getTime() + this.leaseMs) },
    );
    this.dispatcher.sendNow([delivery]);
    // neither the sender's address nor the message: the log keeps no personal data
    this.logger.log(`Contact message queued for support (delivery ${delivery.id})`);
  }
}
