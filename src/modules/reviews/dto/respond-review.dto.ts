import { IsString } from 'class-validator';
import { TextLength } from '../../../common/validation/text-length.js';
import { REVIEW_TEXT_LIMITS } from '../review-text-limits.js';

/** The reviewee's one public answer to a published review. */
export class RespondReviewDto {
  /** 1..2000 characters. */
  @IsString()
  @TextLength(REVIEW_TEXT_LIMITS.response)
  text!: string;
}
