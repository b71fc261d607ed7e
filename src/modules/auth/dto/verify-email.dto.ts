import { IsString, MaxLength, MinLength } from 'class-validator';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';

export class VerifyEmailDto {
  /** The token from the verification email's link. */
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token!: string;
}

export class VerifyEmailResponseDto {
  message!: string;
  /** The account, now with `emailVerified: true`. */
  user!: UserResponseDto;
}
