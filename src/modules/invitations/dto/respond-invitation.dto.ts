import { IsEnum, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { InvitationStatus, RejectionReasonCode } from '../invitation-status.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export type InvitationResponse = InvitationStatus.Accepted | InvitationStatus.Rejected;

export class RejectInvitationDto {
  /** Shown to the client. */
  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.rejectionReason)
  reason?: string;

  @Optional()
  @IsEnum(RejectionReasonCode)
  reasonCode?: RejectionReasonCode;
}

export class RespondInvitationDto extends RejectInvitationDto {
  @IsIn([InvitationStatus.Accepted, InvitationStatus.Rejected])
  response!: InvitationResponse;
}

export class RespondByTokenDto extends RespondInvitationDto {
  /** The token from the invitation email's link. */
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token!: string;
}
