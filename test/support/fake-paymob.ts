import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the fake answers the next disbursement:
 * - `successful` / `pending` / `failed`: a transaction is made in that state (HTTP 200);
 * - `rejected`: HTTP 400 without a transaction, as Paymob refuses an amount over the budget;
 * - `http500`: HTTP 500, nothing is made;
 * - `hang`: the transaction is made (successful) but the answer never comes.
 */
export type FakePaymobOutcome =
  'successful' | 'pending' | 'failed' | 'rejected' | 'http500' | 'hang';

/** A transaction the fake made, with Paymob's field names. */
export interface FakePaymobTransaction {
  transaction_id: string;
  issuer: string;
  /** As received: EGP with at most 2 decimals. */
  amount: string | number;
  msisdn?: string;
  bank_card_number?: string;
  bank_code?: string;
  bank_transaction_type?: string;
  full_name?: string;
  client_reference_id?: string;
  client_reference?: string;
  disbursement_status: 'successful' | 'pending' | 'failed';
  status_code: string;
  status_description: string;
  created_at: string;
  updated_at: string;
}

/** One disbursement request that passed authentication, and how the fake answered it. */
export interface ReceivedDisbursement {
  body: Record<string, unknown>;
  answer: FakePaymobOutcome | 'invalid' | 'duplicate';
}

export interface FakePaymobCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

const ISSUERS = ['vodafone', 'etisalat', 'orange', 'aman', 'bank_wallet', 'bank_card'];
const WALLET_ISSUERS = ['vodafone', 'etisalat', 'orange', 'aman', 'bank_wallet'];
const BANK_TRANSACTION_TYPES = ['salary', 'credit_card', 'prepaid_card', 'cash_transfer'];
const STATUS_CODES = { successful: '200', pending: '8000', failed: '618' } as const;

/**
 * Paymob's payouts API (https://payouts.paymobsolutions.com/docs/) as a real HTTP server on
 * 127.0.0.1, for the Paymob payout adapter to talk to over sockets:
 * - `POST /api/secure/o/token/`: HTTP Basic client id/secret + form `grant_type=password`,
 *   `username`, `password`; issues bearer tokens with `expires_in` (seconds);
 * - `POST /api/secure/disburse/`: validates as the Instant Cashin docs describe (issuers, amount
 *   with ≤ 2 decimals, 11-digit msisdn, bank fields), answers as told (`answerNext`);
 * - `POST /api/secure/transaction/inquire/`: `transactions_ids_list` of transaction ids or client
 *   reference ids, answers `{ count, next, previous, results }`.
 * A missing, unknown or expired bearer token gets 401. A repeated `client_reference_id` or
 * `client_reference` gets HTTP 400 with `status_code` "501" and no transaction: Paymob documents
 * `client_reference` as "must be unique", not as idempotent (the exact duplicate answer is not
 * documented; this one is an assumption).
 */
export class FakePaymob {
  /** Every authenticated disbursement request, oldest first. */
  readonly payouts: ReceivedDisbursement[] = [];
  /** Every transaction made, oldest first. */
  readonly transactions: FakePaymobTransaction[] = [];
  /** The `transactions_ids_list` of every authenticated inquiry. */
  readonly inquiries: string[][] = [];
  /** Tokens issued so far. */
  tokensIssued = 0;
  /** Requests refused for their bearer token (missing, unknown or expired). */
  tokenRefusals = 0;
  /** The `status_description` of a `failed` or `rejected` answer, from the request's body. */
  describeFailure: (body: Record<string, unknown>) => string = () =>
    'Sorry, this wallet is not eligible for the service';

  private readonly credentials: FakePaymobCredentials;
  private readonly tokenLifetimeS: number;
  private readonly tokens = new Map<string, number>();
  private readonly outcomes: FakePaymobOutcome[] = [];
  private readonly hanging: ServerResponse[] = [];
  private server?: Server;

  constructor(options: Partial<FakePaymobCredentials> & { tokenLifetimeS?: number } = {}) {
    this.credentials = {
      clientId: options.clientId ?? 'fake-client-id',
      clientSecret: options.clientSecret ?? 'fake-client-secret',
      username: options.username ?? 'fake-username',
      password: options.password ?? 'fake-password',
    };
    this.tokenLifetimeS = options.tokenLifetimeS ?? 3600;
  }

