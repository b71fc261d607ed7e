import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { JobStatus } from '../jobs/job-status.js';
import { JobDisputesService } from '../jobs/job-disputes.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobEntity } from '../jobs/schemas/job.schema.js';
import {
  type DisputeSettlement,
  DisputeSettlementService,
} from '../money/payments/dispute-settlement.service.js';
import { DisputesErrors } from './disputes.errors.js';
import { type Decision, DisputesRepository } from './disputes.repository.js';
import type { ResolveDisputeDto } from './dto/resolve-dispute.dto.js';
import { DisputeResolvedEvent } from './events/dispute-resolved.event.js';
import { type DisputeEntity, DisputeStatus } from './schemas/dispute.schema.js';

/** A resolution still `resolving` this long after its decision is a crash's leftover. */
const STUCK_RESOLVING_MS = 5 * 60_000;
/** At most this many per sweep run; the next minute takes the rest. */
const SWEEP_BATCH = 100;

/**
 * An admin's resolution of a dispute (API.md "Disputes and cancellations", DESIGN.md "Reviews
 * and disputes"): the decision stored by one guarded claim (open → resolving), then one
 * settlement of the money (DisputeSettlementService) and one move of the job out of
 * `disputed`, then the dispute `resolved`. Every step is safe to repeat, so a retry of the same
 * decision, or the minute's sweep, finishes what a crash left.
 */
@Injectable()
export class DisputeResolutionService {
  private readonly logger = new Logger(DisputeResolutionService.name);

  constructor(
    private readonly disputes: DisputesRepository,
    private readonly jobs: JobsService,
    private readonly jobDisputes: JobDisputesService,
    private readonly settlement: DisputeSettlementService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * An admin resolves a dispute: the decision is checked against the money in play, stored
   * with the claim open → resolving (one resolution wins), then the money is settled, the job
   * leaves `disputed` (to `completed`, or `cancelled` for a refund) and the dispute is
   * resolved. A retry of the same decision after a crash finds it `resolving` and finishes it.
   *
   * @throws 404, 409 DISPUTE_CLOSED (resolved, or resolving with another decision), 400
   *   SPLIT_MISMATCH, 400 VALIDATION_FAILED (amounts for another outcome), 503
   *   SERVICE_UNAVAILABLE (the ledger did not settle: try again)
   */
  async resolve(id: string, admin: AuthUser, input: ResolveDisputeDto): Promise<DisputeEntity> {
    const dispute = await this.disputes.findById(id);
    if (!dispute) {
      throw DisputesErrors.notFound();
    }
    if (dispute.status === DisputeStatus.Resolving && sameDecision(dispute.decision, input)) {
      return this.finishResolution(dispute);
    }
    if (dispute.status !== DisputeStatus.Open || !dispute.jobMoved) {
      throw DisputesErrors.closed();
    }
    const job = await this.jobs.getById(dispute.job);
    if (job.status !== JobStatus.Disputed) {
      throw DisputesErrors.closed();
    }
    const settlement = this.settlementOf(dispute.id, job, input);
    this.settlement.check(settlement, await this.settlement.inPlay(job));
    const decision: Decision = {
      outcome: input.outcome,
      ...(input.clientAmount === undefined ? {} : { clientAmount: input.clientAmount }),
      ...(input.craftsmanAmount === undefined ? {} : { craftsmanAmount: input.craftsmanAmount }),
      note: input.note,
      by: admin.id,
      at: this.clock.now(),
    };
    const claimed = await this.disputes.claimForResolution(id, decision);
    if (claimed) {
      return this.finishResolution(claimed);
    }
    // another admin claimed it meanwhile: the same decision is finished, another refused
    const now = await this.disputes.findById(id);
    if (now?.status === DisputeStatus.Resolving && sameDecision(now.decision, input)) {
      return this.finishResolution(now);
    }
    throw DisputesErrors.closed();
  }

  /**
   * Carries out a stored decision: settle the money (idempotent by dispute), move the job
   * (idempotent: a job already moved is left), mark the dispute resolved, tell both sides.
   */
  private async finishResolution(dispute: DisputeEntity): Promise<DisputeEntity> {
    const decision = dispute.decision;
    if (!decision) {
      throw DisputesErrors.closed();
    }
    const job = await this.jobs.getById(dispute.job);
    // the job leaves `disputed` only after the money settled: a job moved on means both done
    if (job.status === JobStatus.Disputed) {
      const { to, jobFlags } = await this.settlement.settle(
        this.settlementOf(dispute.id, job, decision),
      );
      await this.jobDisputes.resolveDispute(job, to, decision.by, jobFlags);
    }
    const resolved = await this.disputes.markResolved(dispute, this.clock.now());
    if (!resolved) {
      // resolved meanwhile by a concurrent finish of the same decision
      const current = await this.disputes.findById(dispute.id);
      if (!current) {
        throw DisputesErrors.notFound();
      }
      return current;
    }
    await this.events.publish(
      new DisputeResolvedEvent(resolved.id, resolved.job, decision.outcome, decision.by),
    );
    return resolved;
  }

  /** Finishes the resolutions a crash left `resolving`; how many it finished. */
  async sweep(): Promise<number> {
    return this.repairStuckResolutions(this.clock.now());
  }

  private async repairStuckResolutions(now: Date): Promise<number> {
    const stuck = await this.disputes.findStuckResolving(
      new Date(now.getTime() - STUCK_RESOLVING_MS),
      SWEEP_BATCH,
    );
    let finished = 0;
    for (const dispute of stuck) {
      try {
        await this.finishResolution(dispute);
        finished += 1;
      } catch (error) {
        this.logger.error(`Resolution of dispute ${dispute.id} still unfinished: ${String(error)}`);
      }
    }
    return finished;
  }

  private settlementOf(
    disputeId: string,
    job: JobEntity,
    decision: Pick<ResolveDisputeDto, 'outcome' | 'clientAmount' | 'craftsmanAmount'>,
  ): DisputeSettlement {
    return {
      disputeId,
      job,
      outcome: decision.outcome,
      ...(decision.clientAmount === undefined ? {} : { clientAmount: decision.clientAmount }),
      ...(decision.craftsmanAmount === undefined
        ? {}
        : { craftsmanAmount: decision.craftsmanAmount }),
    };
  }
}

/** The stored decision is the one asked for again (a retry): same outcome and amounts. */
function sameDecision(
  stored: DisputeEntity['decision'],
  asked: Pick<ResolveDisputeDto, 'outcome' | 'clientAmount' | 'craftsmanAmount'>,
): boolean {
  return (
    stored !== null &&
    stored.outcome === asked.outcome &&
    stored.clientAmount === asked.clientAmount &&
    stored.craftsmanAmount === asked.craftsmanAmount
  );
}
