import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import { textLengthValidator } from '../../../common/validation/text-length.js';
import {
  FAQ_MAX_KEYWORDS,
  FAQ_TEXT_LIMITS,
  FAQ_TOPIC_MAX_LENGTH,
  FAQ_TOPIC_PATTERN,
} from '../faq-limits.js';

/** The languages the FAQ is written in. */
export const FAQ_LANGUAGES = ['ar', 'en'] as const;
export type FaqLanguage = (typeof FAQ_LANGUAGES)[number];

/**
 * One FAQ answer in one language. A topic ("withdrawals") has one entry per language, sharing
 * `topic` (unique with `language`): each language is written, edited and listed on its own, and
 * `GET /faq/ask` searches a topic's languages together and answers in the asker's.
 */
@Schema({ collection: 'faq_entries', timestamps: true })
export class FaqEntry {
  @Prop({
    required: true,
    trim: true,
    maxlength: FAQ_TOPIC_MAX_LENGTH,
    match: FAQ_TOPIC_PATTERN,
  })
  topic!: string;

  @Prop({ type: String, required: true, enum: FAQ_LANGUAGES })
  language!: FaqLanguage;

  @Prop({ required: true, trim: true, validate: textLengthValidator(FAQ_TEXT_LIMITS.question) })
  question!: string;

  @Prop({ required: true, trim: true, validate: textLengthValidator(FAQ_TEXT_LIMITS.answer) })
  answer!: string;

  /** Other words for the topic (synonyms, colloquial words): searched, never shown. */
  @Prop({
    type: [String],
    default: [],
    validate: {
      validator: (keywords: string[]) => keywords.length <= FAQ_MAX_KEYWORDS,
      message: `at most ${FAQ_MAX_KEYWORDS} keywords`,
    },
  })
  keywords!: string[];
}

export type FaqEntryDocument = HydratedDocument<FaqEntry>;
export const FaqEntrySchema = SchemaFactory.createForClass(FaqEntry);
// one entry per topic and language; also the order of `GET /faq`
FaqEntrySchema.index({ topic: 1, language: 1 }, { unique: true });

export interface FaqEntryEntity {
  id: string;
  topic: string;
  language: FaqLanguage;
  question: string;
  answer: string;
  keywords: string[];
  createdAt: Date;
  updatedAt: Date;
}
