import type { FaqMatch } from './faq-index.js';
import type {
  FaqAnswerDto,
  FaqEntryResponseDto,
  StaffFaqEntryResponseDto,
} from './dto/faq-entry-response.dto.js';
import type { FaqEntryEntity } from './schemas/faq-entry.schema.js';

/** An entry as the public list shows it (no keywords). */
export function toFaqEntryResponse(entry: FaqEntryEntity): FaqEntryResponseDto {
  return {
    id: entry.id,
    topic: entry.topic,
    language: entry.language,
    question: entry.question,
    answer: entry.answer,
    updatedAt: entry.updatedAt,
  };
}

/** An entry as staff see it. */
export function toStaffFaqEntryResponse(entry: FaqEntryEntity): StaffFaqEntryResponseDto {
  return { ...toFaqEntryResponse(entry), keywords: entry.keywords, createdAt: entry.createdAt };
}

/** A search match as `GET /faq/ask` answers it, its score to three decimals. */
export function toFaqAnswer({ entry, score }: FaqMatch<FaqEntryEntity>): FaqAnswerDto {
  return {
    id: entry.id,
    topic: entry.topic,
    language: entry.language,
    question: entry.question,
    answer: entry.answer,
    score: Math.round(score * 1000) / 1000,
  };
}
