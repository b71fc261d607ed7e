import { GeoPointDto } from '../../../common/geo/geo-point.dto.js';
import { UserSummaryDto } from '../../users/dto/user-summary.dto.js';
import { JobStatus, PaymentType } from '../job-status.js';

export class StatusChangeDto {
  from?: JobStatus;
  to!: JobStatus;
  /**
   * Who moved it; null when the marketplace did (first quote, hiring), and for anyone but staff
   * when a staff member did (then `byStaff`).
   */
  by!: string | null;
  /** Present (true) when staff moved it and the viewer is not staff. */
  byStaff?: boolean;
  at!: Date;
}

export class JobResponseDto {
  id!: string;
  client!: UserSummaryDto | null;
  title!: string;
  description!: string;
  category!: string;
  /** Only for the client, the hired craftsman and staff. */
  address?: string;
  /**
   * Exact for the client, the hired craftsman and staff; for anyone else the centre of the
   * ~1 km grid cell that holds the job (the same every time).
   */
  location?: GeoPointDto;
  photos!: string[];
  paymentType!: PaymentType;
  budget?: number;
  status!: JobStatus;
  /** The hired craftsman, once hired. */
  craftsman!: UserSummaryDto | null;
  /** The accepted quote's price, once hired (smallest currency unit). */
  jobPrice?: number;
  hiredAt?: Date;
  acceptedQuote!: string | null;
  /**
   * The payment held in escrow for the job (escrow and cash-protected jobs), once the gateway
   * confirmed it; null before (the craftsman can't set out: PAYMENT_REQUIRED).
   */
  payment!: string | null;
  /**
   * When the job last moved to `completed`; null before. Reviews and disputes about it are open
   * for REVIEW_WINDOW and DISPUTE_WINDOW (P14D) from then.
   */
  completedAt!: Date | null;
  /** When the hired craftsman asked the client to complete the job; null if he has not. */
  completionRequestedAt!: Date | null;
  /**
   * When the job completes by itself (AUTO_COMPLETE_AFTER after the request) unless the client
   * completes or a party disputes first; null without a request.
   */
  autoCompleteAt!: Date | null;
  quotesCount!: number;
  /** When the title, description, category or location last changed; null if never. */
  materialEditAt!: Date | null;
  /**
   * Kilometres from `lat,lng` when browsing by distance: exact (2 decimals) on one's own jobs
   * (`mine=true`) and for staff, else from the job's grid cell, rounded up to 0.5 km steps.
   */
  distanceKm?: number;
  statusHistory!: StatusChangeDto[];
  createdAt!: Date;
  updatedAt!: Date;
}
