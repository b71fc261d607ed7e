import { IsImageReference } from '../../files/image-reference.validator.js';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { GeoPointDto } from '../../../common/geo/geo-point.dto.js';
import { MAX_PRICE } from '../../../common/money.js';
import { Trim } from '../../../common/validation/trim.decorator.js';
import { PaymentType } from '../job-status.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { NestedObject } from '../../../common/validation/nested.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export class CreateJobDto {
  @Trim()
  @IsString()
  @TextLength(TEXT_LIMITS.jobTitle)
  title!: string;

  @IsString()
  @TextLength(TEXT_LIMITS.jobDescription)
  description!: string;

  /** A service name from the catalog (GET /api/services), matched case-insensitively. */
  @Trim()
  @IsString()
  @MaxLength(60)
  category!: string;

  /** Shown only to the client, the hired craftsman and staff. */
  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.address)
  address?: string;

  /** Where the work is: craftsmen search by distance from it. */
  @Optional()
  @NestedObject(() => GeoPointDto)
  location?: GeoPointDto;

  /**
   * Up to 10: ids of the client's `job_photo` uploads (`POST /uploads`), answered as their URLs;
   * URLs are still taken (apps not uploading yet) and kept as given.
   */
  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsImageReference({ each: true })
  photos?: string[];

  @Optional()
  @IsEnum(PaymentType)
  paymentType?: PaymentType;

  /** In the smallest currency unit (piasters), a positive integer. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE)
  budget?: number;
}
