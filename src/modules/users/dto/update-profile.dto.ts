import { IsImageReference } from '../../files/image-reference.validator.js';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsTimeZone,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { GeoPointDto } from '../../../common/geo/geo-point.dto.js';
import { StripInvisible } from '../../../common/validation/identity.decorators.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { NestedObject } from '../../../common/validation/nested.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export const PHONE_PATTERN = /^\+?[0-9 ().-]{7,20}$/;

export class CraftsmanProfileDto {
  /** Names from the services catalog (GET /api/services), matched case-insensitively. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  skills?: string[];

  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.bio)
  bio?: string;

  /** How far he travels for work, 1..200 km. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(200)
  serviceRadiusKm?: number;

  /** false: still invitable, but ranked last by recommendations. */
  @Optional()
  @IsBoolean()
  available?: boolean;

  /**
   * Up to 30: ids of the craftsman's `portfolio` uploads (`POST /uploads`), answered as their
   * URLs; URLs are still taken and kept as given.
   */
  @Optional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsImageReference({ each: true })
  portfolioImageUrls?: string[];
}

/** Only the fields sent change. */
export class UpdateProfileDto {
  /** Invisible characters (zero-width spaces, joiners, bidi controls) are removed. */
  @StripInvisible()
  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.personName)
  firstName?: string;

  /** Invisible characters (zero-width spaces, joiners, bidi controls) are removed. */
  @StripInvisible()
  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.personName)
  lastName?: string;

  /**
   * Stored in E.164: with `+` and the country code, or national (read in PHONE_DEFAULT_REGION,
   * Egypt by default); spaces, dashes, dots and parentheses are ignored. 400 when it is no
   * valid number.
   */
  @Optional()
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number' })
  phone?: string;

  /**
   * The id of the user's `profile_picture` upload (or a URL, as before uploads existed);
   * `PUT /users/me/profile-picture` uploads and sets it in one request.
   */
  @Optional()
  @IsImageReference()
  @MaxLength(2000)
  profilePicture?: string;

  @Optional()
  @NestedObject(() => GeoPointDto)
  location?: GeoPointDto;

  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.address)
  address?: string;

  /**
   * IANA time zone, e.g. `America/New_York`: dates in his notifications and emails are written
   * in it (default `Africa/Cairo`, the service's DEFAULT_TIMEZONE). Unknown names → 400.
   */
  @Optional()
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timezone?: string;

  /** Craftsmen only. */
  @Optional()
  @NestedObject(() => CraftsmanProfileDto)
  craftsmanInfo?: CraftsmanProfileDto;
}
