import { IsEnum } from 'class-validator';
import { JobStatus } from '../job-status.js';

export class ChangeJobStatusDto {
  /** The status to move to; see the state machine in the API description. */
  @IsEnum(JobStatus)
  status!: JobStatus;
}
