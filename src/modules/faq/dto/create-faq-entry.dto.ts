import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TextLength } from '../../../common/validation/text-length.js';
import { Trim } from '../../../common/validation/trim.decorator.js';
import {
  FAQ_MAX_KEYWORDS,
  FAQ_TEXT_LIMITS,
  FAQ_TOPIC_MAX_LENGTH,
  FAQ_TOPIC_PATTERN,
} from '../faq-limits.js';
import { FAQ_LANGUAGES, type FaqLanguage } from '../schemas/faq-entry.schema.js';

/** `POST /admin/faq`: a topic's answer in one language. */
export class CreateFaqEntryDto {
  /**
   * What the entry is about, lower-case words joined by hyphens (`cash-jobs-fee`): the same for
   * the topic's Arabic and English entries, unique per language.
   */
  @IsString()
  @MaxLength(FAQ_TOPIC_MAX_LENGTH)
  @Matches(FAQ_TOPIC_PATTERN, { message: 'topic must be lower-case words joined by hyphens' })
  topic!: string;

  @ApiProperty({ enum: FAQ_LANGUAGES })
  @IsIn(FAQ_LANGUAGES)
  language!: FaqLanguage;

  /** The question as the FAQ shows it, 3 to 300 characters. */
  @Trim()
  @IsString()
  @TextLength(FAQ_TEXT_LIMITS.question)
  question!: string;

  /** 10 to 4,000 characters. */
  @Trim()
  @IsString()
  @TextLength(FAQ_TEXT_LIMITS.answer)
  answer!: string;

  /**
   * Other words people use for the topic (synonyms, colloquial words), at most 30 of up to 60
   * characters: searched like the question, never shown to users.
   */
  @Optional()
  @IsArray()
  @ArrayMaxSize(FAQ_MAX_KEYWORDS)
  @IsString({ each: true })
  @TextLength(FAQ_TEXT_LIMITS.keyword, { each: true })
  keywords?: string[];
}
