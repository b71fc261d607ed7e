import { DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { DeletionBlocker } from './deletion-blockers.js';

export const PrivacyErrors = {
  /** 409, `details`: what stands in the way, one entry each (DeletionBlocker). */
  deletionBlocked: (blockers: DeletionBlocker[]) =>
    new DomainError(
      ErrorCode.DeletionBlocked,
      `The account can't be deleted yet: ${[...new Set(blockers.map((b) => b.reason))].join(', ')}`,
      blockers,
    ),
  /** 409: nothing to cancel (never asked, cancelled already, or the deletion is running). */
  deletionNotScheduled: () =>
    new DomainError(
      ErrorCode.DeletionNotScheduled,
      'No deletion of this account is scheduled (or it is under way and can no longer be cancelled)',
    ),
};
