import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service.js';
import type { RateLimit } from '../../config/auth.config.js';
import type { AllConfig } from '../../config/config.js';
import type { InvitationsConfig } from '../../config/invitations.config.js';
import { InvitationSource } from './invitation-status.js';
import { InvitationsErrors } from './invitations.errors.js';

/** What one new invitation counts against (API.md rule 9). */
export interface InviteCount {
  clientId: string;
  jobId: string;
  source: InvitationSource;
  /** The address typed, for the per-address limit (email invitations). */
  email?: string;
}

/** Gives back what a `consume` counted, when the write it guarded did not happen. */
export type Release = () => Promise<void>;

/** The lookup outcomes that tell something about an account: they spend the lookup budget. */
const LOOKUP_FAILURES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.NotFound,
  ErrorCode.NotACraftsman,
  ErrorCode.CraftsmanSuspended,
]);

interface Counter {
  name: string;
  limit: RateLimit;
  key: string;
  message: string;
}

/**
 * Rule 9's daily limits on inviting, in the shared rate-limit counters: per job, per typed
 * address, per client across his jobs for invitations by email or phone, and a per-client
 * budget of email/phone lookups that found no craftsman (so that inviting is no account oracle).
 */
@Injectable()
export class InvitationLimits {
  private readonly config: InvitationsConfig;

  constructor(
    private readonly rateLimits: RateLimitService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('invitations', { infer: true });
  }

  /** Email and phone invitations are messages to an address the client typed. */
  static isByAddress(source: InvitationSource): boolean {
    return source === InvitationSource.Email || source === InvitationSource.Phone;
  }

  /**
   * Runs an email/phone `lookup` within the client's budget. 429 RATE_LIMITED comes before the
   * lookup when the client's daily email/phone invitations or his lookup budget are spent; a
   * lookup that fails with NOT_FOUND, NOT_A_CRAFTSMAN or CRAFTSMAN_SUSPENDED spends one unit
   * of the budget (any other outcome gives it back). Rethrows what `lookup` throws.
   */
  async lookUp<T>(clientId: string, lookup: () => Promise<T>): Promise<T> {
    const budget = this.lookupCounter(clientId);
    await this.rateLimits.assertAvailable(
      'invite-client',
      this.config.perClientPerDay,
      clientId,
      InvitationsErrors.tooManyForClient(),
    );
    // counted first and given back on success: concurrent lookups cannot overdraw it
    await this.rateLimits.consume(budget.name, budget.limit, budget.key, budget.message);
    let found: T;
    try {
      found = await lookup();
    } catch (error) {
      if (!(error instanceof DomainError && LOOKUP_FAILURES.has(error.code))) {
        await this.rateLimits.refund(budget.name, budget.limit, budget.key);
      }
      throw error;
    }
    await this.rateLimits.refund(budget.name, budget.limit, budget.key);
    return found;
  }

  /**
   * Counts a new invitation (or re-invitation) against every limit that applies; throws
   * 429 RATE_LIMITED at the first one spent, having given the others back.
   */
  consume(count: InviteCount): Promise<Release> {
    const counters: Counter[] = [
      {
        name: 'invite-job',
        limit: this.config.perJobPerDay,
        key: `${count.clientId}:${count.jobId}`,
        message: InvitationsErrors.tooManyForJob(),
      },
    ];
    if (InvitationLimits.isByAddress(count.source)) {
      counters.push(this.clientCounter(count.clientId));
    }
    if (count.email) {
      counters.push({
        name: 'invite-email',
        limit: this.config.perEmailPerDay,
        key: `${count.clientId}:${count.email}`,
        message: InvitationsErrors.tooManyForEmail(),
      });
    }
    return this.consumeAll(counters);
  }

  /** A resend of an email/phone invitation is one more message: it counts like a new one. */
  consumeResend(clientId: string, source: InvitationSource): Promise<Release> {
    return this.consumeAll(
      InvitationLimits.isByAddress(source) ? [this.clientCounter(clientId)] : [],
    );
  }

  private async consumeAll(counters: Counter[]): Promise<Release> {
    const counted: Counter[] = [];
    const release = async () => {
      for (const { name, limit, key } of counted) {
        await this.rateLimits.refund(name, limit, key);
      }
    };
    for (const counter of counters) {
      try {
        await this.rateLimits.consume(counter.name, counter.limit, counter.key, counter.message);
      } catch (error) {
        await release();
        throw error;
      }
      counted.push(counter);
    }
    return release;
  }

  private clientCounter(clientId: string): Counter {
    return {
      name: 'invite-client',
      limit: this.config.perClientPerDay,
      key: clientId,
      message: InvitationsErrors.tooManyForClient(),
    };
  }

  private lookupCounter(clientId: string): Counter {
    return {
      name: 'invite-lookup',
      limit: this.config.lookupsPerClientPerDay,
      key: clientId,
      message: InvitationsErrors.tooManyLookups(),
    };
  }
}
