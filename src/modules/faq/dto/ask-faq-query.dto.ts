import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TextLength } from '../../../common/validation/text-length.js';
import { Trim } from '../../../common/validation/trim.decorator.js';
import { FAQ_TEXT_LIMITS } from '../faq-limits.js';
import { FAQ_LANGUAGES, type FaqLanguage } from '../schemas/faq-entry.schema.js';

/** The most answers one question gets. */
export const FAQ_MAX_ANSWERS = 10;

/** `GET /faq/ask?q=&lang=&limit=`. */
export class AskFaqQueryDto {
  /**
   * The question as the user typed it, Arabic, English or both, 1 to 300 characters (surrounding
   * whitespace dropped).
   */
  @Trim()
  @IsString()
  @TextLength(FAQ_TEXT_LIMITS.ask)
  q!: string;

  /** Answer in this language; by default the one most of the question's letters are in. */
  @ApiProperty({ enum: FAQ_LANGUAGES, required: false })
  @Optional()
  @IsIn(FAQ_LANGUAGES)
  lang?: FaqLanguage;

  /** At most this many answers, 1..10 (default 3). */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(FAQ_MAX_ANSWERS)
  limit: number = 3;
}
