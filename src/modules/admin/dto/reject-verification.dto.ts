import { IsString } from 'class-validator';
import { Trim } from '../../../common/validation/trim.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export class RejectVerificationDto {
  /** Told to the craftsman, so that he can submit again. */
  @Trim()
  @IsString()
  @TextLength(TEXT_LIMITS.moderationReason)
  reason!: string;
}
