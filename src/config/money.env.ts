import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { MAX_PRICE } from '../common/money.js';
import { EGYPT_FIXED_HOLIDAYS } from '../common/time/business-days.js';
import { toNumber } from './env-transforms.js';

/**
 * The environment variables of money (API.md "Money"): fees, withdrawals, payouts and the
 * ledger. Amounts are integer piastres (1 EGP = 100). `EnvironmentVariables` extends this class.
 */
export class MoneyVariables {
  /** The platform's fee in basis points of a job's price (1000 = 10 %), rounded half up. */
  @IsInt()
  @Min(0)
  @Max(10_000)
  @Transform(toNumber)
  PLATFORM_FEE_BPS = 1000;

  /** The smallest fee of a job, piastres. */
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  @Transform(toNumber)
  PLATFORM_FEE_MIN = 0;

  /** At or above this much owed in fees (piastres), a craftsman can't take cash jobs. */
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  @Transform(toNumber)
  FEE_DEBT_LIMIT = 50_000;

  /** The first fee reminder, this long after a cash job's fee was posted (ISO-8601). */
  @IsString()
  FEE_REMINDER_FIRST = 'P2D';

  /** The second and last fee reminder (ISO-8601). */
  @IsString()
  FEE_REMINDER_SECOND = 'P5D';

  /** The smallest withdrawal, piastres. */
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE)
  @Transform(toNumber)
  WITHDRAW_MIN = 5_000;

  /** How many Egyptian business days (Sun–Thu) a payout is expected to take. */
  @IsInt()
  @Min(1)
  @Max(30)
  @Transform(toNumber)
  PAYOUT_BUSINESS_DAYS = 2;

  /**
   * Public holidays skipped when counting business days, comma-separated: `MM-DD` every year,
   * `YYYY-MM-DD` once (the lunar holidays, added each year).
   */
  @IsString()
  PUBLIC_HOLIDAYS = EGYPT_FIXED_HOLIDAYS;

  /** Who pays withdrawals out: `manual` (an admin transfers and marks them) or `paymob`. */
  @IsIn(['manual', 'paymob'])
  PAYOUT_PROVIDER: 'manual' | 'paymob' = 'manual';

  /** Paymob's payout API (e.g. https://payouts.paymob.com); required with PAYOUT_PROVIDER=paymob. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  PAYMOB_PAYOUT_URL?: string;

  @IsOptional()
  @IsString()
  PAYMOB_PAYOUT_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  PAYMOB_PAYOUT_CLIENT_SECRET?: string;

  @IsOptional()
  @IsString()
  PAYMOB_PAYOUT_USERNAME?: string;

  @IsOptional()
  @IsString()
  PAYMOB_PAYOUT_PASSWORD?: string;

  /** How long one call to the payout provider may take (ISO-8601). */
  @IsString()
  PAYOUT_TIMEOUT = 'PT15S';

  /**
   * How long the instance that writes a ledger entry has to apply it; after that the sweeper
   * finishes it (ISO-8601).
   */
  @IsString()
  LEDGER_LEASE = 'PT30S';
}

const PAYMOB_VARIABLES = [
  'PAYMOB_PAYOUT_URL',
  'PAYMOB_PAYOUT_CLIENT_ID',
  'PAYMOB_PAYOUT_CLIENT_SECRET',
  'PAYMOB_PAYOUT_USERNAME',
  'PAYMOB_PAYOUT_PASSWORD',
] as const;

/** With PAYOUT_PROVIDER=paymob, every Paymob variable is required. */
export function paymobProblems(env: MoneyVariables): string[] {
  if (env.PAYOUT_PROVIDER !== 'paymob') {
    return [];
  }
  const missing = PAYMOB_VARIABLES.filter((name) => !env[name]);
  return missing.length === 0
    ? []
    : [`PAYOUT_PROVIDER=paymob needs ${missing.join(', ')} (Paymob's payout credentials)`];
}
