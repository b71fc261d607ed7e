import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsIn } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { Granularity } from '../report-calendar.js';
import { ReportRangeDto } from './report-range.dto.js';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * `GET /admin/reports/overview?from=&to=&granularity=&format=`: the days [from, to] in periods
 * of a day, a week (Saturday to Friday, Egypt's calendar week) or a calendar month.
 */
export class OverviewQueryDto extends ReportRangeDto {
  @ApiProperty({
    enum: Granularity,
    enumName: 'ReportGranularity',
    required: false,
    default: Granularity.Day,
    description: 'day; week (Saturday to Friday, Africa/Cairo); month',
  })
  @Optional()
  @IsEnum(Granularity)
  granularity: Granularity = Granularity.Day;

  @ApiProperty({
    enum: REPORT_FORMATS,
    required: false,
    default: 'json',
    description: 'csv: text/csv, a header and one row per period',
  })
  @Optional()
  @IsIn(REPORT_FORMATS)
  format: ReportFormat = 'json';
}
