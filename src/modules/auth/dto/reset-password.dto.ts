import { IsString, MaxLength, MinLength } from 'class-validator';

export class ResetPasswordDto {
  /** The token from the reset email. */
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token!: string;

  /** The new password, at least 8 characters. */
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;
}
