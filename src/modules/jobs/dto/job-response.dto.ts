import { GeoPointDto } from '../../../common/geo/geo-point.dto.js';
import { UserSummaryDto } from '../../users/dto/user-summary.dto.js';
import { JobStatus, PaymentType } from '../job-status.js';

export class StatusChangeDto {
  from?: JobStatus;
  to!: JobStatus;
  /** Who moved it; null when the marketplace did (first quote, hiring). */
  by!: string | null;
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
  quotesCount!: number;
  /** When the title, description, category or location last changed; null if never. */
  materialEditAt!: Date | null;
  /** Kilometres from `lat,lng` when browsing by distance. */
  distanceKm?: number;
  statusHistory!: StatusChangeDto[];
  createdAt!: Date;
  updatedAt!: Date;
}
