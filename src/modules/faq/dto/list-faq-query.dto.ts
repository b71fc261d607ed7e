import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { FAQ_TOPIC_MAX_LENGTH, FAQ_TOPIC_PATTERN } from '../faq-limits.js';
import { FAQ_LANGUAGES, type FaqLanguage } from '../schemas/faq-entry.schema.js';

/** `GET /faq` and `GET /admin/faq`: by topic, each topic's languages together. */
export class ListFaqQueryDto extends PaginationQueryDto {
  /** Only the entries in this language. */
  @ApiProperty({ enum: FAQ_LANGUAGES, required: false })
  @Optional()
  @IsIn(FAQ_LANGUAGES)
  language?: FaqLanguage;

  /** Only this topic's entries. */
  @Optional()
  @IsString()
  @MaxLength(FAQ_TOPIC_MAX_LENGTH)
  @Matches(FAQ_TOPIC_PATTERN, { message: 'topic must be lower-case words joined by hyphens' })
  topic?: string;
}
