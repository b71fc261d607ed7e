import { CommonErrors, DomainError, type FieldError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const UsersErrors = {
  notFound: () => CommonErrors.notFound('User'),
  emailTaken: () =>
    new DomainError(ErrorCode.EmailTaken, 'An account with this email already exists'),
  phoneTaken: () =>
    new DomainError(ErrorCode.PhoneTaken, 'An account with this phone number already exists'),
  wrongCurrentPassword: () =>
    new DomainError(ErrorCode.WrongCurrentPassword, 'The current password is not correct'),
  invalidPhone: (field: string, message: string) =>
    CommonErrors.validation([{ field, message }], 'This phone number is not valid'),
  invalidProfile: (details: FieldError[]) =>
    CommonErrors.validation(details, 'Some profile fields are not valid'),
  notACraftsman: () => CommonErrors.notFound('Craftsman'),
  alreadyVerified: () =>
    new DomainError(ErrorCode.AlreadyVerified, 'This craftsman is already verified'),
  verificationNotPending: () =>
    new DomainError(ErrorCode.VerificationNotPending, 'This craftsman has no pending verification'),
  alreadyBanned: () => new DomainError(ErrorCode.AlreadyBanned, 'This user is already banned'),
  notBanned: () => new DomainError(ErrorCode.NotBanned, 'This user is not banned'),
  cannotBan: (why: string) => CommonErrors.forbidden(why),
};
