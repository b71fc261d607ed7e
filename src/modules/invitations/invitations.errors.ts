import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const InvitationsErrors = {
  notFound: () => CommonErrors.notFound('Invitation'),
  craftsmanNotFound: () => CommonErrors.notFound('Craftsman'),
  notYourJob: () => CommonErrors.forbidden('Only the client who posted this job may invite to it'),
  notYours: () => CommonErrors.forbidden('This invitation is not yours'),
  oneTarget: () =>
    CommonErrors.validation([
      { field: 'craftsmanId', message: 'send exactly one of craftsmanId, email or phone' },
    ]),
  bulkTargets: (limit: number) =>
    CommonErrors.validation([
      {
        field: 'craftsmanIds',
        message: `send 1 to ${limit} targets in craftsmanIds and emails together`,
      },
    ]),
  notACraftsman: () =>
    new DomainError(ErrorCode.NotACraftsman, 'Only craftsman accounts can be invited to jobs'),
  suspended: () =>
    new DomainError(
      ErrorCode.CraftsmanSuspended,
      'This craftsman is suspended and cannot be invited',
    ),
  alreadyInvited: () =>
    new DomainError(
      ErrorCode.AlreadyInvited,
      'This craftsman (or email) is already invited to this job',
    ),
  alreadyApplied: () =>
    new DomainError(ErrorCode.AlreadyApplied, 'This craftsman has already quoted this job'),
  previouslyRejected: () =>
    new DomainError(
      ErrorCode.PreviouslyRejected,
      'This craftsman declined an invitation to this job',
    ),
  notPending: (status: string) =>
    new DomainError(
      ErrorCode.InvitationNotPending,
      `This invitation is ${status}, no longer pending`,
      { status },
    ),
  expired: () => new DomainError(ErrorCode.InvitationExpired, 'This invitation has expired'),
  registrationRequired: () =>
    new DomainError(
      ErrorCode.RegistrationRequired,
      'Register as a craftsman with this invitation’s token to accept it',
    ),
  invalidToken: () =>
    new DomainError(ErrorCode.InvalidToken, 'This invitation link is unknown or no longer valid'),
  resendTooSoon: (retryAfterSeconds: number) =>
    CommonErrors.rateLimited('An invitation can be resent once a day', { retryAfterSeconds }),
  tooManyForJob: () => 'You have sent the most invitations for this job allowed in a day',
  tooManyForEmail: () => 'You have already invited this email address today',
  tooManyForClient: () =>
    'You have sent the most invitations by email or phone allowed in a day; invite craftsmen you found in the app, or try again later',
  tooManyLookups: () =>
    'Too many of today’s invitations by email or phone found no craftsman; invite craftsmen you found in the app, or try again later',
  inviteLinkExhausted: () =>
    new DomainError(ErrorCode.InviteLinkExhausted, 'This invite link has been used up'),
  inviteLinkExpired: () =>
    new DomainError(ErrorCode.InviteLinkExpired, 'This invite link has expired or was revoked'),
  inviteLinkNotFound: () => CommonErrors.notFound('Invite link'),
};
