import { ApiProperty } from '@nestjs/swagger';
import { DisputeOutcome } from '../../money/payments/dispute-settlement.service.js';
import { DisputeReason, DisputeStatus } from '../schemas/dispute.schema.js';

/** A conversation message as it read when submitted (a copy: later changes don't alter it). */
export class EvidenceMessageDto {
  id!: string;
  sender!: string;
  text!: string;
  sentAt!: Date;
}

/** One submission of evidence; immutable. */
export class EvidenceDto {
  id!: string;
  /** The party who submitted it. */
  by!: string;
  text!: string | null;
  messages!: EvidenceMessageDto[];
  /** Private uploads: read at `GET /uploads/:id/content` (the parties and staff). */
  fileIds!: string[];
  createdAt!: Date;
}

/** A dispute as its parties and staff see it. */
export class DisputeResponseDto {
  id!: string;
  /** The disputed job's id. */
  job!: string;
  client!: string;
  craftsman!: string;
  openedBy!: string;

  @ApiProperty({ enum: DisputeReason, enumName: 'DisputeReason' })
  reason!: DisputeReason;

  description!: string;

  /** `resolving`: an admin's decision is being carried out. */
  @ApiProperty({ enum: DisputeStatus, enumName: 'DisputeStatus' })
  status!: DisputeStatus;

  /** The party whose answer is awaited: the other side of the last submission. */
  awaitingFrom!: string;

  /** Until when `awaitingFrom` has to answer (DISPUTE_RESPONSE_WINDOW, 48 h by default). */
  respondBy!: Date;

  /** When the party that did not open it first submitted evidence; null before. */
  firstResponseAt!: Date | null;

  evidence!: EvidenceDto[];

  /** Staff only: the admin who took it. */
  assignedTo?: string | null;
  /** Staff only. */
  assignedAt?: Date | null;
  /** Staff only: when it should be resolved by (opened + DISPUTE_UNRESOLVED_ALERT_AFTER). */
  slaDueAt?: Date;

  @ApiProperty({ enum: DisputeOutcome, enumName: 'DisputeOutcome', nullable: true })
  outcome!: DisputeOutcome | null;

  /** Split: piastres back to the client. */
  clientAmount?: number;
  /** Split: piastres to the craftsman before the platform's fee. */
  craftsmanAmount?: number;
  /** The admin's reason, once resolved. */
  note!: string | null;
  resolvedAt!: Date | null;
  /** Staff only: the admin who resolved it. */
  resolvedBy?: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}

/** `GET /admin/reports/disputes`. */
export class DisputeReportDto {
  /** Disputes opened in [from, to). */
  opened!: number;
  /** Disputes resolved in [from, to); the figures below are over those. */
  resolved!: number;
  /** Hours from opening to resolution, nearest-rank median, one decimal; null when none. */
  medianHoursToResolve!: number | null;
  /** Hours, nearest-rank 90th percentile, one decimal; null when none. */
  p90HoursToResolve!: number | null;
  /** How many took longer than 72 hours to resolve. */
  breaches72h!: number;
}
