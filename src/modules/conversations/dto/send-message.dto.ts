import { IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../../common/validation/trim.decorator.js';

export class SendMessageDto {
  /** 1 to 4000 characters. */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  text!: string;
}
