import { IsEmail, IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role } from '../../../common/auth/role.js';
import { PHONE_PATTERN } from '../../users/dto/update-profile.dto.js';
import {
  IsSingleScriptEmail,
  NormalizeEmail,
  StripInvisible,
} from '../../../common/validation/identity.decorators.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export class RegisterDto {
  /**
   * Unique, stored normalized: lower-cased, full-width letters folded (NFKC), invisible
   * characters removed. A local part or domain mixing alphabets (Cyrillic with Latin) is refused.
   */
  @NormalizeEmail()
  @IsEmail()
  @IsSingleScriptEmail()
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

  /** Invisible characters (zero-width spaces, joiners, bidi controls) are removed. */
  @StripInvisible()
  @IsString()
  @TextLength(TEXT_LIMITS.personName)
  firstName!: string;

  /** Invisible characters (zero-width spaces, joiners, bidi controls) are removed. */
  @StripInvisible()
  @IsString()
  @TextLength(TEXT_LIMITS.personName)
  lastName!: string;

  /**
   * Unique when given; stored in E.164. Written with `+` and the country code, or nationally
   * (read in PHONE_DEFAULT_REGION, Egypt by default: `010 0123 4567` is `+201001234567`).
   */
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
