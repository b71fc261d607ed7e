import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-code.js';

/** Not in Nest's HttpStatus. */
export const REQUEST_HEADER_FIELDS_TOO_LARGE = 431 as HttpStatus;

/** The one place a code becomes an HTTP status. */
export function httpStatusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.AmountBelowMinimum:
    case ErrorCode.BadRequest:
    case ErrorCode.InvalidToken:
    case ErrorCode.WrongCurrentPassword:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.Forbidden:
    case ErrorCode.RoleNotAllowed:
    case ErrorCode.AccountBanned:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.Conflict:
    case ErrorCode.EmailTaken:
    case ErrorCode.PhoneTaken:
    case ErrorCode.AlreadyBanned:
    case ErrorCode.NotBanned:
    case ErrorCode.AlreadyVerified:
    case ErrorCode.VerificationNotPending:
    case ErrorCode.ServiceNameTaken:
    case ErrorCode.JobNotOpen:
    case ErrorCode.InvalidStatusTransition:
    case ErrorCode.AlreadyQuoted:
    case ErrorCode.QuoteNotPending:
    case ErrorCode.QuoteOutdated:
    case ErrorCode.AlreadyInvited:
    case ErrorCode.AlreadyApplied:
    case ErrorCode.PreviouslyRejected:
    case ErrorCode.InvitationNotPending:
    case ErrorCode.InvitationExpired:
    case ErrorCode.RegistrationRequired:
    case ErrorCode.InsufficientFunds:
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.FeeDebtLimit:
    case ErrorCode.WithdrawalNotOpen:
    case ErrorCode.WithdrawalNotManual:
    case ErrorCode.PaymentRequired:
    case ErrorCode.ProviderNotConfigured:
    case ErrorCode.JobNotPayable:
    case ErrorCode.JobNotInProgress:
    case ErrorCode.AlreadyReviewed:
    case ErrorCode.ReviewWindowClosed:
    case ErrorCode.ReviewPublished:
    case ErrorCode.ReviewNotPublished:
    case ErrorCode.AlreadyResponded:
    case ErrorCode.JobNotCompleted:
    case ErrorCode.DisputeExists:
    case ErrorCode.DisputeClosed:
    case ErrorCode.DisputeWindowClosed:
    case ErrorCode.JobNotDisputable:
    case ErrorCode.DeletionBlocked:
    case ErrorCode.UploadInUse:
    case ErrorCode.DeletionNotScheduled:
    case ErrorCode.FaqEntryExists:
      return HttpStatus.CONFLICT;
    case ErrorCode.SplitMismatch:
    case ErrorCode.UploadPurposeMismatch:
    case ErrorCode.PaymentMethodNotSupported:
    case ErrorCode.InvalidSignature:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.PaymentGatewayFailed:
      return HttpStatus.BAD_GATEWAY;
    case ErrorCode.NotACraftsman:
    case ErrorCode.CraftsmanSuspended:
    case ErrorCode.ClientSuspended:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.InviteLinkExhausted:
    case ErrorCode.InviteLinkExpired:
      return HttpStatus.GONE;
    case ErrorCode.PayloadTooLarge:
    case ErrorCode.FileTooLarge:
    case ErrorCode.ImageTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UriTooLong:
      return HttpStatus.URI_TOO_LONG;
    case ErrorCode.HeadersTooLarge:
      return REQUEST_HEADER_FIELDS_TOO_LARGE;
    case ErrorCode.UnsupportedMediaType:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.RateLimited:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.Internal:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    case ErrorCode.ServiceUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.NotImplemented:
      return HttpStatus.NOT_IMPLEMENTED;
  }
}

/** For exceptions that arrive with only a status (Nest, Fastify): the nearest code. */
export function errorCodeOfStatus(status: number): ErrorCode {
  switch (status as HttpStatus) {
    case HttpStatus.BAD_REQUEST:
      return ErrorCode.BadRequest;
    case HttpStatus.UNAUTHORIZED:
      return ErrorCode.Unauthenticated;
    case HttpStatus.FORBIDDEN:
      return ErrorCode.Forbidden;
    case HttpStatus.NOT_FOUND:
      return ErrorCode.NotFound;
    case HttpStatus.CONFLICT:
      return ErrorCode.Conflict;
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return ErrorCode.PayloadTooLarge;
    case HttpStatus.URI_TOO_LONG:
      return ErrorCode.UriTooLong;
    case REQUEST_HEADER_FIELDS_TOO_LARGE:
      return ErrorCode.HeadersTooLarge;
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return ErrorCode.UnsupportedMediaType;
    case HttpStatus.TOO_MANY_REQUESTS:
      return ErrorCode.RateLimited;
    case HttpStatus.SERVICE_UNAVAILABLE:
      return ErrorCode.ServiceUnavailable;
    default:
      return status >= 500 ? ErrorCode.Internal : ErrorCode.BadRequest;
  }
}
