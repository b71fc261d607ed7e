import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsInt, IsString, Max, Min } from 'class-validator';
import { MAX_PRICE } from '../../../common/money.js';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TextLength } from '../../../common/validation/text-length.js';
import { RESOLUTION_NOTE } from '../dispute-limits.js';
import { DisputeOutcome } from '../../money/payments/dispute-settlement.service.js';

/**
 * An admin's resolution. For `split`, `clientAmount` + `craftsmanAmount` (piastres) must equal
 * exactly what is in play (400 SPLIT_MISMATCH); the other outcomes take no amounts.
 */
export class ResolveDisputeDto {
  @ApiProperty({ enum: DisputeOutcome, enumName: 'DisputeOutcome' })
  @IsEnum(DisputeOutcome)
  outcome!: DisputeOutcome;

  /** Split only: piastres back to the client (integer ≥ 0). */
  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  clientAmount?: number;

  /** Split only: piastres to the craftsman, before the platform's fee (integer ≥ 0). */
  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  craftsmanAmount?: number;

  /** Why, told to both sides; 1..2000 characters. */
  @IsString()
  @TextLength(RESOLUTION_NOTE)
  note!: string;
}
