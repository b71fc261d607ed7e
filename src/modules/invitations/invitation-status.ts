export enum InvitationStatus {
  Pending = 'pending',
  Accepted = 'accepted',
  Rejected = 'rejected',
  Cancelled = 'cancelled',
  Expired = 'expired',
}

export enum RejectionReasonCode {
  Busy = 'busy',
  TooFar = 'too_far',
  Budget = 'budget',
  NotMyTrade = 'not_my_trade',
  Other = 'other',
}

/** How the invitation was made. */
export enum InvitationSource {
  CraftsmanId = 'craftsman_id',
  Email = 'email',
  Phone = 'phone',
  InviteLink = 'invite_link',
}

/** The entries of an invitation's short history. */
export enum InvitationAction {
  Created = 'created',
  Viewed = 'viewed',
  Accepted = 'accepted',
  Rejected = 'rejected',
  Cancelled = 'cancelled',
  Expired = 'expired',
  Resent = 'resent',
  Reminded = 'reminded',
  Claimed = 'claimed',
  Reinvited = 'reinvited',
}

export enum CancellationReason {
  ByClient = 'by_client',
  JobHired = 'job_hired',
  JobCancelled = 'job_cancelled',
  /** The invited craftsman was banned. */
  CraftsmanSuspended = 'craftsman_suspended',
  /** The inviting client was banned after the invitation was accepted (a ban during it). */
  ClientSuspended = 'client_suspended',
  /** The invited craftsman's account was deleted at his request. */
  AccountDeleted = 'account_deleted',
}

/** The invitee key of a craftsman, or of an email address nobody has registered with yet. */
export function inviteeKeyOf(target: { craftsmanId: string } | { email: string }): string {
  return 'craftsmanId' in target ? target.craftsmanId : `email:${target.email}`;
}
