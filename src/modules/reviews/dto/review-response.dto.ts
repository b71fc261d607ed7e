import { ApiProperty } from '@nestjs/swagger';
import { ReviewStatus } from '../schemas/review.schema.js';

export class ReviewReplyDto {
  text!: string;
  createdAt!: Date;
}

/**
 * A review as its viewer may see it: its author and staff see it while hidden, everyone once
 * published. `privateNote` is in staff's answers only.
 */
export class ReviewResponseDto {
  id!: string;
  /** The job's id. */
  job!: string;
  /** The author's user id. */
  reviewer!: string;
  /** The id of the user it is about. */
  reviewee!: string;
  /** Stars, 1..5. */
  rating!: number;
  comment!: string;
  @ApiProperty({ enum: ReviewStatus, enumName: 'ReviewStatus' })
  status!: ReviewStatus;
  /** The job's completion + REVIEW_WINDOW: published by then at the latest, unless disputed. */
  revealAt!: Date;
  /** When it became public; null while hidden. */
  @ApiProperty({ type: Date, nullable: true })
  publishedAt!: Date | null;
  /** The reviewee's answer, once given. */
  response?: ReviewReplyDto;
  /** Staff only: the author's note to the platform. */
  privateNote?: string;
  createdAt!: Date;
  updatedAt!: Date;
}
