import { IsEmail, IsMongoId, IsString, Matches, MaxLength } from 'class-validator';
import {
  IsSingleScriptEmail,
  NormalizeEmail,
} from '../../../common/validation/identity.decorators.js';
import { PHONE_PATTERN } from '../../users/dto/update-profile.dto.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

/** Exactly one of `craftsmanId`, `email`, `phone`. */
export class CreateInvitationDto {
  @Optional()
  @IsMongoId()
  craftsmanId?: string;

  /** A registered craftsman's email, or anybody's: an email invitation with a link is sent. */
  @Optional()
  @NormalizeEmail()
  @IsEmail()
  @IsSingleScriptEmail()
  @MaxLength(254)
  email?: string;

  /** A registered craftsman's phone number, however written (matched in E.164). */
  @Optional()
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number' })
  phone?: string;

  /** A note for the craftsman, up to 1000 characters. */
  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.invitationMessage)
  message?: string;
}
