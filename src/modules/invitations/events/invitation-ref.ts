/** Who and what an invitation event is about: enough for a listener to pick recipients. */
export interface InvitationRef {
  invitationId: string;
  jobId: string;
  clientId: string;
  /** Null for an email invitation nobody has claimed yet. */
  craftsmanId: string | null;
  inviteeEmail: string | null;
}

export function invitationRef(invitation: {
  id: string;
  job: string;
  client: string;
  craftsman: string | null;
  inviteeEmail: string | null;
}): InvitationRef {
  return {
    invitationId: invitation.id,
    jobId: invitation.job,
    clientId: invitation.client,
    craftsmanId: invitation.craftsman,
    inviteeEmail: invitation.inviteeEmail,
  };
}
