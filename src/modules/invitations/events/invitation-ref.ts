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

/**
 * The invitation and its round, `<id>:<sentAt ms>`: the part of a key that makes a replayed
 * event count once per round (dedupe keys of notifications, the activity's event keys).
 */
export function roundKeyOf(ref: Pick<InvitationRef, 'invitationId' | 'sentAt'>): string {
  return `${ref.invitationId}:${ref.sentAt.getTime()}`;
}
