import { IsInt, IsString, Max, Min, NotEquals } from 'class-validator';
import { MAX_PRICE } from '../../../../common/money.js';
import { TextLength } from '../../../../common/validation/text-length.js';
import { Trim } from '../../../../common/validation/trim.decorator.js';

/** `POST /admin/wallets/:userId/adjustments`: a signed correction or goodwill credit. */
export class CreateAdjustmentDto {
  /** Signed integer piastres, not 0: + credits the craftsman's wallet, − takes money back. */
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_PRICE)
  @Max(MAX_PRICE)
  amount!: number;

  /** Why, for the craftsman and the audit. */
  @IsString()
  @Trim()
  @TextLength({ min: 3, max: 500 })
  reason!: string;
}
