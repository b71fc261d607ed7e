import { UserSummaryDto } from '../../users/dto/user-summary.dto.js';
import { JobSummaryDto } from '../../jobs/dto/job-summary.dto.js';
import { QuoteStatus } from '../schemas/quote.schema.js';

export class QuoteResponseDto {
  id!: string;
  job!: JobSummaryDto | null;
  craftsman!: UserSummaryDto | null;
  /** Smallest currency unit. */
  price!: number;
  notes!: string;
  estimatedDays?: number;
  status!: QuoteStatus;
  decidedAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}
