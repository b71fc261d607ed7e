import { IsString } from 'class-validator';
import { MoneyVariables } from './money.env.js';

/**
 * The environment variables of trust (API.md "Reviews (double-blind)", "Disputes and
 * cancellations"): every one an ISO-8601 duration. `EnvironmentVariables` extends this class
 * (which extends the money's).
 */
export class TrustVariables extends MoneyVariables {
  /**
   * How long after a job completes its parties may review each other; at its end (`revealAt`)
   * whatever was submitted is published (Airbnb: 14 days).
   */
  @IsString()
  REVIEW_WINDOW = 'P14D';

  /** A side that hasn't reviewed is reminded this long before `revealAt`. */
  @IsString()
  REVIEW_REMINDER_BEFORE = 'P3D';

  /** How long after a job completes a party may still open a dispute about it. */
  @IsString()
  DISPUTE_WINDOW = 'P14D';

  /** The other party's time to answer a dispute or new evidence (`respondBy`). */
  @IsString()
  DISPUTE_RESPONSE_WINDOW = 'PT48H';

  /** The other party is reminded this long before `respondBy`. */
  @IsString()
  DISPUTE_RESPONSE_REMINDER_BEFORE = 'PT24H';

  /** Admins are told of a dispute nobody has taken this long after it opened. */
  @IsString()
  DISPUTE_UNASSIGNED_ALERT_AFTER = 'PT24H';

  /** Admins are told of a dispute still open this long after it opened. */
  @IsString()
  DISPUTE_UNRESOLVED_ALERT_AFTER = 'PT48H';
}
