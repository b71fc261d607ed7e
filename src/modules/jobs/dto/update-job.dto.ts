import { PartialType } from '@nestjs/swagger';
import { CreateJobDto } from './create-job.dto.js';

/** Only the fields sent change; only while the job is open. */
export class UpdateJobDto extends PartialType(CreateJobDto, { skipNullProperties: false }) {}
