import { IsEmail, MaxLength } from 'class-validator';
import { Trim } from '../../../common/validation/trim.decorator.js';

export class ForgotPasswordDto {
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}
