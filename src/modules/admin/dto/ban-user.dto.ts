import { IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../../common/validation/trim.decorator.js';

export class BanUserDto {
  /** Shown to the user when he tries to sign in. */
  @Trim()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}
