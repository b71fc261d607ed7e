import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JobStatusChangedEvent } from '../../jobs/events/job-status-changed.event.js';
import { JobStatus } from '../../jobs/job-status.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { NotificationsGateway } from '../../notifications/notifications.gateway.js';
import { NotificationsService } from '../../notifications/notifications.service.js';
import { CashFeesService } from './cash-fees.service.js';
import { WalletChangedEvent } from './events/wallet-changed.event.js';
import { WalletService } from './wallet.service.js';

/**
 * What money does when things happen: a completed cash job's fee is posted; every change of a
 * craftsman's money is told to him (in-app, push, email by his preferences, and the new balance
 * on his sockets as `wallet.updated`).
 */
@Injectable()
export class WalletListener {
  private readonly logger = new Logger(WalletListener.name);

  constructor(
    private readonly cashFees: CashFeesService,
    private readonly wallet: WalletService,
    private readonly jobsService: JobsService,
    private readonly notifications: NotificationsService,
    private readonly gateway: NotificationsGateway,
  ) {}

  @OnEvent(JobStatusChangedEvent.eventName)
  async onJobStatusChanged(event: JobStatusChangedEvent): Promise<void> {
    if (event.to !== JobStatus.Completed) {
      return;
    }
    const job = await this.jobsService.getById(event.jobId);
    if (job.feeDue) {
      // a failure leaves `feeDue` set: the minute's sweep charges it
      await this.cashFees
        .charge(job)
        .catch((error: unknown) =>
          this.logger.error(`The fee of job ${job.id} was not posted yet: ${String(error)}`),
        );
    }
  }

  @OnEvent(WalletChangedEvent.eventName)
  async onWalletChanged(event: WalletChangedEvent): Promise<void> {
    await this.notifications.notify({
      recipientId: event.craftsmanId,
      type: 'wallet.updated',
      context: { text: event.description },
      data: { deepLink: '/wallet', entryId: event.entryId },
      dedupeKey: `wallet.updated:${event.entryId}`,
    });
    this.gateway.sendToUser(
      event.craftsmanId,
      'wallet.updated',
      await this.wallet.balance(event.craftsmanId),
    );
  }
}