  /** Listens on a free port of 127.0.0.1. @returns the base URL (`http://127.0.0.1:<port>`) */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        respond(response, 500, { detail: String(error) });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Closes the server, cutting the answers still hanging. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    this.hanging.splice(0).forEach((response) => response.destroy());
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The answers to the next disbursements, in order; after them, `successful`. */
  answerNext(...outcomes: FakePaymobOutcome[]): void {
    this.outcomes.push(...outcomes);
  }

  /** Ends a pending transaction, as the wallet or bank eventually does. */
  settle(transactionId: string, status: 'successful' | 'failed', description?: string): void {
    const transaction = this.transactions.find((t) => t.transaction_id === transactionId);
    if (!transaction) {
      throw new Error(`no transaction ${transactionId}`);
    }
    transaction.disbursement_status = status;
    transaction.status_code = STATUS_CODES[status];
    transaction.status_description =
      description ?? (status === 'successful' ? 'Transaction is done successfully' : 'Failed');
    transaction.updated_at = timestamp();
  }

  /** Every token issued so far expires now (as after Paymob's 60 minutes). */
  expireTokens(): void {
    this.tokens.clear();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (request.method !== 'POST') {
      return respond(response, 405, { detail: `Method "${request.method}" not allowed.` });
    }
    switch (request.url) {
      case '/api/secure/o/token/':
        return this.token(request, body, response);
      case '/api/secure/disburse/':
        return this.authenticated(request, response, () => this.disburse(body, response));
      case '/api/secure/transaction/inquire/':
        return this.authenticated(request, response, () => this.inquire(body, response));
      default:
        return respond(response, 404, { detail: 'Not found.' });
    }
  }

  private token(request: IncomingMessage, body: string, response: ServerResponse): void {
    const { clientId, clientSecret, username, password } = this.credentials;
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (request.headers.authorization !== basic) {
      return respond(response, 401, { error: 'invalid_client' });
    }
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return respond(response, 400, { error: 'invalid_request' });
    }
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'password') {
      return respond(response, 400, { error: 'unsupported_grant_type' });
    }
    if (form.get('username') !== username || form.get('password') !== password) {
      return respond(response, 400, {
        error: 'invalid_grant',
        error_description: 'Invalid credentials given.',
      });
    }
    const accessToken = randomBytes(15).toString('hex');
    this.tokens.set(accessToken, Date.now() + this.tokenLifetimeS * 1000);
    this.tokensIssued += 1;
    respond(response, 200, {
      access_token: accessToken,
      expires_in: this.tokenLifetimeS,
      refresh_token: randomBytes(15).toString('hex'),
      scope: 'read write',
      token_type: 'Bearer',
    });
  }

  private authenticated(
    request: IncomingMessage,
    response: ServerResponse,
    next: () => void,
  ): void {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expiresAt = token ? this.tokens.get(token) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      this.tokenRefusals += 1;
      return respond(response, 401, {
        disbursement_status: 'failed',
        status_description: 'Authentication credentials were not provided.',
        status_code: '401',
      });
    }
    next();
  }

  private disburse(text: string, response: ServerResponse): void {
    const body = parseObject(text);
    const errors = validateDisbursement(body);
    if (Object.keys(errors).length > 0) {
      this.payouts.push({ body, answer: 'invalid' });
      return respond(response, 400, {
        disbursement_status: 'failed',
        status_description: errors,
        status_code: '400',
      });
    }
    if (this.duplicateOf(body)) {
      this.payouts.push({ body, answer: 'duplicate' });
      return respond(response, 400, {
        disbursement_status: 'failed',
        status_description: 'Duplicate transaction: this client reference was used before',
        status_code: '501',
      });
    }
    const outcome = this.outcomes.shift() ?? 'successful';
    this.payouts.push({ body, answer: outcome });
    switch (outcome) {
      case 'http500':
        response.writeHead(500, { 'content-type': 'text/html' });
        response.end('<h1>Server Error (500)</h1>');
        return;
      case 'rejected':
        return respond(response, 400, {
          disbursement_status: 'failed',
          status_description: this.describeFailure(body),
          status_code: '400',
        });
      case 'hang':
        this.make(body, 'successful');
        this.hanging.push(response);
        return;
      case 'successful':
      case 'pending':
      case 'failed':
        return respond(response, 200, view(this.make(body, outcome)));
    }
  }

  private inquire(text: string, response: ServerResponse): void {
    const ids = parseObject(text).transactions_ids_list;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
      return respond(response, 400, { transactions_ids_list: ['This field is required.'] });
    }
    this.inquiries.push(ids);
    const results = this.transactions
      .filter((t) =>
        [t.transaction_id, t.client_reference_id, t.client_reference].some(
          (value) => value !== undefined && ids.includes(value),
        ),
      )
      .map(view);
    respond(response, 200, { count: results.length, next: null, previous: null, results });
  }

  private duplicateOf(body: Record<string, unknown>): FakePaymobTransaction | undefined {
    const { client_reference_id: referenceId, client_reference: reference } = body;
    return this.transactions.find(
      (t) =>
        (referenceId !== undefined && t.client_reference_id === referenceId) ||
        (reference !== undefined && t.client_reference === reference),
    );
  }

  private make(
    body: Record<string, unknown>,
    status: FakePaymobTransaction['disbursement_status'],
  ): FakePaymobTransaction {
    const optional = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
    const now = timestamp();
    const transaction: FakePaymobTransaction = {
      transaction_id: randomUUID(),
      issuer: String(body.issuer).toLowerCase(),
      amount: body.amount as string | number,
      msisdn: optional('msisdn'),
      bank_card_number: optional('bank_card_number'),
      bank_code: optional('bank_code'),
      bank_transaction_type: optional('bank_transaction_type'),
      full_name: optional('full_name'),
      client_reference_id: optional('client_reference_id'),
      client_reference: optional('client_reference'),
      disbursement_status: status,
      status_code: STATUS_CODES[status],
      status_description:
        status === 'failed'
          ? this.describeFailure(body)
          : status === 'pending'
            ? 'Transaction received and validated successfully. Dispatched for being processed by the carrier'
            : 'Transaction is done successfully',
      created_at: now,
      updated_at: now,
    };
    this.transactions.push(transaction);
    return transaction;
  }
}

