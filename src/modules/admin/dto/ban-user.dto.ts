import { IsString } from 'class-validator';
import { Trim } from '../../../common/validation/trim.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export class BanUserDto {
  /** Shown to the user when he tries to sign in. */
  @Trim()
  @IsString()
  @TextLength(TEXT_LIMITS.moderationReason)
  reason!: string;
}
