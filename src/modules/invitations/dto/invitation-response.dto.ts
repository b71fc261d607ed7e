import { UserSummaryDto } from '../../users/dto/user-summary.dto.js';
import { JobSummaryDto } from '../../jobs/dto/job-summary.dto.js';
import {
  InvitationAction,
  InvitationSource,
  InvitationStatus,
  RejectionReasonCode,
} from '../invitation-status.js';

export class InvitationHistoryEntryDto {
  action!: InvitationAction;
  /** Who did it; null for the marketplace (expiry, reminders, a hired or cancelled job). */
  by!: string | null;
  at!: Date;
}

export class InvitationResponseDto {
  id!: string;
  job!: JobSummaryDto | null;
  client!: UserSummaryDto | null;
  /** Null while the invitee is an email address nobody has registered with. */
  craftsman!: UserSummaryDto | null;
  inviteeEmail!: string | null;
  /** A pending invitation past `expiresAt` shows as expired, swept or not. */
  status!: InvitationStatus;
  source!: InvitationSource;
  message!: string;
  rejectionReason!: string | null;
  rejectionReasonCode!: RejectionReasonCode | null;
  expiresAt!: Date;
  viewedAt!: Date | null;
  respondedAt!: Date | null;
  history!: InvitationHistoryEntryDto[];
  createdAt!: Date;
  updatedAt!: Date;
}

export class AcceptedInvitationResponseDto {
  invitation!: InvitationResponseDto;
  /** The client–craftsman conversation, created or reused. */
  conversationId!: string;
}

export class InvitationPreviewDto {
  jobTitle!: string;
  category!: string;
  clientFirstName!: string;
  status!: InvitationStatus;
  expiresAt!: Date;
  /** True when the invitee must register (as a craftsman, with this token) before accepting. */
  registrationRequired!: boolean;
}

export class RejectedByReasonDto {
  total!: number;
  /** Counts per reason code (`unspecified` when none was given). */
  byReason!: Record<string, number>;
}

export class InvitationStatsDto {
  sent!: number;
  viewed!: number;
  accepted!: number;
  rejected!: RejectedByReasonDto;
  cancelled!: number;
  expired!: number;
  /** Invited craftsmen who quoted the job. */
  quoted!: number;
  /** 1 when the hired craftsman was an invited one. */
  hired!: number;
}
