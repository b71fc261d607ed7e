import type { AuthUser } from '../../common/auth/auth-user.js';
import type { ConversationEntity } from '../conversations/schemas/conversation.schema.js';
import type { MessageEntity } from '../conversations/schemas/message.schema.js';
import type { DisputeResponseDto } from '../disputes/dto/dispute-response.dto.js';
import { toDisputeResponse } from '../disputes/dispute.mapper.js';
import type { DisputeEntity } from '../disputes/schemas/dispute.schema.js';
import type { InvitationEntity } from '../invitations/schemas/invitation.schema.js';
import type { JobEntity } from '../jobs/schemas/job.schema.js';
import type { PaymentResponseDto } from '../money/payments/dto/payment.dto.js';
import { toPaymentResponse } from '../money/payments/payment.mapper.js';
import type { PaymentEntity } from '../money/payments/schemas/payment.schema.js';
import type { WithdrawalEntity } from '../money/wallet/schemas/withdrawal.schema.js';
import { toWithdrawalResponse } from '../money/wallet/withdrawal.mapper.js';
import type { DeviceTokenEntity } from '../notifications/schemas/device-token.schema.js';
import type { NotificationEntity } from '../notifications/schemas/notification.schema.js';
import type { QuoteEntity } from '../quotes/schemas/quote.schema.js';
import type { ReviewResponseDto } from '../reviews/dto/review-response.dto.js';
import { toReviewResponse } from '../reviews/review.mapper.js';
import type { ReviewEntity } from '../reviews/schemas/review.schema.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import type { UserSummary } from '../users/users.repository.js';
import type {
  ExportConversationDto,
  ExportDeviceDto,
  ExportInvitationDto,
  ExportJobDto,
  ExportNotificationDto,
  ExportProfileDto,
  ExportQuoteDto,
  ExportWithdrawalDto,
} from './dto/data-export-response.dto.js';

/**
 * How each record shows in a person's data export (DataExportResponseDto): what the service
 * holds about him, never a secret (hashes, a payment's client secret, push tokens in full) nor
 * another person's contact details.
 */
export const DataExportMapper = {
  profile(user: UserEntity): ExportProfileDto {
    return {
      ...UserResponseDto.from(user),
      // stored with `:` for `.` (dots are paths to MongoDB)
      notificationPreferences: Object.fromEntries(
        Object.entries(user.notificationPreferences ?? {}).map(([key, channels]) => [
          key.replace(/:/g, '.'),
          channels,
        ]),
      ),
    };
  },

  job(job: JobEntity, userId: string): ExportJobDto {
    return {
      id: job.id,
      as: job.client === userId ? 'client' : 'craftsman',
      client: job.client,
      craftsman: job.craftsman,
      title: job.title,
      description: job.description,
      category: job.category,
      address: job.address,
      location: job.location ? { lat: job.location.lat, lng: job.location.lng } : undefined,
      photos: job.photos,
      paymentType: job.paymentType,
      budget: job.budget,
      jobPrice: job.jobPrice,
      status: job.status,
      hiredAt: job.hiredAt,
      completedAt: job.completedAt,
      statusHistory: job.statusHistory.map(({ from, to, by, at }) => ({ from, to, by, at })),
      createdAt: job.createdAt,
    };
  },

  quote(quote: QuoteEntity): ExportQuoteDto {
    return {
      id: quote.id,
      job: quote.job,
      price: quote.price,
      notes: quote.notes,
      estimatedDays: quote.estimatedDays,
      status: quote.status,
      decidedAt: quote.decidedAt,
      createdAt: quote.createdAt,
    };
  },

  invitation(invitation: InvitationEntity, userId: string): ExportInvitationDto {
    const received = invitation.craftsman === userId;
    return {
      id: invitation.id,
      direction: received ? 'received' : 'sent',
      job: invitation.job,
      client: invitation.client,
      craftsman: invitation.craftsman,
      ...(received ? { inviteeEmail: invitation.inviteeEmail } : {}),
      status: invitation.status,
      message: invitation.message,
      rejectionReason: invitation.rejectionReason,
      rejectionReasonCode: invitation.rejectionReasonCode,
      cancellationReason: invitation.cancellationReason,
      expiresAt: invitation.expiresAt,
      viewedAt: invitation.viewedAt,
      respondedAt: invitation.respondedAt,
      createdAt: invitation.createdAt,
    };
  },

  /** His messages go with their conversation; the other side is named, nothing more. */
  conversations(
    conversations: ConversationEntity[],
    messages: MessageEntity[],
    counterparts: Map<string, UserSummary>,
    userId: string,
  ): ExportConversationDto[] {
    return conversations.map((conversation) => {
      const otherId = conversation.client === userId ? conversation.craftsman : conversation.client;
      const other = counterparts.get(otherId);
      return {
        id: conversation.id,
        with: other ? { id: other.id, firstName: other.firstName, lastName: other.lastName } : null,
        lastActivityAt: conversation.lastActivityAt,
        createdAt: conversation.createdAt,
        messages: messages
          .filter((message) => message.conversation === conversation.id)
          .map(({ id, text, createdAt }) => ({ id, text, createdAt })),
      };
    });
  },

  /** As he sees it in the app, plus the private note of a review he wrote (his own words). */
  review(review: ReviewEntity, viewer: AuthUser): ReviewResponseDto {
    return {
      ...toReviewResponse(review, viewer),
      ...(review.reviewer === viewer.id ? { privateNote: review.privateNote } : {}),
    };
  },

  /** As a party sees it, with only the evidence he submitted, and in it only his messages. */
  dispute(dispute: DisputeEntity, userId: string): DisputeResponseDto {
    const seen = toDisputeResponse(dispute, false);
    return {
      ...seen,
      evidence: seen.evidence
        .filter((item) => item.by === userId)
        .map((item) => ({
          ...item,
          messages: item.messages.filter((message) => message.sender === userId),
        })),
    };
  },

  withdrawal(withdrawal: WithdrawalEntity): ExportWithdrawalDto {
    const { type, accountName, iban, bankCode, msisdn } = withdrawal.destination;
    return {
      ...toWithdrawalResponse(withdrawal),
      payoutDestination: { type, accountName, iban, bankCode, msisdn },
    };
  },

  /** As the payer or payee sees it, without what would pay it (a pending one's secret). */
  payment(payment: PaymentEntity, viewer: AuthUser): PaymentResponseDto {
    const {
      clientSecret: _secret,
      paymentUrl: _url,
      ...shown
    } = toPaymentResponse(payment, viewer);
    return shown;
  },

  /** A chat message's notification quotes the other side's words: only its title stays. */
  notification(notification: NotificationEntity): ExportNotificationDto {
    return {
      id: notification.id,
      type: notification.type,
      title: notification.title,
      message: notification.type === 'message.created' ? '' : notification.message,
      data: notification.data,
      read: notification.read,
      readAt: notification.readAt,
      createdAt: notification.createdAt,
    };
  },

  device(device: DeviceTokenEntity): ExportDeviceDto {
    return {
      platform: device.platform,
      tokenEnd: device.token.slice(-8),
      createdAt: device.createdAt,
    };
  },
};
