import { type BusinessCalendar, parseHolidays } from '../common/time/business-days.js';
import type { PayoutProviderName } from '../modules/money/wallet/payout-provider.js';
import type { ValidatedEnv } from './env.validation.js';

/** Money settings (API.md "Money"); amounts in piastres, spans in ms. */
export interface MoneyConfig {
  platformFeeBps: number;
  platformFeeMin: number;
  feeDebtLimit: number;
  /** After a cash job's fee is posted: when its reminders are due. */
  feeReminderAfterMs: [number, number];
  withdrawMin: number;
  payoutBusinessDays: number;
  /** Egypt's working week (Sun–Thu, Africa/Cairo) and the configured holidays. */
  businessCalendar: BusinessCalendar;
  payoutProvider: PayoutProviderName;
  paymob?: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
  };
  payoutTimeoutMs: number;
  ledgerLeaseMs: number;
  /**
   * Settled entries leave their accounts' `pendingEntries` after this long: 10 leases (5 min by
   * default), long after any writer stopped (a writer stops at its lease's end). Short, because a
   * busy account's list is rewritten by every posting (bench/RESULTS.md, "Ledger").
   */
  ledgerCompactAfterMs: number;
  /** FawryPay, when configured (FAWRY_*). */
  fawry?: { baseUrl: string; merchantCode: string; secureKey: string };
  /** Stripe, when configured (STRIPE_*); `apiUrl` points the SDK at another host. */
  stripe?: { secretKey: string; webhookSecret: string; apiUrl?: string };
  paymentGatewayTimeoutMs: number;
  /** How long a client has to pay an initiated payment. */
  paymentExpiresAfterMs: number;
  /** From a craftsman's completion request to the job completing by itself. */
  autoCompleteAfterMs: number;
}

export function moneyConfigFromEnv(env: ValidatedEnv): MoneyConfig {
  const ledgerLeaseMs = env.timeSpans.LEDGER_LEASE;
  return {
    platformFeeBps: env.PLATFORM_FEE_BPS,
    platformFeeMin: env.PLATFORM_FEE_MIN,
    feeDebtLimit: env.FEE_DEBT_LIMIT,
    feeReminderAfterMs: [env.timeSpans.FEE_REMINDER_FIRST, env.timeSpans.FEE_REMINDER_SECOND],
    withdrawMin: env.WITHDRAW_MIN,
    payoutBusinessDays: env.PAYOUT_BUSINESS_DAYS,
    businessCalendar: {
      timeZone: 'Africa/Cairo',
      // luxon weekdays: 7 is Sunday
      workingWeekdays: [7, 1, 2, 3, 4],
      holidays: parseHolidays(env.PUBLIC_HOLIDAYS),
    },
    payoutProvider: env.PAYOUT_PROVIDER,
    paymob:
      env.PAYOUT_PROVIDER === 'paymob'
        ? {
            baseUrl: env.PAYMOB_PAYOUT_URL!,
            clientId: env.PAYMOB_PAYOUT_CLIENT_ID!,
            clientSecret: env.PAYMOB_PAYOUT_CLIENT_SECRET!,
            username: env.PAYMOB_PAYOUT_USERNAME!,
            password: env.PAYMOB_PAYOUT_PASSWORD!,
          }
        : undefined,
    payoutTimeoutMs: env.timeSpans.PAYOUT_TIMEOUT,
    ledgerLeaseMs,
    ledgerCompactAfterMs: Math.max(10 * ledgerLeaseMs, 60_000),
    fawry:
      env.FAWRY_BASE_URL && env.FAWRY_MERCHANT_CODE && env.FAWRY_SECURE_KEY
        ? {
            baseUrl: env.FAWRY_BASE_URL,
            merchantCode: env.FAWRY_MERCHANT_CODE,
            secureKey: env.FAWRY_SECURE_KEY,
          }
        : undefined,
    stripe:
      env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: env.STRIPE_SECRET_KEY,
            webhookSecret: env.STRIPE_WEBHOOK_SECRET,
            apiUrl: env.STRIPE_API_URL,
          }
        : undefined,
    paymentGatewayTimeoutMs: env.timeSpans.PAYMENT_GATEWAY_TIMEOUT,
    paymentExpiresAfterMs: env.timeSpans.PAYMENT_EXPIRES_AFTER,
    autoCompleteAfterMs: env.timeSpans.AUTO_COMPLETE_AFTER,
  };
}
