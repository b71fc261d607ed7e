import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsMongoId } from 'class-validator';
import { VerificationDocType } from '../schemas/user.schema.js';
import { NestedObject } from '../../../common/validation/nested.decorator.js';

export class VerificationDocDto {
  @IsEnum(VerificationDocType)
  docType!: VerificationDocType;

  /**
   * The id of the craftsman's own `verification_doc` upload (`POST /uploads`): kept private and
   * encrypted. (Documents are no longer taken as URLs: a link anyone holding it could open.)
   */
  @IsMongoId()
  fileId!: string;
}

export class SubmitVerificationDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @NestedObject(() => VerificationDocDto, { each: true })
  docs!: VerificationDocDto[];
}
