import { IsEnum, IsMongoId } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { InvitationStatus } from '../invitation-status.js';
import { Optional } from '../../../common/validation/optional.decorator.js';

export class InvitationStatusQueryDto extends CursorPaginationQueryDto {
  /** `expired` includes pending invitations past their expiry. */
  @Optional()
  @IsEnum(InvitationStatus)
  status?: InvitationStatus;
}

export class SentInvitationsQueryDto extends InvitationStatusQueryDto {
  @Optional()
  @IsMongoId()
  jobId?: string;
}
