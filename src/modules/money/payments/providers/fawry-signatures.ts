import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * FawryPay's request and notification signatures: SHA-256 over fields concatenated without
 * separators, the merchant's secure key last, as lowercase hex. Amounts take part as EGP with
 * exactly two decimals (`fawryAmount`). Sources (FawryPay developer docs, staging portal):
 * - charge: https://developer.fawrystaging.com/docs/server-apis/create-payment-refno-apis and
 *   https://atfawry.com/developer-guide/checkout-Api.html;
 * - status: https://developer.fawrystaging.com/docs/payment-notifications/get-payment-status-v2;
 * - refund: https://developer.fawrystaging.com/docs/server-apis/refund-issue-api;
 * - notification: https://developer.fawrystaging.com/docs/server-apis/payment-notifications/server-notification-v2.
 */

/**
 * Integer piastres as Fawry's two-decimal EGP amount: 12345 → `"123.45"`, 5 → `"0.05"`,
 * 0 → `"0.00"`. Exact: no floating-point arithmetic on money.
 *
 * @throws RangeError for anything but a safe integer ≥ 0
 */
export function fawryAmount(piastres: number): string {
  if (!Number.isSafeInteger(piastres) || piastres < 0) {
    throw new RangeError(`a Fawry amount is a whole number of piastres ≥ 0 (got ${piastres})`);
  }
  const pounds = Math.floor(piastres / 100);
  const rest = piastres % 100;
  return `${pounds}.${String(rest).padStart(2, '0')}`;
}

/**
 * An EGP amount as Fawry writes it (a JSON number such as `152`, `20.1`, or a string such as
 * `"150.00"`) in integer piastres: `"123.45"` → 12345, `20.1` → 2010, `840` → 84000. The decimal
 * text is parsed digit by digit, so no float drift; digits past the second decimal must be zeros.
 *
 * @throws RangeError for a negative, non-finite or malformed amount, or one with a fraction of a
 *   piastre
 */
export function piastresFromFawry(value: number | string): number {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    throw new RangeError(`not a Fawry amount: ${JSON.stringify(String(value))}`);
  }
  const [, whole, fraction = ''] = match;
  if (/[^0]/.test(fraction.slice(2))) {
    throw new RangeError(`a Fawry amount has at most two decimals (got ${text})`);
  }
  const piastres = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(piastres)) {
    throw new RangeError(`a Fawry amount too large to count in piastres (got ${text})`);
  }
  return piastres;
}

/** Fields of the server-to-server charge request that its signature covers. */
export interface FawryChargeSignatureFields {
  merchantCode: string;
  merchantRefNum: string;
  /** Our id of the payer; absent → the empty string, as Fawry documents. */
  customerProfileId?: string;
  /** `PAYATFAWRY`, `CARD`, `MWALLET`, … as sent in the request. */
  paymentMethod: string;
  /** Integer piastres; signed as two-decimal EGP. */
  amount: number;
  secureKey: string;
}

/**
 * The `signature` of a charge request (`POST /ECommerceWeb/Fawry/payments/charge`), as
 * documented for the reference-number (PAYATFAWRY) charge at
 * https://developer.fawrystaging.com/docs/server-apis/create-payment-refno-apis and
 * https://atfawry.com/developer-guide/checkout-Api.html:
 * SHA-256(merchantCode + merchantRefNum + customerProfileId (or "") + paymentMethod +
 * amount (two decimals, e.g. `10.00`) + secureKey). A card charge with raw card data or a card
 * token appends those fields (not used here); a wallet request-to-pay appends the debited
 * wallet's number (not used here).
 *
 * @throws RangeError when `amount` is not a whole number of piastres ≥ 0
 */
export function fawryChargeSignature(fields: FawryChargeSignatureFields): string {
  return sha256Hex(
    fields.merchantCode,
    fields.merchantRefNum,
    fields.customerProfileId ?? '',
    fields.paymentMethod,
    fawryAmount(fields.amount),
    fields.secureKey,
  );
}

