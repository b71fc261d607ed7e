import { Transform } from 'class-transformer';
import { IsNumber, Max, Min } from 'class-validator';
import { toNumber } from './env-transforms.js';
import { FilesVariables } from './files.env.js';

/**
 * The environment variables of the operators' tools (API.md "Operations"): the activity log,
 * reports and the FAQ assistant. `EnvironmentVariables` extends this class (which extends the
 * files').
 */
export class OperationsVariables extends FilesVariables {
  /**
   * `GET /faq/ask`: answers scoring below this share of the best possible match are left out;
   * when none is left, the answer points at the contact form.
   */
  @IsNumber()
  @Min(0)
  @Max(1)
  @Transform(toNumber)
  FAQ_MIN_SCORE = 0.2;
}
