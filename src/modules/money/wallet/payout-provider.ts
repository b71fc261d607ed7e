/**
 * The port a withdrawal's money leaves through (DESIGN.md "Money": `PayoutProvider`). Adapters:
 * `manual` (an admin transfers the money and marks the withdrawal paid or failed) and `paymob`
 * (Paymob's payout API). `PAYOUT_PROVIDER` picks one.
 */
export type PayoutProviderName = 'manual' | 'paymob';

/** Where the craftsman wants the money: a bank account (IBAN) or a mobile wallet (E.164). */
export interface PayoutDestination {
  type: 'bank_account' | 'mobile_wallet';
  /** The account holder's name as the bank or wallet knows it. */
  accountName: string;
  /** Bank accounts: the IBAN (EG + 27 digits). */
  iban?: string;
  /** Bank accounts: the bank's code (e.g. `NBE`, `CIB`), as Paymob's bank list spells it. */
  bankCode?: string;
  /** Mobile wallets: the wallet's number in E.164 (`+201xxxxxxxxx`). */
  msisdn?: string;
}

export interface PayoutRequest {
  /** Our withdrawal's id: the provider's idempotency / client reference. */
  withdrawalId: string;
  /** Integer piastres (1 EGP = 100), > 0. */
  amount: number;
  currency: 'EGP';
  destination: PayoutDestination;
}

/**
 * What the provider says about a payout:
 * - `paid`: the money left (the gateway's transaction id in `reference`);
 * - `pending`: accepted, not final yet (ask again later with `status`, or wait for an admin);
 * - `failed`: it will not be paid (`reason` is for people, never holds credentials).
 */
export type PayoutResult =
  | { status: 'paid'; reference: string }
  | { status: 'pending'; reference?: string }
  | { status: 'failed'; reason: string; reference?: string };

export interface PayoutProvider {
  readonly name: PayoutProviderName;
  /**
   * Asks the provider to pay. Safe to call again for the same withdrawal (a retry after a
   * crash): the adapter passes `withdrawalId` as its idempotency reference.
   *
   * @throws PayoutUnavailableError when the provider can't be reached or answers 5xx: nothing is
   *   known about the payout, the caller retries later
   */
  send(request: PayoutRequest): Promise<PayoutResult>;
  /** What became of a payout `send` answered `pending` for (by its reference). */
  status(reference: string): Promise<PayoutResult>;
}

/** The provider could not be asked (network, timeout, 5xx): try again later. */
export class PayoutUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PayoutUnavailableError';
  }
}

/** Nest injection token of the configured PayoutProvider. */
export const PAYOUT_PROVIDER = Symbol('PayoutProvider');
