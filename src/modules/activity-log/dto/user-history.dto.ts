import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, MaxLength } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../../common/pagination/pagination-query.dto.js';
import { Optional } from '../../../common/validation/optional.decorator.js';

/** What a history item is about: the kind of record behind its link id. */
export enum HistoryItemType {
  Activity = 'activity',
  Dispute = 'dispute',
  Invitation = 'invitation',
  Job = 'job',
  Money = 'money',
  Payment = 'payment',
  Quote = 'quote',
  Review = 'review',
}

/** `GET /admin/users/:userId/history?limit=&after=`. */
export class UserHistoryQueryDto {
  /** Items per page, at most 100. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 20;

  /** The `pagination.nextCursor` of the previous page: the next page starts right after it. */
  @Optional()
  @IsString()
  @MaxLength(512)
  after?: string;
}

/** One thing in a user's timeline. */
export class UserHistoryItemDto {
  @ApiProperty({ enum: HistoryItemType, enumName: 'HistoryItemType' })
  type!: HistoryItemType;
  /**
   * What happened, a stable dotted name: `job.posted`, `job.hired`, `quote.submitted`,
   * `invitation.sent|received`, `review.written|received`, `dispute.opened|opened_against`,
   * `wallet.<transaction type>`, `payment.made`, or an activity-log action (`user.banned`, ...).
   */
  action!: string;
  /** When (the record's creation). */
  at!: Date;
  /** The id of the record: the job, quote, invitation, review, dispute, ledger entry, payment or activity entry. */
  id!: string;
  /** A few fields of the record (statuses, amounts, the other party's id, the job's id). */
  details!: Record<string, unknown>;
}

/** How to go on. */
export class TimelinePaginationDto {
  limit!: number;
  /** Pass as `?after=` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

/** `GET /admin/users/:userId/history`: newest first. */
export class UserHistoryResponseDto {
  data!: UserHistoryItemDto[];
  pagination!: TimelinePaginationDto;
}
