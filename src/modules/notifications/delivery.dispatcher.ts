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
 * Sends the push and email deliveries. A new delivery is written already held by this instance
 * (a lease) and handed over here (`sendNow`): it is sent without being claimed again. Others are
 * claimed one at a time with an atomic lease by a poll, so that two instances never send one at
 * the same time, and one a crashed instance held is taken again when its lease ends. The poll
 * runs every DELIVERY_POLL_INTERVAL while it finds work, and backs off (doubling, up to
 * DELIVERY_POLL_MAX_INTERVAL) while it finds none: an idle instance barely touches the database.
 * A failure is retried with exponential backoff, up to DELIVERY_MAX_ATTEMPTS, then the delivery
 * is marked failed with the last error; the instance that failed it polls again when it is due.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private readonly owner = randomUUID();
  private readonly config: NotificationsConfig;
  private pollTimer?: NodeJS.Timeout;
  /** When the scheduled poll runs (ms since the epoch, real time). */
  private pollAt = Infinity;
  /** The wait after the next empty poll: DELIVERY_POLL_INTERVAL, doubled per empty poll. */
  private pollDelayMs: number;
  /** Held by this instance since they were written, waiting for a worker. */
  private readonly queue: DeliveryEntity[] = [];
  /** The workers running now, at most CONCURRENCY. */
  private readonly workers = new Set<Promise<void>>();
  /** Workers that claim from the database once the queue is empty (a poll's). */
  private claiming = 0;
  private stopped = false;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly mailService: MailService,
    private readonly pushSender: PushSender,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('notifications', { infer: true });
    this.pollDelayMs = this.config.pollMs;
  }

  /** The owner to write new deliveries with: they are this instance's to send (`sendNow`). */
  get leaseOwner(): string {
    return this.owner;
  }

  onApplicationBootstrap(): void {
    // what a crashed instance (or this one, before a restart) left behind
    this.schedulePoll(0);
  }

  /**
   * Lets the deliveries being sent finish; those still queued are handed back (their lease
   * dropped), so that another instance sends them at its next poll rather than after the lease.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    const unsent = this.queue.splice(0);
    await this.idle();
    if (unsent.length > 0) {
      await this.deliveries
        .release(
          unsent.map((delivery) => delivery.id),
          this.owner,
        )
        .catch((error: unknown) =>
          this.logger.warn(`Could not hand back ${unsent.length} deliveries: ${String(error)}`),
        );
    }
  }

  /**
   * Sends deliveries this instance has just written under its own lease (`leaseOwner`), without
   * claiming them: one command each (marking it sent). A delivery still waiting here when its
   * lease nears its end is left to the poll (another instance may take it by then).
   */
  sendNow(deliveries: DeliveryEntity[]): void {
    if (this.stopped || deliveries.length === 0) {
      return;
    }
    this.queue.push(...deliveries);
    this.startWorkers(false);
  }

  /**
   * Looks for due deliveries now (a poll, started before this returns: `idle()` waits for it),
   * and polls at the shortest interval again.
   */
  kick(): void {
    if (this.stopped) {
      return;
    }
    this.pollDelayMs = this.config.pollMs;
    clearTimeout(this.pollTimer);
    this.pollAt = Infinity;
    this.startWorkers(true);
  }

  /** Resolves when nothing more is due right now (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.workers.size > 0) {
      await Promise.all([...this.workers]);
    }
  }

  /** Runs the poll in `delayMs`, unless one is due sooner. */
  private schedulePoll(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.stopped || at >= this.pollAt) {
      return;
    }
    clearTimeout(this.pollTimer);
    this.pollAt = at;
    this.pollTimer = setTimeout(() => {
      this.pollAt = Infinity;
      this.startWorkers(true);
    }, delayMs);
    this.pollTimer.unref();
  }

  /**
   * Brings the workers up to what there is to do: one per queued delivery, and for a poll one
   * claimer (more once it finds something), up to CONCURRENCY in all.
   */
  private startWorkers(poll: boolean): void {
    if (this.stopped) {
      return;
    }
    if (poll && this.claiming === 0 && this.workers.size < CONCURRENCY) {
      this.claiming += 1;
      this.addWorker(true);
    } else if (poll && this.claiming === 0) {
      // every worker is busy with the queue: look again right after
      this.schedulePoll(this.config.pollMs);
    }
    // a worker takes its first queued delivery before addWorker returns: the queue shrinks
    while (this.queue.length > 0 && this.workers.size < CONCURRENCY) {
      this.addWorker(false);
    }
  }

  private addWorker(claimer: boolean): void {
    const worker: Promise<void> = this.work(claimer).finally(() => {
      this.workers.delete(worker);
      if (claimer) {
        this.claiming -= 1;
      }
      if (this.queue.length > 0) {
        this.startWorkers(false);
      }
    });
    this.workers.add(worker);
  }

  private async work(claimer: boolean): Promise<void> {
    let found = 0;
    while (!this.stopped) {
      const queued = this.nextQueued();
      if (queued) {
        await this.deliver(queued);
        continue;
      }
      if (!claimer) {
        return;
      }
      let delivery: DeliveryEntity | null;
      try {
        delivery = await this.deliveries.claimNext(
          this.owner,
          this.clock.now(),
          this.config.leaseMs,
        );
      } catch (error) {
        this.logger.warn(`Could not claim deliveries: ${String(error)}`);
        delivery = null;
      }
      if (!delivery) {
        break;
      }
      found += 1;
      if (found === 1) {
        // a backlog: claim with every free worker
        this.claimWithFreeWorkers();
      }
      await this.deliver(delivery);
    }
    this.pollDelayMs =
      found > 0
        ? this.config.pollMs
        : Math.min(this.pollDelayMs * 2, Math.max(this.config.pollMs, this.config.pollMaxMs));
    this.schedulePoll(found > 0 ? this.config.pollMs : this.pollDelayMs);
  }

  private claimWithFreeWorkers(): void {
    while (this.workers.size < CONCURRENCY) {
      this.claiming += 1;
      this.addWorker(true);
    }
  }

  /** The next queued delivery whose lease leaves time to send it (see `sendNow`). */
  private nextQueued(): DeliveryEntity | null {
    const now = this.clock.now().getTime();
    for (let delivery = this.queue.shift(); delivery; delivery = this.queue.shift()) {
      const leaseLeft = (delivery.leaseUntil?.getTime() ?? 0) - now;
      if (leaseLeft > this.config.leaseMs / 2) {
        return delivery;
      }
      this.schedulePoll(Math.max(0, leaseLeft));
    }
    return null;
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
      if (retryAt) {
        this.pollDelayMs = this.config.pollMs;
        this.schedulePoll(Math.max(0, retryAt.getTime() - this.clock.now().getTime()));
      }
    }
  }

  private backoffMs(attempts: number): number {
    return Math.min(this.config.backoffMaxMs, this.config.backoffBaseMs * 2 ** (attempts - 1));
  }
}
