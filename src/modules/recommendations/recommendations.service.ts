import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock/clock.js';
import { boundingBox, distanceKm } from '../../common/geo/distance.js';
import { CELL_MARGIN_KM, coarseDistanceKm, gridCellOf } from '../../common/geo/location-privacy.js';
import type { AllConfig } from '../../config/config.js';
import type { RecommendationsConfig } from '../../config/recommendations.config.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { isOpen, PaymentType } from '../jobs/job-status.js';
import { JobsErrors } from '../jobs/jobs.errors.js';
import { JobsService } from '../jobs/jobs.service.js';
import { FeeDebtPolicy } from '../money/fees/fee-debt.policy.js';
import type { JobEntity } from '../jobs/schemas/job.schema.js';
import { QuotesService } from '../quotes/quotes.service.js';
import { PublicUserResponseDto } from '../users/dto/public-user-response.dto.js';
import type { UserEntity } from '../users/schemas/user.schema.js';
import { UsersService } from '../users/users.service.js';
import type { RecommendationDto } from './dto/recommendations.dto.js';
import { RecommendationsErrors } from './recommendations.errors.js';
import {
  availabilityScore,
  bayesianRating,
  compareRanked,
  distanceScore,
  NO_ACTIVITY,
  performanceScore,
  type Ranked,
  ratingScore,
  type ScoreParts,
  skillScore,
  Tier,
  weightedScore,
} from './scoring.js';

interface Scored extends Ranked {
  craftsman: UserEntity;
  parts: ScoreParts;
  distanceKm: number | null;
  pending: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Whom should this client invite: craftsmen of the job's trade, within reach of the job, not
 * yet invited to it and who have not quoted it, ranked by the score of scoring.ts.
 */
@Injectable()
export class RecommendationsService {
  private readonly config: RecommendationsConfig;

  constructor(
    private readonly jobsService: JobsService,
    private readonly usersService: UsersService,
    private readonly invitationsService: InvitationsService,
    private readonly quotesService: QuotesService,
    private readonly clock: Clock,
    private readonly feeDebts: FeeDebtPolicy,
    config: ConfigService<AllConfig, true>,
  ) {
    this.config = config.get('recommendations', { infer: true });
  }

  async recommend(client: AuthUser, jobId: string, limit: number): Promise<RecommendationDto[]> {
    const job = await this.jobsService.getById(jobId);
    if (job.client !== client.id) {
      throw RecommendationsErrors.notYourJob();
    }
    if (!isOpen(job.status)) {
      throw JobsErrors.notOpen();
    }
    const [invited, quoted] = await Promise.all([
      this.invitationsService.craftsmenInvitedTo(jobId),
      this.quotesService.craftsmenWhoQuoted(jobId),
    ]);
    const candidates = await this.candidatesNear(job, [
      ...new Set([...invited, ...quoted, job.client]),
    ]);
    const radiusKm = this.config.searchRadiusKm;
    const now = this.clock.now();
    const scored: Scored[] = [];
    for (const craftsman of candidates) {
      const info = craftsman.craftsmanInfo;
      if (!info) {
        continue;
      }
      // from his ~1 km cell, not his position: the client can move his job and ask again, and
      // the filter, the score and the order would each locate the craftsman to the metre
      const km =
        job.location && craftsman.location
          ? distanceKm(job.location, gridCellOf(craftsman.location))
          : null;
      // within the search radius and within the radius he says he travels
      if (km !== null && (km > radiusKm || km > info.serviceRadiusKm)) {
        continue;
      }
      const activity = info.stats ?? NO_ACTIVITY;
      const parts: ScoreParts = {
        skill: skillScore(info.skills, job.category),
        distance: distanceScore(km, radiusKm),
        rating: ratingScore(craftsman.rating, craftsman.ratingCount),
        performance: performanceScore(activity),
        availability: availabilityScore(info.available, activity.lastBusyRejectionAt ?? null, now),
      };
      const pending = info.stats?.pendingInvitations ?? 0;
      const tier = !info.available
        ? Tier.Unavailable
        : pending >= this.config.maxPending
          ? Tier.HeldBack
          : Tier.Available;
      scored.push({
        id: craftsman.id,
        craftsman,
        parts,
        distanceKm: km,
        pending,
        tier,
        score: weightedScore(parts, this.config.weights),
      });
    }
    const eligible = await this.withoutFeeDebtors(job, scored);
    const best = eligible.sort(compareRanked).slice(0, limit);
    const profiles = new Map(
      (await this.usersService.findByIdsInOrder(best.map((item) => item.id))).map((user) => [
        user.id,
        user,
      ]),
    );
    return best.flatMap((item) => {
      const profile = profiles.get(item.id);
      return profile ? [this.toDto({ ...item, craftsman: profile })] : [];
    });
  }

  /**
   * For a cash job, the candidates who owe less than FEE_DEBT_LIMIT in fees (API.md "Money":
   * above it a craftsman isn't recommended for cash jobs); one read for all of them.
   */
  private async withoutFeeDebtors(job: JobEntity, scored: Scored[]): Promise<Scored[]> {
    if (job.paymentType !== PaymentType.Cash || scored.length === 0) {
      return scored;
    }
    const indebted = await this.feeDebts.overLimitAmong(scored.map((item) => item.id));
    return scored.filter((item) => !indebted.has(item.id));
  }

  /**
   * Candidates from the nearest box outward: an eighth, a quarter, half, then all of the search
   * radius, stopping at the first that holds RECOMMEND_MAX_CANDIDATES; all of them are scored.
   * Reading a bounded number of craftsmen keeps the request's cost flat however big the city,
   * and the nearest are the ones the distance part favours anyway.
   */
  private async candidatesNear(job: JobEntity, excludeIds: string[]): Promise<UserEntity[]> {
    const search = {
      skill: job.category,
      verifiedOnly: !this.config.includeUnverified,
      excludeIds,
      limit: this.config.maxCandidates,
    };
    if (!job.location) {
      return this.usersService.findRecommendationCandidates(search);
    }
    const full = this.config.searchRadiusKm;
    let found: UserEntity[] = [];
    for (const radius of [full / 8, full / 4, full / 2, full]) {
      found = await this.usersService.findRecommendationCandidates({
        ...search,
        // positions whose cells (what distances are measured from) may lie within the radius
        box: boundingBox(job.location, radius + CELL_MARGIN_KM),
      });
      if (found.length >= search.limit) {
        break;
      }
    }
    return found;
  }

  private toDto(item: Scored): RecommendationDto {
    const { craftsman, parts } = item;
    return {
      craftsman: PublicUserResponseDto.from(craftsman),
      score: round(item.score, 4),
      reasons: {
        skill: round(parts.skill, 3),
        distanceKm: item.distanceKm === null ? null : coarseDistanceKm(item.distanceKm),
        rating: round(bayesianRating(craftsman.rating, craftsman.ratingCount), 2),
        performance: round(parts.performance, 3),
        availability: parts.availability,
        ...(item.tier === Tier.HeldBack
          ? { heldBack: { pendingInvitations: item.pending, maxPending: this.config.maxPending } }
          : {}),
      },
    };
  }
}
