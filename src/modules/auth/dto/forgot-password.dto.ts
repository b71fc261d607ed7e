import { IsEmail, MaxLength } from 'class-validator';
import { NormalizeEmail } from '../../../common/validation/identity.decorators.js';

export class ForgotPasswordDto {
  /** Normalized as at sign-up (case, full-width letters, invisible characters). */
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}
