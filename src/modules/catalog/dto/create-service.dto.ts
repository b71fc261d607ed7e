import { IsString } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export class CreateServiceDto {
  /** Unique, case-insensitively. */
  @IsString()
  @TextLength(TEXT_LIMITS.serviceName)
  name!: string;

  /** An icon key or URL for the apps. */
  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.serviceIcon)
  icon?: string;

  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.serviceDescription)
  description?: string;
}
