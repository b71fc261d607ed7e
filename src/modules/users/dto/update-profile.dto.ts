import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { GeoPointDto } from '../../../common/geo/geo-point.dto.js';
import { Trim } from '../../../common/validation/trim.decorator.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
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

  @Optional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsUrl({ require_tld: false }, { each: true })
  portfolioImageUrls?: string[];
}

/** Only the fields sent change. */
export class UpdateProfileDto {
  @Trim()
  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.personName)
  firstName?: string;

  @Trim()
  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.personName)
  lastName?: string;

  /** Digits with an optional leading +; spaces, dashes, dots and parentheses are ignored. */
  @Optional()
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number' })
  phone?: string;

  @Optional()
  @IsUrl({ require_tld: false })
  @MaxLength(2000)
  profilePicture?: string;

  @Optional()
  @ValidateNested()
  @Type(() => GeoPointDto)
  location?: GeoPointDto;

  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.address)
  address?: string;

  /** Craftsmen only. */
  @Optional()
  @ValidateNested()
  @Type(() => CraftsmanProfileDto)
  craftsmanInfo?: CraftsmanProfileDto;
}
