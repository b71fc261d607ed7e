import { IsInt, Max, Min } from 'class-validator';
import { MAX_PRICE } from '../../../common/money.js';
import { Optional } from '../../../common/validation/optional.decorator.js';

/** Confirms a quote for the job as it is now; without `price` the price stays. */
export class ConfirmQuoteDto {
  /** A new price, in the smallest currency unit (piasters): a positive integer. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE)
  price?: number;
}
