import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsUrl, MaxLength } from 'class-validator';
import { VerificationDocType } from '../schemas/user.schema.js';
import { NestedObject } from '../../../common/validation/nested.decorator.js';

export class VerificationDocDto {
  @IsEnum(VerificationDocType)
  docType!: VerificationDocType;

  /** Where the document was uploaded. */
  @IsUrl({ require_tld: false })
  @MaxLength(2000)
  docUrl!: string;
}

export class SubmitVerificationDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @NestedObject(() => VerificationDocDto, { each: true })
  docs!: VerificationDocDto[];
}