/** Fields of a Payment Status V2 query that its signature covers. */
export interface FawryStatusSignatureFields {
  merchantCode: string;
  merchantRefNumber: string;
  secureKey: string;
}

/**
 * The `signature` query parameter of Get Payment Status V2
 * (`GET /ECommerceWeb/Fawry/payments/status/v2`), as documented at
 * https://developer.fawrystaging.com/docs/payment-notifications/get-payment-status-v2:
 * SHA-256(merchantCode + merchantRefNumber + secureKey).
 */
export function fawryStatusSignature(fields: FawryStatusSignatureFields): string {
  return sha256Hex(fields.merchantCode, fields.merchantRefNumber, fields.secureKey);
}

/** Fields of a refund request that its signature covers. */
export interface FawryRefundSignatureFields {
  merchantCode: string;
  /** Fawry's `referenceNumber` of the paid charge. */
  referenceNumber: string;
  /** Integer piastres; signed as two-decimal EGP. */
  refundAmount: number;
  /** Absent → the empty string ("refund reason (if exists)"). */
  reason?: string;
  secureKey: string;
}

/**
 * The `signature` of a refund request (`POST /ECommerceWeb/Fawry/payments/refund`), as
 * documented at https://developer.fawrystaging.com/docs/server-apis/refund-issue-api:
 * SHA-256(merchantCode + referenceNumber + refundAmount (two decimals, e.g. `10.00`) +
 * reason (if it exists) + secureKey).
 *
 * @throws RangeError when `refundAmount` is not a whole number of piastres ≥ 0
 */
export function fawryRefundSignature(fields: FawryRefundSignatureFields): string {
  return sha256Hex(
    fields.merchantCode,
    fields.referenceNumber,
    fawryAmount(fields.refundAmount),
    fields.reason ?? '',
    fields.secureKey,
  );
}

/** Fields of a Server-to-Server Notification V2 that its `messageSignature` covers. */
export interface FawryNotificationSignatureFields {
  fawryRefNumber: string;
  merchantRefNumber: string;
  /** Integer piastres (what the payer paid, fees included); signed as two-decimal EGP. */
  paymentAmount: number;
  /** Integer piastres (the order's amount); signed as two-decimal EGP. */
  orderAmount: number;
  orderStatus: string;
  /** As Fawry sent it (`PAYATFAWRY`, `CARD`, `Mobile Wallet`, …): not normalized. */
  paymentMethod: string;
  /** Fawry's `paymentRefrenceNumber` (its spelling), sent for some methods only; absent → "". */
  paymentRefrenceNumber?: string;
  secureKey: string;
}

/**
 * The `messageSignature` of a Server-to-Server Notification V2 (Fawry POSTs JSON to the
 * merchant's callback URL), as documented at
 * https://developer.fawrystaging.com/docs/server-apis/payment-notifications/server-notification-v2:
 * SHA-256(fawryRefNumber + merchantRefNumber + paymentAmount (two decimals) +
 * orderAmount (two decimals) + orderStatus + paymentMethod + paymentRefrenceNumber (if it
 * exists) + secureKey).
 *
 * @throws RangeError when an amount is not a whole number of piastres ≥ 0
 */
export function fawryNotificationSignature(fields: FawryNotificationSignatureFields): string {
  return sha256Hex(
    fields.fawryRefNumber,
    fields.merchantRefNumber,
    fawryAmount(fields.paymentAmount),
    fawryAmount(fields.orderAmount),
    fields.orderStatus,
    fields.paymentMethod,
    fields.paymentRefrenceNumber ?? '',
    fields.secureKey,
  );
}

/**
 * Whether a received signature is the expected one, in constant time for equal lengths (hex
 * case ignored). A missing or empty signature never matches.
 */
export function fawrySignatureMatches(expected: string, received: unknown): boolean {
  if (typeof received !== 'string' || received === '') {
    return false;
  }
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function sha256Hex(...parts: string[]): string {
  return createHash('sha256').update(parts.join(''), 'utf8').digest('hex');
}

/** A JSON number's decimal text (`20.1`, `840`); exponent forms are refused by the caller. */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'not finite';
}
