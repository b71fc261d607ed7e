import type { AuthUser } from '../../common/auth/auth-user.js';
import { STAFF_ROLES } from '../../common/auth/role.js';
import type { ReviewResponseDto } from './dto/review-response.dto.js';
import type { ReviewEntity } from './schemas/review.schema.js';

export function isStaff(viewer: AuthUser): boolean {
  return STAFF_ROLES.includes(viewer.role);
}

/**
 * A review as `viewer` sees it. Callers pass only reviews the viewer may see (his own, published
 * ones, or any for staff); the private note goes to staff only, never to the reviewee or a
 * public list, nor back to its author.
 */
export function toReviewResponse(review: ReviewEntity, viewer: AuthUser): ReviewResponseDto {
  return {
    id: review.id,
    job: review.job,
    reviewer: review.reviewer,
    reviewee: review.reviewee,
    rating: review.rating,
    comment: review.comment,
    status: review.status,
    revealAt: review.revealAt,
    publishedAt: review.publishedAt,
    ...(review.response ? { response: review.response } : {}),
    ...(isStaff(viewer) ? { privateNote: review.privateNote } : {}),
    createdAt: review.createdAt,
    updatedAt: review.updatedAt,
  };
}
