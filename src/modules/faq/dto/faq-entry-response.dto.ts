import { ApiProperty } from '@nestjs/swagger';
import { FAQ_LANGUAGES, type FaqLanguage } from '../schemas/faq-entry.schema.js';

/** An FAQ entry as `GET /faq` lists it. */
export class FaqEntryResponseDto {
  id!: string;
  /** Shared by the topic's Arabic and English entries. */
  topic!: string;
  @ApiProperty({ enum: FAQ_LANGUAGES })
  language!: FaqLanguage;
  question!: string;
  answer!: string;
  updatedAt!: Date;
}

/** An FAQ entry as staff manage it: with its search keywords. */
export class StaffFaqEntryResponseDto extends FaqEntryResponseDto {
  keywords!: string[];
  createdAt!: Date;
}

/** One answer of `GET /faq/ask`. */
export class FaqAnswerDto {
  /** The entry's id. */
  id!: string;
  topic!: string;
  /** The asker's language when the topic has it. */
  @ApiProperty({ enum: FAQ_LANGUAGES })
  language!: FaqLanguage;
  question!: string;
  answer!: string;
  /**
   * 0..1: the share of the question this answer covers (each word weighted by its rarity, exact
   * matches in the question or keywords counting most), lowered for answers ranked behind the
   * best; answers under FAQ_MIN_SCORE are left out.
   */
  score!: number;
}

/** `GET /faq/ask`: the answers, best first, and where to ask a person. */
export class FaqAnswersResponseDto {
  /** Best first; empty when nothing answers the question well enough. */
  answers!: FaqAnswerDto[];
  /** The contact form (`POST /api/send-email`): the next step when no answer helps. */
  @ApiProperty({ example: '/api/send-email' })
  contact!: string;
}
