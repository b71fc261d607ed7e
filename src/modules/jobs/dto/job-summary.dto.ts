import { JobStatus } from '../job-status.js';
import type { JobEntity } from '../schemas/job.schema.js';

/** A job as other resources embed it (a quote's job, an invitation's job). */
export class JobSummaryDto {
  id!: string;
  title!: string;
  category!: string;
  status!: JobStatus;

  static from(job: Pick<JobEntity, 'id' | 'title' | 'category' | 'status'>): JobSummaryDto {
    return { id: job.id, title: job.title, category: job.category, status: job.status };
  }
}
