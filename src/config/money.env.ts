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

  /** FawryPay's API (e.g. https://atfawry.fawrystaging.com); Fawry is off without it. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  FAWRY_BASE_URL?: string;

  /** The merchant code Fawry issued. */
  @IsOptional()
  @IsString()
  FAWRY_MERCHANT_CODE?: string;

  /** Fawry's secure key: signs requests and verifies notifications. */
  @IsOptional()
  @IsString()
  FAWRY_SECURE_KEY?: string;

  /** Stripe's secret API key (`sk_…`); Stripe is off without it. */
  @IsOptional()
  @IsString()
  STRIPE_SECRET_KEY?: string;

  /** The signing secret of the Stripe webhook endpoint (`whsec_…`). */
  @IsOptional()
  @IsString()
  STRIPE_WEBHOOK_SECRET?: string;

  /** Another host for Stripe's API (tests, a proxy), e.g. http://127.0.0.1:12111. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  STRIPE_API_URL?: string;

  /** How one call to a payment gateway may take (ISO-8601). */
  @IsString()
  PAYMENT_GATEWAY_TIMEOUT = 'PT15S';

  /**
   * How long a client has to pay an initiated payment (a PayAtFawry reference number, a card
   * payment); after that it expires and he may initiate again (ISO-8601).
   */
  @IsString()
  PAYMENT_EXPIRES_AFTER = 'PT48H';

  /**
   * After the craftsman requests completion, the job completes by itself this long after unless
   * the client completes or a party disputes first (ISO-8601).
   */
  @IsString()
  AUTO_COMPLETE_AFTER = 'P7D';
}

const PAYMOB_VARIABLES = [
  'PAYMOB_PAYOUT_URL',
  'PAYMOB_PAYOUT_CLIENT_ID',
  'PAYMOB_PAYOUT_CLIENT_SECRET',
  'PAYMOB_PAYOUT_USERNAME',
  'PAYMOB_PAYOUT_PASSWORD',
] as const;

const FAWRY_VARIABLES = ['FAWRY_BASE_URL', 'FAWRY_MERCHANT_CODE', 'FAWRY_SECURE_KEY'] as const;
const STRIPE_VARIABLES = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;

/**
 * A payment gateway is on when all its variables are set, off when none is: some but not all is
 * a mistake worth refusing to start for.
 */
export function paymentGatewayProblems(env: MoneyVariables): string[] {
  const problems: string[] = [];
  for (const [gateway, names] of [
    ['Fawry', FAWRY_VARIABLES],
    ['Stripe', STRIPE_VARIABLES],
  ] as const) {
    const missing = names.filter((name) => !env[name]);
    if (missing.length > 0 && missing.length < names.length) {
      problems.push(`${gateway} is half configured: set ${missing.join(', ')} too, or none`);
    }
  }
  return problems;
}

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
