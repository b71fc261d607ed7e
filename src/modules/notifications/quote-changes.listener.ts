import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import type { AllConfig } from '../../config/config.js';
import { JobUpdatedEvent } from '../jobs/events/job-updated.event.js';
import { JobsService } from '../jobs/jobs.service.js';
import { QuoteConfirmedEvent } from '../quotes/events/quote-confirmed.event.js';
import { QuoteWithdrawnEvent } from '../quotes/events/quote-withdrawn.event.js';
import { QuotesService } from '../quotes/quotes.service.js';
import { UsersService } from '../users/users.service.js';
import { NotificationsService } from './notifications.service.js';

/**
 * Who hears of a quote's standing changing under it (API.md "Quotes"): a material edit of the
 * job → every craftsman with a pending quote on it (`job.updated`, stored and on the socket); a
 * confirmation → the client (`quote.confirmed`); a withdrawal (a ban) → the client. Beside
 * NotificationsListener, in its style: failures are logged, never undo the change.
 */
@Injectable()
export class QuoteChangesListener {
  private readonly logger = new Logger(QuoteChangesListener.name);
  private readonly enabled: boolean;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly usersService: UsersService,
    private readonly jobsService: JobsService,
    private readonly quotesService: QuotesService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.enabled = config.get('notifications', { infer: true }).enabled;
  }

  /** Once per craftsman and edition, however often the event comes. */
  @OnEvent(JobUpdatedEvent.eventName)
  async onJobUpdated(event: JobUpdatedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const job = await this.jobsService.getById(event.jobId);
      for (const craftsmanId of await this.quotesService.craftsmenWithPendingQuotes(event.jobId)) {
        await this.notifications.notify({
          recipientId: craftsmanId,
          type: 'job.updated',
          context: { jobTitle: job.title, fields: event.changedFields },
          data: {
            jobId: event.jobId,
            edition: String(event.edition),
            deepLink: `/jobs/${event.jobId}`,
          },
          dedupeKey: `job.updated:${event.jobId}:${event.edition}:${craftsmanId}`,
        });
        const viewer: AuthUser = {
          id: craftsmanId,
          role: Role.Craftsman,
          tokenId: '',
          tokenExpiresAt: new Date(0),
        };
        this.notifications.live(
          craftsmanId,
          'job.updated',
          await this.jobsService.toResponse(job, viewer),
        );
      }
    });
  }

  @OnEvent(QuoteConfirmedEvent.eventName)
  async onQuoteConfirmed(event: QuoteConfirmedEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const [job, craftsman] = await Promise.all([
        this.jobsService.getById(event.jobId),
        this.usersService.getById(event.craftsmanId),
      ]);
      await this.notifications.notify({
        recipientId: event.clientId,
        type: 'quote.confirmed',
        context: {
          jobTitle: job.title,
          craftsmanName: `${craftsman.firstName} ${craftsman.lastName}`,
          price: event.price,
          previousPrice: event.previousPrice,
        },
        data: {
          jobId: event.jobId,
          quoteId: event.quoteId,
          deepLink: `/jobs/${event.jobId}/quotes`,
        },
      });
      const [quote] = await this.quotesService.toResponses([
        await this.quotesService.getById(event.quoteId),
      ]);
      this.notifications.live(event.clientId, 'quote.confirmed', quote);
    });
  }

  @OnEvent(QuoteWithdrawnEvent.eventName)
  async onQuoteWithdrawn(event: QuoteWithdrawnEvent): Promise<void> {
    await this.safely(event.eventName, async () => {
      const [job, craftsman] = await Promise.all([
        this.jobsService.getById(event.jobId),
        this.usersService.getById(event.craftsmanId),
      ]);
      await this.notifications.notify({
        recipientId: event.clientId,
        type: 'quote.withdrawn',
        context: {
          jobTitle: job.title,
          craftsmanName: `${craftsman.firstName} ${craftsman.lastName}`,
          reason: event.reason.replace(/_/g, ' '),
        },
        data: {
          jobId: event.jobId,
          quoteId: event.quoteId,
          deepLink: `/jobs/${event.jobId}/quotes`,
        },
        dedupeKey: `quote.withdrawn:${event.quoteId}`,
      });
    });
  }

  private async safely(eventName: string, work: () => Promise<unknown>): Promise<void> {
    if (!this.enabled) {
      return;
    }
    try {
      await work();
    } catch (error) {
      this.logger.error(`Notifying ${eventName} failed: ${String(error)}`, (error as Error)?.stack);
    }
  }
}
