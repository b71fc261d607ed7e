import { IsString, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';

export class CreateServiceDto {
  /** Unique, case-insensitively. */
  @IsString()
  @MinLength(2)
  @MaxLength(60)
  name!: string;

  /** An icon key or URL for the apps. */
  @Optional()
  @IsString()
  @MaxLength(500)
  icon?: string;

  @Optional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
