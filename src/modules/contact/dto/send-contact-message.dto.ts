import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { NormalizeEmail, StripInvisible } from '../../../common/validation/identity.decorators.js';
import { type TextLimit, TextLength } from '../../../common/validation/text-length.js';
import { Trim } from '../../../common/validation/trim.decorator.js';

/** The contact form's limits, in code points (as `TEXT_LIMITS`). */
export const CONTACT_TEXT_LIMITS = {
  senderName: { min: 1, max: 100 },
  message: { min: 1, max: 5000 },
} as const satisfies Record<string, TextLimit>;

/** A name is one line: no control characters (CR, LF, TAB...) nor Unicode line separators. */
const ONE_LINE = /^[^\p{Cc}\u2028\u2029]*$/u;

/** `POST /send-email`: a message from the website's contact form to support. */
export class SendContactMessageDto {
  /** The sender's name, 1 to 100 characters on one line; invisible characters removed. */
  @StripInvisible()
  @IsString()
  @TextLength(CONTACT_TEXT_LIMITS.senderName)
  @Matches(ONE_LINE, { message: 'name must be one line, without control characters' })
  name!: string;

  /**
   * Where support answers (the mail's Reply-To), normalized as at sign-up (case, full-width
   * letters, invisible characters).
   */
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  /** 1 to 5,000 characters; line breaks kept, surrounding whitespace dropped. */
  @Trim()
  @IsString()
  @TextLength(CONTACT_TEXT_LIMITS.message)
  message!: string;
}
