import { IsEmail, IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role } from '../../../common/auth/role.js';
import { PHONE_PATTERN } from '../../users/dto/update-profile.dto.js';
import { Trim } from '../../../common/validation/trim.decorator.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export class RegisterDto {
  /** Unique, case-insensitively. */
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  /** At least 8 characters. */
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;

  /** Admins and moderators are created by admins, never self-registered. */
  @IsIn([Role.Client, Role.Craftsman])
  role!: Role.Client | Role.Craftsman;

  @Trim()
  @IsString()
  @TextLength(TEXT_LIMITS.personName)
  firstName!: string;

  @Trim()
  @IsString()
  @TextLength(TEXT_LIMITS.personName)
  lastName!: string;

  /** Unique when given; digits with an optional leading +. */
  @Optional()
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number' })
  phone?: string;

  /**
   * Craftsmen only: the token of an email invitation's link. The new craftsman takes over every
   * pending invitation to the address it was sent to, and to his own.
   */
  @Optional()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  inviteToken?: string;
}
