/**
 * Every error code the API answers with (API.md, "Errors"). Feature modules add theirs here so
 * that the exception filter's switch stays exhaustive: a new code without a status won't compile.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  BadRequest = 'BAD_REQUEST',
  UriTooLong = 'URI_TOO_LONG',
  HeadersTooLarge = 'HEADERS_TOO_LARGE',
  RateLimited = 'RATE_LIMITED',
  Internal = 'INTERNAL',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',

  // accounts
  EmailTaken = 'EMAIL_TAKEN',
  PhoneTaken = 'PHONE_TAKEN',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  RoleNotAllowed = 'ROLE_NOT_ALLOWED',
  AccountBanned = 'ACCOUNT_BANNED',
  InvalidToken = 'INVALID_TOKEN',
  WrongCurrentPassword = 'WRONG_CURRENT_PASSWORD',
  AlreadyBanned = 'ALREADY_BANNED',
  NotBanned = 'NOT_BANNED',
  AlreadyVerified = 'ALREADY_VERIFIED',
  VerificationNotPending = 'VERIFICATION_NOT_PENDING',

  // services catalog
  ServiceNameTaken = 'SERVICE_NAME_TAKEN',

  // jobs and quotes
  JobNotOpen = 'JOB_NOT_OPEN',
  InvalidStatusTransition = 'INVALID_STATUS_TRANSITION',
  AlreadyQuoted = 'ALREADY_QUOTED',
  QuoteNotPending = 'QUOTE_NOT_PENDING',
  QuoteOutdated = 'QUOTE_OUTDATED',

  // invitations
  NotACraftsman = 'NOT_A_CRAFTSMAN',
  CraftsmanSuspended = 'CRAFTSMAN_SUSPENDED',
  ClientSuspended = 'CLIENT_SUSPENDED',
  AlreadyInvited = 'ALREADY_INVITED',
  AlreadyApplied = 'ALREADY_APPLIED',
  PreviouslyRejected = 'PREVIOUSLY_REJECTED',
  InvitationNotPending = 'INVITATION_NOT_PENDING',
  InvitationExpired = 'INVITATION_EXPIRED',
  RegistrationRequired = 'REGISTRATION_REQUIRED',
  InviteLinkExhausted = 'INVITE_LINK_EXHAUSTED',
  InviteLinkExpired = 'INVITE_LINK_EXPIRED',

  // money
  InsufficientFunds = 'INSUFFICIENT_FUNDS',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  FeeDebtLimit = 'FEE_DEBT_LIMIT',
  AmountBelowMinimum = 'AMOUNT_BELOW_MINIMUM',
  WithdrawalNotOpen = 'WITHDRAWAL_NOT_OPEN',
  WithdrawalNotManual = 'WITHDRAWAL_NOT_MANUAL',
  NotImplemented = 'NOT_IMPLEMENTED',
  PaymentRequired = 'PAYMENT_REQUIRED',
  ProviderNotConfigured = 'PROVIDER_NOT_CONFIGURED',
  JobNotPayable = 'JOB_NOT_PAYABLE',
  PaymentMethodNotSupported = 'PAYMENT_METHOD_NOT_SUPPORTED',
  InvalidSignature = 'INVALID_SIGNATURE',
  PaymentGatewayFailed = 'PAYMENT_GATEWAY_FAILED',
  JobNotInProgress = 'JOB_NOT_IN_PROGRESS',

  // reviews and disputes
  AlreadyReviewed = 'ALREADY_REVIEWED',
  ReviewWindowClosed = 'REVIEW_WINDOW_CLOSED',
  ReviewPublished = 'REVIEW_PUBLISHED',
  ReviewNotPublished = 'REVIEW_NOT_PUBLISHED',
  AlreadyResponded = 'ALREADY_RESPONDED',
  JobNotCompleted = 'JOB_NOT_COMPLETED',
  DisputeExists = 'DISPUTE_EXISTS',
  DisputeClosed = 'DISPUTE_CLOSED',
  DisputeWindowClosed = 'DISPUTE_WINDOW_CLOSED',
  JobNotDisputable = 'JOB_NOT_DISPUTABLE',
  SplitMismatch = 'SPLIT_MISMATCH',

  // files and privacy
  FileTooLarge = 'FILE_TOO_LARGE',
  ImageTooLarge = 'IMAGE_TOO_LARGE',
  UploadPurposeMismatch = 'UPLOAD_PURPOSE_MISMATCH',
  UploadInUse = 'UPLOAD_IN_USE',
  DeletionBlocked = 'DELETION_BLOCKED',
  DeletionNotScheduled = 'DELETION_NOT_SCHEDULED',

  // operations
  FaqEntryExists = 'FAQ_ENTRY_EXISTS',
}
