import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A range of Cairo calendar days, both included: `from=2026-01-01&to=2026-12-31` is the year
 * 2026 as Cairo lived it. At most MAX_REPORT_DAYS days (two years); `to` not before `from`.
 */
export class ReportRangeDto {
  /** The first day, `YYYY-MM-DD` (Africa/Cairo). */
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  @Matches(DAY, { message: 'from must be a day written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar day' })
  from!: string;

  /** The last day, included, `YYYY-MM-DD` (Africa/Cairo). */
  @ApiProperty({ format: 'date', example: '2026-12-31' })
  @Matches(DAY, { message: 'to must be a day written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar day' })
  to!: string;
}
