import { createHash } from 'node:crypto';
import { Clock, SystemClock } from '../../../../common/clock/clock.js';
import {
  type PayoutDestination,
  type PayoutProvider,
  type PayoutRequest,
  type PayoutResult,
  PayoutUnavailableError,
} from '../payout-provider.js';

/** How the adapter reaches Paymob's payouts API (credentials come from Paymob's onboarding). */
export interface PaymobPayoutOptions {
  /** `https://payouts.paymobsolutions.com` (staging: `https://stagingpayouts.paymobsolutions.com`). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Per HTTP request (token, disbursement, inquiry), in milliseconds. */
  timeoutMs: number;
}

/** Paymob's channels ("issuers") for a disbursement, as its Instant Cashin API spells them. */
type Issuer = 'vodafone' | 'etisalat' | 'orange' | 'bank_card';

/**
 * Wallet issuers by the Egyptian mobile prefix (010 Vodafone Cash, 011 e& cash, 012 Orange Cash).
 * A number moved to another operator keeps its prefix: Paymob then refuses the payout, which is
 * reported as `failed` with its reason.
 */
const WALLET_ISSUERS: Record<string, Issuer> = {
  '010': 'vodafone',
  '011': 'etisalat',
  '012': 'orange',
};

/** Issuers whose documented request carries the recipient's name. */
const NAMED_ISSUERS = new Set<Issuer>(['orange', 'bank_card']);

/** What the adapter puts in place of a secret (msisdn, IBAN, credential) in a reason. */
const REDACTED = '[redacted]';
/** Long digit runs (phone, card, account numbers) never reach a reason, whoever wrote them. */
const DIGIT_RUN = /\+?\d(?:[\s-]?\d){7,}/g;
const MAX_REASON_LENGTH = 300;

/** A token is renewed this long before Paymob says it expires (at most a tenth of its life). */
const TOKEN_RENEWAL_MARGIN_MS = 60_000;
/** Paymob documents 60-minute tokens; used when `expires_in` is not a number. */
const DEFAULT_TOKEN_LIFETIME_S = 3600;

const PATHS = {
  token: '/api/secure/o/token/',
  disburse: '/api/secure/disburse/',
  inquire: '/api/secure/transaction/inquire/',
} as const;

interface HttpAnswer {
  status: number;
  /** The parsed JSON body, or `undefined` when there was none or it was not JSON. */
  body: unknown;
}

/** A transaction as Paymob's disburse and inquiry answers describe it. */
interface PaymobTransaction {
  transaction_id: string;
  disbursement_status?: unknown;
  /** The name before Paymob renamed it to `disbursement_status`. */
  transaction_status?: unknown;
  status_description?: unknown;
  client_transaction_reference?: unknown;
  client_reference_id?: unknown;
  client_reference?: unknown;
}

/**
 * Integer piastres as the decimal EGP string Paymob's `amount` takes: 12345 → `"123.45"`,
 * 1 → `"0.01"`, 100000000 → `"1000000.00"`. Exact: no floating-point arithmetic on money.
 *
 * @throws RangeError for anything but a safe integer > 0
 */
export function piastresToEgp(piastres: number): string {
  if (!Number.isSafeInteger(piastres) || piastres <= 0) {
    throw new RangeError(`a payout amount is a whole number of piastres > 0 (got ${piastres})`);
  }
  const pounds = Math.floor(piastres / 100);
  const rest = piastres % 100;
  return `${pounds}.${String(rest).padStart(2, '0')}`;
}

/**
 * The `client_reference_id` Paymob keeps for a withdrawal: Paymob documents it as a uuid4 "saved
 * as reference in case of timeouts", so it is derived from the withdrawal id (SHA-256, laid out
 * as a version-4 UUID) and a retry of the same withdrawal sends the same one.
 */
