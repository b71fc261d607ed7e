import { IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../../common/validation/trim.decorator.js';

export class RejectVerificationDto {
  /** Told to the craftsman, so that he can submit again. */
  @Trim()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}
