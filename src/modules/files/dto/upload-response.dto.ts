import { ApiProperty } from '@nestjs/swagger';
import { type UploadEntity, UploadPurpose } from '../schemas/upload.schema.js';

/** A stored file (API.md "Files"). */
export class UploadResponseDto {
  id!: string;

  @ApiProperty({ enum: UploadPurpose, enumName: 'UploadPurpose' })
  purpose!: UploadPurpose;

  /**
   * Where anyone can fetch it (absolute, or a path under `/api/files/` for the local store);
   * null for private purposes: read those at `GET /uploads/:id/content`.
   */
  @ApiProperty({ type: String, nullable: true })
  url!: string | null;

  /** Decided from the bytes, e.g. `image/jpeg`, `application/pdf`. */
  contentType!: string;

  /** Bytes, as stored (after resizing). */
  size!: number;

  /** Pixels; images only. */
  width?: number;

  /** Pixels; images only. */
  height?: number;

  createdAt!: Date;
}

export function toUploadResponse(upload: UploadEntity): UploadResponseDto {
  return {
    id: upload.id,
    purpose: upload.purpose,
    url: upload.url,
    contentType: upload.contentType,
    size: upload.size,
    ...(upload.width !== null ? { width: upload.width } : {}),
    ...(upload.height !== null ? { height: upload.height } : {}),
    createdAt: upload.createdAt,
  };
}
