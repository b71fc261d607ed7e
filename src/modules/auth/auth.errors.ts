import { CommonErrors, DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const AuthErrors = {
  invalidCredentials: () =>
    new DomainError(ErrorCode.InvalidCredentials, 'Wrong email, phone or password'),
  roleNotAllowed: (type: string) =>
    new DomainError(ErrorCode.RoleNotAllowed, `This account cannot sign in as ${type}`),
  accountBanned: (reason: string | undefined, bannedAt: Date) =>
    new DomainError(ErrorCode.AccountBanned, 'This account is banned', {
      reason: reason ?? null,
      bannedAt: bannedAt.toISOString(),
    }),
  invalidResetToken: () =>
    new DomainError(ErrorCode.InvalidToken, 'This reset link is unknown, expired or already used'),
  invalidVerificationToken: () =>
    new DomainError(
      ErrorCode.InvalidToken,
      'This verification link is unknown, expired or already used',
    ),
  tokenRevoked: () => CommonErrors.unauthenticated('Access token has been revoked'),
  accountGone: () => CommonErrors.unauthenticated('The account of this token no longer exists'),
  invalidToken: () => CommonErrors.unauthenticated('Invalid access token'),
};
