import { ArrayMaxSize, IsArray, IsMongoId, IsString } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator.js';
import { TextLength } from '../../../common/validation/text-length.js';
import { DISPUTE_TEXT } from '../dispute-limits.js';

/** Most messages one submission may copy. */
export const MAX_EVIDENCE_MESSAGES = 50;

/**
 * Evidence for a dispute: at least one of the fields (400 otherwise). Messages of the parties'
 * conversation are copied as they read now; files are the submitter's own `dispute_evidence` uploads.
 */
export class AddEvidenceDto {
  /** The party's statement, 1..4000 characters. */
  @Optional()
  @IsString()
  @TextLength(DISPUTE_TEXT)
  text?: string;

  /** Ids of messages of the parties' conversation (at most 50); another id → 400. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_EVIDENCE_MESSAGES)
  @IsMongoId({ each: true })
  messageIds?: string[];

  /**
   * Ids of the submitter's own uploads of purpose `dispute_evidence` (`POST /uploads`): private,
   * readable by the other party and staff.
   */
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsMongoId({ each: true })
  fileIds?: string[];
}
