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
  /** When its craftsman last confirmed it for the job as edited; null if never. */
  confirmedAt!: Date | null;
  /**
   * The job changed materially after the quote was made or last confirmed: it can't be accepted
   * (409 QUOTE_OUTDATED) until its craftsman confirms it.
   */
  outdated!: boolean;
  createdAt!: Date;
  updatedAt!: Date;
}
