import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../common/clock/clock.js';
import { MailService } from '../../common/mail/mail.service.js';
import type { AllConfig } from '../../config/config.js';
import type { NotificationsConfig } from '../../config/notifications.config.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { PushSender } from './push/push.sender.js';
import {
  DeliveryChannel,
  type DeliveryEntity,
  type EmailPayload,
  type PushPayload,
} from './schemas/delivery.schema.js';

/** Deliveries sent at once by one instance. */
const CONCURRENCY = 4;

/**
 * Sends the push and email deliveries: each is claimed with an atomic lease, so that two
 * instances never send one at the same time, and one a crashed instance held is taken again
 * when its lease ends. A failure is retried with exponential backoff, up to
 * DELIVERY_MAX_ATTEMPTS, then the delivery is marked failed with the last error.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private readonly owner = randomUUID();
  private readonly config: NotificationsConfig;
  private timer?: NodeJS.Timeout;
  /** The workers running now, at most CONCURRENCY. */
  private readonly workers = new Set<Promise<void>>();
  /** A kick came while every worker was busy: one of them may already have looked and left. */
  private kickedWhileFull = false;
  private stopped = false;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly mailService: MailService,
    private readonly pushSender: PushSender,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('notifications', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.pollMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.idle();
  }

  /**
   * Sends whatever is due; called for new deliveries and on every poll. Brings the workers up
   * to CONCURRENCY, so that a backlog that arrives one delivery at a time is still sent
   * CONCURRENCY at once.
   */
  kick(): void {
    if (this.stopped) {
      return;
    }
    if (this.workers.size >= CONCURRENCY) {
      this.kickedWhileFull = true;
      return;
    }
    while (this.workers.size < CONCURRENCY) {
      const worker: Promise<void> = this.work().finally(() => {
        this.workers.delete(worker);
        if (this.kickedWhileFull) {
          this.kickedWhileFull = false;
          this.kick();
        }
      });
      this.workers.add(worker);
    }
  }

  /** Resolves when nothing more is due right now (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.workers.size > 0) {
      await Promise.all([...this.workers]);
    }
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      let delivery: DeliveryEntity | null;
      try {
        delivery = await this.deliveries.claimNext(
          this.owner,
          this.clock.now(),
          this.config.leaseMs,
        );
      } catch (error) {
        this.logger.warn(`Could not claim deliveries: ${String(error)}`);
        return;
      }
      if (!delivery) {
        return;
      }
      await this.deliver(delivery);
    }
  }

  private async deliver(delivery: DeliveryEntity): Promise<void> {
    try {
      if (delivery.channel === DeliveryChannel.Email) {
        const email = delivery.payload as unknown as EmailPayload;
        await this.mailService.send(email);
        await this.deliveries.markSent(delivery.id, this.owner, this.clock.now(), {
          to: email.to,
          subject: email.subject,
        });
      } else {
        await this.pushSender.send(delivery.recipient!, delivery.payload as unknown as PushPayload);
        await this.deliveries.markSent(delivery.id, this.owner, this.clock.now(), delivery.payload);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryAt =
        delivery.attempts >= this.config.maxAttempts
          ? null
          : new Date(this.clock.now().getTime() + this.backoffMs(delivery.attempts));
      this.logger.warn(
        `Delivery ${delivery.id} (${delivery.channel}) attempt ${delivery.attempts} failed: ${message}; ` +
          (retryAt ? `retrying at ${retryAt.toISOString()}` : 'giving up'),
      );
      await this.deliveries
        .markFailedAttempt(delivery.id, this.owner, { error: message, retryAt })
        .catch((markError: unknown) =>
          this.logger.error(`Could not record the failure: ${String(markError)}`),
        );
    }
  }

  private backoffMs(attempts: number): number {
    return Math.min(this.config.backoffMaxMs, this.config.backoffBaseMs * 2 ** (attempts - 1));
  }
}
