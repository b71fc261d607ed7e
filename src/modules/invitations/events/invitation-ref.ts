/** Who and what an invitation event is about: enough for a listener to pick recipients. */
export interface InvitationRef {
  invitationId: string;
  jobId: string;
  clientId: string;
  /** Null for an email invitation nobody has claimed yet. */
  craftsmanId: string | null;
  inviteeEmail: string | null;
  /**
   * When the invitation was last sent: a cancelled or expired invitation can be sent again, and
   * this tells its rounds apart (keys that make a replayed event count once include it).
   */
  sentAt: Date;
}

export function invitationRef(invitation: {
  id: string;
  job: string;
  client: string;
  craftsman: string | null;
  inviteeEmail: string | null;
  lastSentAt: Date;
}): InvitationRef {
  return {
    invitationId: invitation.id,
    jobId: invitation.job,
    clientId: invitation.client,
    craftsmanId: invitation.craftsman,
    inviteeEmail: invitation.inviteeEmail,
    sentAt: invitation.lastSentAt,
  };
}
