import { Type } from 'class-transformer';
import { IsInt, IsMongoId, Max, Min } from 'class-validator';
import { PublicUserResponseDto } from '../../users/dto/public-user-response.dto.js';
import { Optional } from '../../../common/validation/optional.decorator.js';

export class RecommendationsQueryDto {
  /** The own open job to recommend craftsmen for. */
  @IsMongoId()
  jobId!: string;

  /** How many, 1..50; default 10. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 10;
}

export class HeldBackDto {
  pendingInvitations!: number;
  /** RECOMMEND_MAX_PENDING: with this many pending invitations a craftsman is ranked after the others. */
  maxPending!: number;
}

export class RecommendationReasonsDto {
  /** Skill match, 0..1. */
  skill!: number;
  /**
   * From the job, when both places are known: to the ~1 km grid cell of the craftsman's hidden
   * location, rounded up to 0.5 km steps (the score's distance part uses the same cell).
   */
  distanceKm!: number | null;
  /** The Bayesian-averaged rating, 0..5. */
  rating!: number;
  /** Completed jobs, acceptance rate and response time, 0..1. */
  performance!: number;
  /** 0 unavailable, 0.5 recently busy, 1 available. */
  availability!: number;
  /** Present when the fairness cap held him back. */
  heldBack?: HeldBackDto;
}

export class RecommendationDto {
  craftsman!: PublicUserResponseDto;
  /** 0..1; the list is ranked by it within tiers (available, held back, unavailable). */
  score!: number;
  reasons!: RecommendationReasonsDto;
}

export class RecommendationsResponseDto {
  data!: RecommendationDto[];
}
