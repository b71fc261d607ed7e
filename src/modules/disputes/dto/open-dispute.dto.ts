import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsMongoId, IsString } from 'class-validator';
import { TextLength } from '../../../common/validation/text-length.js';
import { DISPUTE_TEXT } from '../dispute-limits.js';
import { DisputeReason } from '../schemas/dispute.schema.js';

/** A party disputes a job (POST /disputes). */
export class OpenDisputeDto {
  /** The disputed job's id. */
  @IsMongoId()
  jobId!: string;

  @ApiProperty({ enum: DisputeReason, enumName: 'DisputeReason' })
  @IsEnum(DisputeReason)
  reason!: DisputeReason;

  /** What went wrong, 1..4000 characters (code points). */
  @IsString()
  @TextLength(DISPUTE_TEXT)
  description!: string;
}
