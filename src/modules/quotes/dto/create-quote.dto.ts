import { IsInt, IsString, Max, Min } from 'class-validator';
import { MAX_PRICE } from '../../../common/money.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TEXT_LIMITS, TextLength } from '../../../common/validation/text-length.js';

export class CreateQuoteDto {
  /** In the smallest currency unit (piasters): a positive integer. */
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE)
  price!: number;

  @Optional()
  @IsString()
  @TextLength(TEXT_LIMITS.quoteNotes)
  notes?: string;

  /** How many days the work takes, 1..365. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(365)
  estimatedDays?: number;
}
