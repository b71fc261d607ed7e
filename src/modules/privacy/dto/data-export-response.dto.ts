import { ApiProperty } from '@nestjs/swagger';
import { GeoPointDto } from '../../../common/geo/geo-point.dto.js';
import { DisputeResponseDto } from '../../disputes/dto/dispute-response.dto.js';
import { UploadPurpose } from '../../files/schemas/upload.schema.js';
import {
  CancellationReason,
  InvitationStatus,
  RejectionReasonCode,
} from '../../invitations/invitation-status.js';
import { JobStatus, PaymentType } from '../../jobs/job-status.js';
import { PaymentResponseDto } from '../../money/payments/dto/payment.dto.js';
import { WalletBalanceResponseDto } from '../../money/wallet/dto/wallet-balance-response.dto.js';
import { WalletTransactionResponseDto } from '../../money/wallet/dto/wallet-transaction.dto.js';
import {
  PayoutDestinationDto,
  WithdrawalResponseDto,
} from '../../money/wallet/dto/withdrawal.dto.js';
import { DevicePlatform } from '../../notifications/schemas/device-token.schema.js';
import { QuoteStatus } from '../../quotes/schemas/quote.schema.js';
import { ReviewResponseDto } from '../../reviews/dto/review-response.dto.js';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';

/** The account as its owner sees it, with what else the account document holds about him. */
export class ExportProfileDto extends UserResponseDto {
  /** His notification channels per event type, as he chose them (types not listed: all on). */
  notificationPreferences!: Record<string, { inApp: boolean; push: boolean; email: boolean }>;
}

/** A deletion he asked for and has not happened yet. */
export class ExportDeletionDto {
  requestedAt!: Date;
  scheduledFor!: Date;
}

export class ExportStatusChangeDto {
  @ApiProperty({ enum: JobStatus, required: false })
  from?: JobStatus;
  @ApiProperty({ enum: JobStatus })
  to!: JobStatus;
  /** Who moved it (a user id); null when the marketplace did. */
  by!: string | null;
  at!: Date;
}

/** A job he posted (`as: client`) or was hired for (`as: craftsman`). */
export class ExportJobDto {
  id!: string;
  as!: 'client' | 'craftsman';
  /** The client's and the hired craftsman's user ids. */
  client!: string;
  craftsman!: string | null;
  title!: string;
  description!: string;
  category!: string;
  address?: string;
  location?: GeoPointDto;
  photos!: string[];
  @ApiProperty({ enum: PaymentType })
  paymentType!: PaymentType;
  /** Piastres. */
  budget?: number;
  /** The accepted quote's price, piastres. */
  jobPrice?: number;
  @ApiProperty({ enum: JobStatus })
  status!: JobStatus;
  hiredAt?: Date;
  completedAt!: Date | null;
  statusHistory!: ExportStatusChangeDto[];
  createdAt!: Date;
}

/** A quote he (a craftsman) made. */
export class ExportQuoteDto {
  id!: string;
  job!: string;
  /** Piastres. */
  price!: number;
  notes!: string;
  estimatedDays?: number;
  @ApiProperty({ enum: QuoteStatus })
  status!: QuoteStatus;
  decidedAt?: Date;
  createdAt!: Date;
}

/** An invitation he sent (as client) or received (as craftsman). */
export class ExportInvitationDto {
  id!: string;
  direction!: 'sent' | 'received';
  job!: string;
  client!: string;
  craftsman!: string | null;
  /**
   * Received ones only: the address he was invited at before he registered. (The addresses a
   * client invited are other people's: not exported.)
   */
  inviteeEmail?: string | null;
  @ApiProperty({ enum: InvitationStatus })
  status!: InvitationStatus;
  message!: string;
  rejectionReason!: string | null;
  @ApiProperty({ enum: RejectionReasonCode, nullable: true })
  rejectionReasonCode!: RejectionReasonCode | null;
  @ApiProperty({ enum: CancellationReason, nullable: true })
  cancellationReason!: CancellationReason | null;
  expiresAt!: Date;
  viewedAt!: Date | null;
  respondedAt!: Date | null;
  createdAt!: Date;
}

/** The other side of a conversation: who he talked with, by name only. */
export class ExportCounterpartDto {
  id!: string;
  firstName!: string;
  lastName!: string;
}

/** A message he wrote. */
export class ExportMessageDto {
  id!: string;
  text!: string;
  createdAt!: Date;
}

/** A conversation of his, with his own messages (the other side's are that person's data). */
export class ExportConversationDto {
  id!: string;
  with!: ExportCounterpartDto | null;
  lastActivityAt!: Date;
  createdAt!: Date;
  messages!: ExportMessageDto[];
}

/** A withdrawal of his, with the destination in full (it is his own account or wallet). */
export class ExportWithdrawalDto extends WithdrawalResponseDto {
  payoutDestination!: PayoutDestinationDto;
}

/** A craftsman's wallet: balances, every posted movement (ledger entries), his withdrawals. */
export class ExportWalletDto {
  balance!: WalletBalanceResponseDto;
  transactions!: WalletTransactionResponseDto[];
  withdrawals!: ExportWithdrawalDto[];
}

export class ExportNotificationDto {
  id!: string;
  /** The event's name: `invitation.created`, `quote.submitted`, ... */
  type!: string;
  title!: string;
  /** Empty for `message.created`: that text is the other side's words (see the conversation). */
  message!: string;
  /** Ids of what it is about, and `deepLink`. */
  data!: Record<string, unknown>;
  read!: boolean;
  readAt!: Date | null;
  createdAt!: Date;
}

/** A device registered for push (the token's end only: enough to recognise it). */
export class ExportDeviceDto {
  @ApiProperty({ enum: DevicePlatform })
  platform!: DevicePlatform;
  /** The last 8 characters of its push token. */
  tokenEnd!: string;
  createdAt!: Date;
}

/** A file he uploaded: what it is (the bytes are at its URL, or `GET /uploads/:id/content`). */
export class ExportUploadDto {
  id!: string;
  @ApiProperty({ enum: UploadPurpose })
  purpose!: UploadPurpose;
  contentType!: string;
  /** Bytes. */
  size!: number;
  @ApiProperty({ type: String, nullable: true })
  url!: string | null;
  createdAt!: Date;
}

/**
 * `GET /users/me/export`: all personal data the service holds about the caller (API.md "Privacy
 * and contact"), as JSON. Never a password or token hash, a payment's client secret, or
 * another person's contact details: other people appear by id, and by name in conversations.
 * Amounts are integer piastres.
 */
export class DataExportResponseDto {
  exportedAt!: Date;
  profile!: ExportProfileDto;
  deletion!: ExportDeletionDto | null;
  jobs!: ExportJobDto[];
  /** Craftsmen. */
  quotes!: ExportQuoteDto[];
  invitations!: ExportInvitationDto[];
  conversations!: ExportConversationDto[];
  /** The reviews he wrote (with his private note to staff) and the published ones about him. */
  reviews!: ReviewResponseDto[];
  /** The disputes he is a party to, with the evidence he submitted. */
  disputes!: DisputeResponseDto[];
  /** Craftsmen; null for clients. */
  wallet!: ExportWalletDto | null;
  /** Payments he made or was paid. */
  payments!: PaymentResponseDto[];
  notifications!: ExportNotificationDto[];
  devices!: ExportDeviceDto[];
  uploads!: ExportUploadDto[];
}
