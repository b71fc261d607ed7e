import { IsInt, IsMongoId, IsString, Max, Min } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TextLength } from '../../../common/validation/text-length.js';
import { REVIEW_TEXT_LIMITS } from '../review-text-limits.js';

/** One side's review of a completed job (API.md "Reviews (double-blind)"). */
export class CreateReviewDto {
  /** The completed job; the caller must be its client or its hired craftsman. */
  @IsMongoId()
  jobId!: string;

  /** Stars, an integer 1..5. */
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  /** Public once published; at most 2000 characters. */
  @Optional()
  @IsString()
  @TextLength(REVIEW_TEXT_LIMITS.comment)
  comment?: string;

  /** For staff only, never shown to the other side or publicly; at most 1000 characters. */
  @Optional()
  @IsString()
  @TextLength(REVIEW_TEXT_LIMITS.privateNote)
  privateNote?: string;
}
