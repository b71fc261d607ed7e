import { IsString } from 'class-validator';
import { Trim } from '../../../common/validation/trim.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export class SendMessageDto {
  /** 1 to 4000 characters (Unicode code points: an emoji is one). */
  @Trim()
  @IsString()
  @TextLength(TEXT_LIMITS.messageText)
  text!: string;
}
