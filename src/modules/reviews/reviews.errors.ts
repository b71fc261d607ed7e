import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const ReviewsErrors = {
  notFound: () => CommonErrors.notFound('Review'),
  notAParty: () =>
    CommonErrors.forbidden('Only the job’s client and its hired craftsman may review it'),
  notYourReview: () => CommonErrors.forbidden('Only the author of this review may edit it'),
  notReviewee: () => CommonErrors.forbidden('Only the person this review is about may answer it'),
  jobNotCompleted: (status: string) =>
    new DomainError(
      ErrorCode.JobNotCompleted,
      `This job is ${status}: it can be reviewed once it is completed`,
    ),
  windowClosed: (revealAt: Date) =>
    new DomainError(
      ErrorCode.ReviewWindowClosed,
      `The time to review this job ended at ${revealAt.toISOString()}`,
    ),
  alreadyReviewed: () =>
    new DomainError(ErrorCode.AlreadyReviewed, 'You have already reviewed this job'),
  published: () =>
    new DomainError(ErrorCode.ReviewPublished, 'This review is published: it can’t be changed'),
  notPublished: () =>
    new DomainError(
      ErrorCode.ReviewNotPublished,
      'This review is not published yet: it can be answered once it is',
    ),
  alreadyResponded: () =>
    new DomainError(ErrorCode.AlreadyResponded, 'This review has been answered already'),
};
