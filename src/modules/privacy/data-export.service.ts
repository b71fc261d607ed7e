import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Clock } from '../../common/clock/clock.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { DisputesService } from '../disputes/disputes.service.js';
import { UploadsService } from '../files/uploads.service.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { PaymentsService } from '../money/payments/payments.service.js';
import { WalletService } from '../money/wallet/wallet.service.js';
import { WithdrawalsService } from '../money/wallet/withdrawals.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { QuotesService } from '../quotes/quotes.service.js';
import { ReviewsService } from '../reviews/reviews.service.js';
import { UsersService } from '../users/users.service.js';
import { DataExportMapper as map } from './data-export.mapper.js';
import type { DataExportResponseDto, ExportWalletDto } from './dto/data-export-response.dto.js';

/**
 * `GET /users/me/export`: all personal data the service holds about the caller (API.md "Privacy
 * and contact"), gathered from every module that keeps some, in one JSON document. What each
 * record shows is DataExportMapper's: his own data in full, other people by id (and by name in
 * his conversations), no secrets.
 */
@Injectable()
export class DataExportService {
  constructor(
    private readonly usersService: UsersService,
    private readonly jobsService: JobsService,
    private readonly quotesService: QuotesService,
    private readonly invitationsService: InvitationsService,
    private readonly conversationsService: ConversationsService,
    private readonly reviewsService: ReviewsService,
    private readonly disputesService: DisputesService,
    private readonly walletService: WalletService,
    private readonly withdrawalsService: WithdrawalsService,
    private readonly paymentsService: PaymentsService,
    private readonly notificationsService: NotificationsService,
    private readonly uploadsService: UploadsService,
    private readonly clock: Clock,
  ) {}

  /** Everything about `viewer`, read now. Throws NOT_FOUND when his account is gone. */
  async exportFor(viewer: AuthUser): Promise<DataExportResponseDto> {
    const craftsman = viewer.role === Role.Craftsman;
    const [
      user,
      jobs,
      quotes,
      invitations,
      chats,
      reviews,
      disputes,
      wallet,
      payments,
      inbox,
      uploads,
    ] = await Promise.all([
      this.usersService.getById(viewer.id),
      this.jobsService.allOfParty(viewer.id),
      craftsman ? this.quotesService.allOfCraftsman(viewer.id) : [],
      this.invitationsService.allOfUser(viewer.id),
      this.conversationsService.allOfUser(viewer),
      this.reviewsService.allByOrAbout(viewer.id),
      this.disputesService.allOfParty(viewer.id),
      craftsman ? this.walletOf(viewer.id) : null,
      this.paymentsService.allOfUser(viewer.id),
      this.notificationsService.allOf(viewer.id),
      this.uploadsService.listOwnedBy(viewer.id),
    ]);
    const counterparts = await this.usersService.getSummaries(
      chats.conversations.flatMap((conversation) => [conversation.client, conversation.craftsman]),
    );
    return {
      exportedAt: this.clock.now(),
      profile: map.profile(user),
      deletion: user.deletion
        ? { requestedAt: user.deletion.requestedAt, scheduledFor: user.deletion.scheduledFor }
        : null,
      jobs: jobs.map((job) => map.job(job, viewer.id)),
      quotes: quotes.map((quote) => map.quote(quote)),
      invitations: invitations.map((invitation) => map.invitation(invitation, viewer.id)),
      conversations: map.conversations(
        chats.conversations,
        chats.messages,
        counterparts,
        viewer.id,
      ),
      reviews: reviews.map((review) => map.review(review, viewer)),
      disputes: disputes.map((dispute) => map.dispute(dispute, viewer.id)),
      wallet,
      payments: payments.map((payment) => map.payment(payment, viewer)),
      notifications: inbox.notifications.map((notification) => map.notification(notification)),
      devices: inbox.devices.map((device) => map.device(device)),
      uploads: uploads.map(({ id, purpose, contentType, size, url, createdAt }) => ({
        id,
        purpose,
        contentType,
        size,
        url,
        createdAt,
      })),
    };
  }

  private async walletOf(craftsmanId: string): Promise<ExportWalletDto> {
    const [balance, transactions, withdrawals] = await Promise.all([
      this.walletService.balance(craftsmanId),
      this.walletService.allTransactionsOf(craftsmanId),
      this.withdrawalsService.allOf(craftsmanId),
    ]);
    return {
      balance,
      transactions,
      withdrawals: withdrawals.map((withdrawal) => map.withdrawal(withdrawal)),
    };
  }
}
