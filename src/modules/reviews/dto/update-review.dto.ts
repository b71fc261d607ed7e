import { IsInt, IsString, Max, Min } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TextLength } from '../../../common/validation/text-length.js';
import { REVIEW_TEXT_LIMITS } from '../review-text-limits.js';

/** Changes to one's own review while it is hidden; what is left out stays. */
export class UpdateReviewDto {
  /** Stars, an integer 1..5. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  /** At most 2000 characters. */
  @Optional()
  @IsString()
  @TextLength(REVIEW_TEXT_LIMITS.comment)
  comment?: string;

  /** For staff only; at most 1000 characters. */
  @Optional()
  @IsString()
  @TextLength(REVIEW_TEXT_LIMITS.privateNote)
  privateNote?: string;
}