export function paymobClientReferenceId(withdrawalId: string): string {
  const bytes = createHash('sha256').update(`craftsmen-payout:${withdrawalId}`).digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `PayoutProvider` over Paymob's payouts API ("Paymob Send", formerly Disbursement / Instant
 * Cashin), as documented at:
 * - token: https://payouts.paymobsolutions.com/docs/generate_and_refresh_token_api
 *   (`POST /api/secure/o/token/`, form-encoded `grant_type=password`, HTTP Basic client id and
 *   secret, `expires_in` in seconds, 60 minutes);
 * - payout: https://payouts.paymobsolutions.com/docs/instant_cashin_api (`POST
 *   /api/secure/disburse/`: `issuer`, `amount` in EGP with at most 2 decimals, `msisdn` as 11
 *   local digits, `bank_card_number` (an IBAN is accepted), `bank_code`, `bank_transaction_type`,
 *   `full_name`, `client_reference_id` (uuid4) and `client_reference` ("must be unique"));
 * - status: https://developers.paymob.com/egypt/payouts/bulk-transaction-inquiry-api-endpoint
 *   (`POST /api/secure/transaction/inquire/` with `transactions_ids_list`, which takes
 *   transaction ids or client reference ids; throttled to 5 requests a minute).
 *
 * `send` maps Paymob's `disbursement_status`: `successful` (`success` in older answers) → `paid`
 * with Paymob's `transaction_id` as the reference; `pending` → `pending`; `failed` → `failed`
 * with its `status_description` (msisdns, IBANs and long digit runs redacted).
 *
 * Paymob does not document a repeated reference as idempotent (`client_reference` "must be
 * unique"), so a refusal without a transaction (a 4xx, or `failed` without `transaction_id`) is
 * first checked against the inquiry by our `client_reference_id`: a retry of a payout Paymob
 * already made answers with that transaction instead of a second payout or a false `failed` (when
 * that inquiry can't be made, e.g. throttled, `send` throws `PayoutUnavailableError`).
 *
 * Network errors, timeouts (`timeoutMs` per request), 5xx, 408, 429, answers that are not JSON,
 * and a refusal of our credentials or of a fresh token throw `PayoutUnavailableError`, whose
 * messages hold no credential, token, msisdn or IBAN. The OAuth token is kept until shortly before
 * `expires_in`, and fetched again once when Paymob answers 401.
 *
 * Not a Nest provider itself: the wallet module builds it from configuration.
 */
export class PaymobPayoutProvider implements PayoutProvider {
  readonly name = 'paymob' as const;

  private readonly baseUrl: string;
  private token?: { value: string; renewAt: number };
  private tokenRequest?: Promise<string>;

  constructor(
    private readonly options: PaymobPayoutOptions,
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * Asks Paymob to pay `request.amount` piastres (sent as EGP) to the destination. A mobile
   * wallet's issuer comes from its prefix (010/011/012); a bank account is paid as `bank_card`
   * with the IBAN, bank code and `cash_transfer`. A destination Paymob cannot be asked to pay
   * (no issuer for the prefix, no IBAN or bank code) is `failed` without calling Paymob.
   *
   * @throws PayoutUnavailableError when nothing is known about the payout (see the class)
   * @throws RangeError when the amount is not a whole number of piastres > 0 (a caller's bug)
   */
  async send(request: PayoutRequest): Promise<PayoutResult> {
    const secrets = this.secretsOf(request.destination);
    const built = this.disbursement(request);
    if ('refusal' in built) {
      return { status: 'failed', reason: built.refusal };
    }
    const answer = await this.authorized(PATHS.disburse, built.body, 'the payout');
    this.assertAnswered(answer, 'the payout');
    const body = answer.body;
    if (!isRecord(body)) {
      throw new PayoutUnavailableError(
        `Paymob answered HTTP ${answer.status} to the payout without a JSON body`,
      );
    }
    const transaction = asTransaction(body);
    if (transaction) {
      return this.resultOf(transaction, secrets);
    }
    if (answer.status < 300 && statusOf(body) !== 'failed') {
      throw new PayoutUnavailableError('Paymob accepted the payout without a transaction id');
    }
    const earlier = await this.findByClientReference(request.withdrawalId, secrets);
    if (earlier) {
      return earlier;
    }
    return {
      status: 'failed',
      reason:
        this.reasonOf(body.status_description, secrets) ??
        `Paymob refused the payout (HTTP ${answer.status})`,
    };
  }

  /**
   * What Paymob's transaction inquiry says about `reference` (the `transaction_id` `send`
   * returned). A transaction Paymob does not list (yet) is `pending`: this never answers `failed`
   * unless Paymob says the transaction failed.
   *
   * @throws PayoutUnavailableError when Paymob can't be asked or refuses the inquiry (throttled)
   */
  async status(reference: string): Promise<PayoutResult> {
    const found = await this.inquire(reference, 'the payout status');
    const transaction = found.find((candidate) => candidate.transaction_id === reference);
    return transaction ? this.resultOf(transaction, []) : { status: 'pending', reference };
  }

  private disbursement(
    request: PayoutRequest,
  ): { body: Record<string, unknown> } | { refusal: string } {
    const common = {
      amount: piastresToEgp(request.amount),
      client_reference_id: paymobClientReferenceId(request.withdrawalId),
      client_reference: request.withdrawalId,
    };
    const destination = request.destination;
    switch (destination.type) {
      case 'mobile_wallet': {
        const msisdn = localMsisdn(destination.msisdn);
        const issuer = msisdn ? WALLET_ISSUERS[msisdn.slice(0, 3)] : undefined;
        if (!msisdn || !issuer) {
          return {
            refusal:
              'Paymob pays Vodafone Cash, e& cash and Orange Cash wallets (010, 011, 012) only',
          };
        }
        const name = NAMED_ISSUERS.has(issuer) ? { full_name: destination.accountName } : {};
        return { body: { issuer, msisdn, ...name, ...common } };
      }
      case 'bank_account': {
        const iban = destination.iban?.replace(/\s+/g, '').toUpperCase();
        if (!iban || !destination.bankCode) {
          return { refusal: 'the bank account has no IBAN or bank code' };
        }
        return {
          body: {
            issuer: 'bank_card',
            bank_card_number: iban,
            bank_code: destination.bankCode,
            bank_transaction_type: 'cash_transfer',
            full_name: destination.accountName,
            ...common,
          },
        };
      }
    }
  }

  /** The transaction Paymob already has for this withdrawal, as a result, if it has one. */
  private async findByClientReference(
    withdrawalId: string,
    secrets: string[],
  ): Promise<PayoutResult | undefined> {
    const referenceId = paymobClientReferenceId(withdrawalId);
    const found = await this.inquire(referenceId, 'an earlier payout');
    const ours = new Set([referenceId, withdrawalId]);
    const transaction = found.find((candidate) =>
      [
        candidate.client_reference_id,
        candidate.client_transaction_reference,
        candidate.client_reference,
      ].some((value) => typeof value === 'string' && ours.has(value)),
    );
    return transaction ? this.resultOf(transaction, secrets) : undefined;
  }

  private async inquire(id: string, what: string): Promise<PaymobTransaction[]> {
    const answer = await this.authorized(PATHS.inquire, { transactions_ids_list: [id] }, what);
    this.assertAnswered(answer, what);
    if (answer.status >= 300) {
      throw new PayoutUnavailableError(
        `Paymob refused the inquiry for ${what} (HTTP ${answer.status})`,
      );
    }
    const results = isRecord(answer.body) ? answer.body.results : undefined;
    if (!Array.isArray(results)) {
      throw new PayoutUnavailableError(`Paymob's inquiry for ${what} had no results list`);
    }
    return results.filter(isRecord).map(asTransaction).filter(isDefined);
  }

  private resultOf(transaction: PaymobTransaction, secrets: string[]): PayoutResult {
    const reference = transaction.transaction_id;
    switch (statusOf(transaction)) {
      case 'successful':
      case 'success':
        return { status: 'paid', reference };
      case 'failed':
        return {
          status: 'failed',
          reason:
            this.reasonOf(transaction.status_description, secrets) ?? 'Paymob failed the payout',
          reference,
        };
      default:
        // `pending`, and any state Paymob may add: not final, ask again later
        return { status: 'pending', reference };
    }
  }

  /** Throws when the answer says nothing about the payout (server side or rate limit). */
  private assertAnswered(answer: HttpAnswer, what: string): void {
    if (answer.status >= 500 || answer.status === 408 || answer.status === 429) {
      throw new PayoutUnavailableError(`Paymob answered HTTP ${answer.status} to ${what}`);
    }
  }

  /** POSTs JSON with the current token; on a 401, once more with a new token. */
  private async authorized(path: string, body: unknown, what: string): Promise<HttpAnswer> {
    const answer = await this.postJson(path, body, await this.accessToken(), what);
    if (!isTokenRefusal(answer)) {
      return answer;
    }
    this.token = undefined;
    const retried = await this.postJson(path, body, await this.accessToken(), what);
    if (isTokenRefusal(retried)) {
      throw new PayoutUnavailableError(`Paymob refused a fresh access token for ${what}`);
    }
    return retried;
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.clock.now().getTime() < this.token.renewAt) {
      return this.token.value;
    }
    // concurrent payouts share one token request
    this.tokenRequest ??= this.requestToken().finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  private async requestToken(): Promise<string> {
    const what = 'the access token';
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString(
      'base64',
    );
    const answer = await this.fetchJson(
      PATHS.token,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'password',
          username: this.options.username,
          password: this.options.password,
        }).toString(),
      },
      what,
    );
    this.assertAnswered(answer, what);
    if (answer.status >= 300) {
      throw new PayoutUnavailableError(
        `Paymob refused the payout credentials (HTTP ${answer.status})`,
      );
    }
    const body = isRecord(answer.body) ? answer.body : {};
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new PayoutUnavailableError('Paymob answered the token request without an access token');
    }
    const lifetimeS = Number(body.expires_in);
    const lifetimeMs =
      (Number.isFinite(lifetimeS) && lifetimeS > 0 ? lifetimeS : DEFAULT_TOKEN_LIFETIME_S) * 1000;
    const margin = Math.min(TOKEN_RENEWAL_MARGIN_MS, lifetimeMs / 10);
    this.token = {
      value: body.access_token,
      renewAt: this.clock.now().getTime() + lifetimeMs - margin,
    };
    return body.access_token;
  }

  private postJson(path: string, body: unknown, token: string, what: string): Promise<HttpAnswer> {
    return this.fetchJson(
      path,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
      },
      what,
    );
  }

  private async fetchJson(path: string, init: RequestInit, what: string): Promise<HttpAnswer> {
    const { timeoutMs } = this.options;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        ...init,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: parseJson(text) };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new PayoutUnavailableError(
        timedOut
          ? `Paymob did not answer ${what} within ${timeoutMs} ms`
          : `Paymob could not be reached for ${what}`,
        { cause: error },
      );
    }
  }

  /** Paymob's description of a refusal (a sentence, or field → messages), for people. */
  private reasonOf(description: unknown, secrets: string[]): string | undefined {
    const text = textOf(description);
    if (!text) {
      return undefined;
    }
    let reason = text;
    for (const secret of [...secrets, ...this.credentials()].sort((a, b) => b.length - a.length)) {
      reason = reason.split(secret).join(REDACTED);
    }
    reason = reason.replace(DIGIT_RUN, REDACTED).trim();
    return reason.length > MAX_REASON_LENGTH
      ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`
      : reason;
  }

  private credentials(): string[] {
    const { clientId, clientSecret, username, password } = this.options;
    return [clientId, clientSecret, username, password, this.token?.value ?? ''].filter(
      (value) => value.length >= 4,
    );
  }

  private secretsOf(destination: PayoutDestination): string[] {
    const msisdn = destination.msisdn ?? '';
    const local = localMsisdn(msisdn) ?? '';
    const iban = destination.iban ?? '';
    return [msisdn, msisdn.replace(/^\+/, ''), local, iban, iban.replace(/\s+/g, '')].filter(
      (value) => value.length >= 4,
    );
  }
}

/** `+201001234567` → `01001234567` (Paymob adds the +2 itself); `undefined` if not Egyptian mobile. */
function localMsisdn(e164: string | undefined): string | undefined {
  const match = /^\+20(1\d{9})$/.exec(e164 ?? '');
  return match ? `0${match[1]}` : undefined;
}

function isTokenRefusal(answer: HttpAnswer): boolean {
  return (
    answer.status === 401 || (isRecord(answer.body) && String(answer.body.status_code) === '401')
  );
}

function statusOf(body: { disbursement_status?: unknown; transaction_status?: unknown }): string {
  const status = body.disbursement_status ?? body.transaction_status;
  return typeof status === 'string' ? status.toLowerCase() : '';
}

function asTransaction(body: Record<string, unknown>): PaymobTransaction | undefined {
  const id = body.transaction_id;
  return typeof id === 'string' && id !== '' ? { ...body, transaction_id: id } : undefined;
}

function textOf(description: unknown): string | undefined {
  if (typeof description === 'string') {
    return description.trim() || undefined;
  }
  if (isRecord(description)) {
    // validation errors: { amount: ['This field is required.'], … }
    return Object.entries(description)
      .map(
        ([field, messages]) =>
          `${field}: ${(Array.isArray(messages) ? messages : [messages]).map(String).join(' ')}`,
      )
      .join('; ');
  }
  return undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