/** A transaction as Paymob's answers show it (the client reference id as `client_transaction_reference`). */
function view(transaction: FakePaymobTransaction): Record<string, unknown> {
  const { client_reference_id: referenceId, client_reference: _reference, ...shown } = transaction;
  return {
    ...shown,
    client_transaction_reference: referenceId ?? null,
    aman_cashing_details: null,
  };
}

function validateDisbursement(body: Record<string, unknown>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const required = (field: string) => {
    if (typeof body[field] !== 'string' || body[field] === '') {
      errors[field] = ['This field is required.'];
      return false;
    }
    return true;
  };
  const issuer = typeof body.issuer === 'string' ? body.issuer.toLowerCase() : '';
  if (!ISSUERS.includes(issuer)) {
    errors.issuer = ['Invalid issuer.'];
  }
  const amount = body.amount;
  if (
    !(typeof amount === 'string' || typeof amount === 'number') ||
    !/^\d+(\.\d{1,2})?$/.test(String(amount)) ||
    Number(amount) <= 0
  ) {
    errors.amount = ['Ensure that there are no more than 2 decimal places.'];
  }
  if (
    WALLET_ISSUERS.includes(issuer) &&
    required('msisdn') &&
    !/^01\d{9}$/.test(String(body.msisdn))
  ) {
    errors.msisdn = ['Enter a valid msisdn.'];
  }
  if (issuer === 'bank_card') {
    ['bank_card_number', 'bank_code', 'full_name'].forEach(required);
    if (
      required('bank_transaction_type') &&
      !BANK_TRANSACTION_TYPES.includes(String(body.bank_transaction_type).toLowerCase())
    ) {
      errors.bank_transaction_type = ['Invalid bank transaction type.'];
    }
  }
  return errors;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Paymob's timestamps: `2020-10-12 07:19:46.121389` (here, milliseconds only). */
function timestamp(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '');
}
