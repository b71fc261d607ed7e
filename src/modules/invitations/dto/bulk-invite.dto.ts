import { ArrayMaxSize, IsArray, IsEmail, IsMongoId, IsString } from 'class-validator';
import {
  IsSingleScriptEmail,
  NormalizeEmail,
} from '../../../common/validation/identity.decorators.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export const BULK_INVITE_LIMIT = 50;

/** Up to 50 targets in all; each gets its own result, never all-or-nothing. */
export class BulkInviteDto {
  @Optional()
  @IsArray()
  @ArrayMaxSize(BULK_INVITE_LIMIT)
  @IsMongoId({ each: true })
  craftsmanIds?: string[];

  @Optional()
  @IsArray()
  @ArrayMaxSize(BULK_INVITE_LIMIT)
  @NormalizeEmail()
  @IsEmail({}, { each: true })
  @IsSingleScriptEmail({ each: true })
  emails?: string[];

  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.invitationMessage)
  message?: string;
}

export class BulkInviteResultDto {
  /** The craftsman id or email as sent. */
  target!: string;
  status!: 'created' | 'skipped';
  /** Why it was skipped: the error code the single invite would have answered. */
  code?: string;
  /** With code RATE_LIMITED: seconds until this target could be invited. */
  retryAfterSeconds?: number;
  invitationId?: string;
}

export class BulkInviteResponseDto {
  results!: BulkInviteResultDto[];
}
