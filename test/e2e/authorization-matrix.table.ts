import { uniqueEmail } from '../support/session.js';
import {
  ANYONE,
  EXCLUDED_OPERATIONS,
  hex,
  isSignedIn,
  JOB_BODY,
  type MatrixRow,
  only,
  PUBLIC,
  STAFF,
} from './authorization-matrix.rules.js';
import { ACTIVITY_ROWS } from './authorization-matrix.activity.js';
import { CONTACT_ROWS } from './authorization-matrix.contact.js';
import { FAQ_ROWS } from './authorization-matrix.faq.js';
import { FILES_ROWS } from './authorization-matrix.files.js';
import { verificationDocs } from '../support/uploads.js';
import { DISPUTE_ROWS } from './authorization-matrix.disputes.js';
import { MONEY_ROWS } from './authorization-matrix.money.js';
import { PRIVACY_ROWS } from './authorization-matrix.privacy.js';
import { REPORT_ROWS } from './authorization-matrix.reports.js';
import { REVIEW_ROWS } from './authorization-matrix.reviews.js';

export { EXCLUDED_OPERATIONS };
export type { MatrixRequest, MatrixRow, Outcome } from './authorization-matrix.rules.js';

/** Every route of openapi.json and who may call it: the core's rows here, then each area's. */
export const MATRIX: readonly MatrixRow[] = [
  // ---- auth ---------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/api/auth/register',
    rule: 'public (API.md Auth; README "choices")',
    expect: PUBLIC,
    request: () =>
      Promise.resolve({
        path: '/api/auth/register',
        body: {
          email: uniqueEmail('matrix'),
          password: 'correct-horse-1',
          role: 'client',
          firstName: 'Nour',
          lastName: 'Saleh',
        },
      }),
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    rule: 'public',
    expect: PUBLIC,
    request: async (w) => {
      const target = await w.loginTarget();
      return {
        path: '/api/auth/login',
        body: { loginIdentifier: target.user.email, password: target.password, type: 'clients' },
      };
    },
  },
  {
    method: 'GET',
    path: '/api/auth/session',
    rule: 'any signed-in user, his own token (not in API.md: the code’s @Authenticated())',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/auth/session' }),
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    rule: 'any signed-in user (its own token); a second token of the actor is logged out',
    expect: only(ANYONE),
    request: async (w, actor) => ({
      path: '/api/auth/logout',
      as: isSignedIn(actor) ? await w.secondSession(actor) : undefined,
    }),
  },
  {
    method: 'POST',
    path: '/api/auth/forgot-password',
    rule: 'public',
    expect: PUBLIC,
    request: async (w) => ({
      path: '/api/auth/forgot-password',
      body: { email: (await w.loginTarget()).user.email },
    }),
  },
  {
    method: 'POST',
    path: '/api/auth/reset-password',
    rule: 'public; a real token from the reset email, fresh for each actor',
    expect: PUBLIC,
    request: async (w) => ({
      path: '/api/auth/reset-password',
      body: { token: await w.resetToken(), password: `reset-${hex()}-pass` },
    }),
  },
  {
    method: 'POST',
    path: '/api/auth/verify-email',
    rule: 'public (API.md Auth); a real token from a fresh account’s verification email',
    expect: PUBLIC,
    request: async (w) => ({
      path: '/api/auth/verify-email',
      body: { token: await w.verificationToken() },
    }),
  },
  {
    method: 'POST',
    path: '/api/auth/resend-verification',
    rule: 'any signed-in user, for his own address (API.md Auth)',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/auth/resend-verification' }),
  },

  // ---- users --------------------------------------------------------------------------------
  {
    method: 'PATCH',
    path: '/api/users/me/password',
    rule: 'any signed-in user, for himself; called with a new account of the actor’s role (the change revokes every older token)',
    expect: only(ANYONE),
    request: async (w, actor) => {
      const as = isSignedIn(actor) ? await w.accountLike(actor) : undefined;
      return {
        path: '/api/users/me/password',
        body: {
          currentPassword: as?.password ?? 'not-signed-in-1',
          newPassword: `new-${hex()}-pw`,
        },
        as,
      };
    },
  },
  {
    method: 'GET',
    path: '/api/users/me',
    rule: 'any signed-in user',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/users/me' }),
  },
  {
    method: 'PUT',
    path: '/api/users/me',
    rule: 'any signed-in user, his own profile',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/users/me', body: { address: '12 Nile St' } }),
  },
  {
    method: 'GET',
    path: '/api/users',
    rule: 'any signed-in user (README: craftsman search needs a token)',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/users', query: { role: 'craftsman' } }),
  },
  {
    method: 'POST',
    path: '/api/users/craftsman/verification',
    rule: 'craftsman (API.md Users)',
    expect: only(['craftsman', 'anotherCraftsman']),
    // refused callers are turned away before their upload is looked at: any id will do
    request: async (w, actor) => ({
      path: '/api/users/craftsman/verification',
      body: {
        docs:
          actor === 'craftsman' || actor === 'anotherCraftsman'
            ? await verificationDocs(w.t, w.sessions[actor], 'trade_license')
            : [{ docType: 'trade_license', fileId: '0123456789abcdef01234567' }],
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/users/{userId}',
    rule: 'any signed-in user (public profile; README: needs a token)',
    expect: only(ANYONE),
    request: (w) => Promise.resolve({ path: `/api/users/${w.craftsman.user.id}` }),
  },
  {
    method: 'GET',
    path: '/api/users/recommendations',
    rule: 'the client owning the job (API.md Users)',
    expect: only(['client']),
    request: async (w) => ({
      path: '/api/users/recommendations',
      query: { jobId: await w.sharedOpenJob(), limit: 5 },
    }),
  },

  // ---- services -----------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/api/services',
    rule: 'public (API.md Services)',
    expect: PUBLIC,
    request: () => Promise.resolve({ path: '/api/services' }),
  },
  {
    method: 'POST',
    path: '/api/services',
    rule: 'admin or moderator (API.md Services)',
    expect: only(STAFF),
    request: () =>
      Promise.resolve({ path: '/api/services', body: { name: `Matrix service ${hex()}` } }),
  },
  {
    method: 'PUT',
    path: '/api/services/{id}',
    rule: 'admin or moderator',
    expect: only(STAFF),
    request: async (w) => ({
      path: `/api/services/${await w.shared('service', () => w.service())}`,
      body: { description: 'Edited by the matrix' },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/services/{id}',
    rule: 'admin or moderator; a new service after each call that went through',
    expect: only(STAFF),
    request: async (w) => ({
      path: `/api/services/${await w.untilUsed('service', () => w.service())}`,
    }),
  },

  // ---- jobs ---------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/api/jobs',
    rule: 'client (API.md Jobs)',
    expect: only(['client', 'anotherClient']),
    request: () => Promise.resolve({ path: '/api/jobs', body: JOB_BODY }),
  },
  {
    method: 'GET',
    path: '/api/jobs',
    rule: 'any signed-in user (craftsmen browse, clients mine=true, staff everything)',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/jobs' }),
  },
  {
    method: 'GET',
    path: '/api/jobs/{jobId}',
    rule: 'any signed-in user for an open job (README: a closed one only its parties and staff)',
    expect: only(ANYONE),
    request: async (w) => ({ path: `/api/jobs/${await w.sharedOpenJob()}` }),
  },
  {
    method: 'PUT',
    path: '/api/jobs/{jobId}',
    rule: 'the owning client, while open (API.md Jobs)',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/jobs/${await w.sharedOpenJob()}`,
      body: { description: 'Water drips under the sink, more every day.' },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/jobs/{jobId}',
    rule: 'the owner, admin or moderator (API.md Jobs); a new open job after each call that went through',
    expect: only(['client', ...STAFF]),
    request: async (w) => ({ path: `/api/jobs/${await w.untilUsed('job', () => w.openJob())}` }),
  },
  {
    method: 'PATCH',
    path: '/api/jobs/{jobId}/status',
    rule: 'hired → disputed: either party or staff, anyone else 403 (API.md Jobs); a new hired job after each call that went through',
    expect: only(['client', 'craftsman', ...STAFF]),
    request: async (w) => ({
      path: `/api/jobs/${await w.untilUsed('job', () => w.hiredJob())}/status`,
      body: { status: 'disputed' },
    }),
  },

  {
    method: 'POST',
    path: '/api/jobs/{jobId}/request-completion',
    rule: 'the hired craftsman, job in_progress (API.md Jobs); anyone else 403 (the code: craftsmen only, then the hired one); a new job in progress after each call that went through',
    expect: only(['craftsman']),
    request: async (w) => ({
      path: `/api/jobs/${await w.untilUsed('job', () => w.jobInProgress())}/request-completion`,
    }),
  },

  // ---- quotes -------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/api/jobs/{jobId}/quotes',
    rule: 'craftsman (API.md Quotes); a new open job after each call that went through',
    expect: only(['craftsman', 'anotherCraftsman']),
    request: async (w) => ({
      path: `/api/jobs/${await w.untilUsed('job', () => w.openJob())}/quotes`,
      body: { price: 55_000, notes: 'Parts included', estimatedDays: 2 },
    }),
  },
  {
    method: 'GET',
    path: '/api/jobs/{jobId}/quotes',
    rule: 'the owner (API.md Quotes: "(owner)"; staff are not named)',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/jobs/${(await w.sharedJobWithActivity()).jobId}/quotes`,
    }),
  },
  {
    method: 'GET',
    path: '/api/quotes/mine',
    rule: 'craftsman (API.md Quotes)',
    expect: only(['craftsman', 'anotherCraftsman']),
    request: () => Promise.resolve({ path: '/api/quotes/mine' }),
  },
  {
    method: 'POST',
    path: '/api/jobs/{jobId}/quotes/{quoteId}/accept',
    rule: 'the owner (API.md Quotes); a new quoted job after each call that went through',
    expect: only(['client']),
    request: async (w) => {
      const { jobId, quoteId } = await w.untilUsed('job', () => w.quotedJob());
      return { path: `/api/jobs/${jobId}/quotes/${quoteId}/accept` };
    },
  },
  {
    method: 'POST',
    path: '/api/jobs/{jobId}/quotes/{quoteId}/confirm',
    rule: 'the quote’s craftsman (API.md Quotes); another craftsman is refused like anyone else',
    expect: only(['craftsman']),
    request: async (w) => {
      const { jobId, quoteId } = await w.untilUsed('job', () => w.quotedJob());
      return { path: `/api/jobs/${jobId}/quotes/${quoteId}/confirm`, body: { price: 43_000 } };
    },
  },

  // ---- conversations ------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/api/conversations',
    rule: 'any signed-in user (his own conversations)',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/conversations' }),
  },
  {
    method: 'GET',
    path: '/api/conversations/{id}/messages',
    rule: 'participants only (API.md Conversations): client and craftsman of the conversation',
    expect: only(['client', 'craftsman']),
    request: async (w) => ({ path: `/api/conversations/${await w.conversation()}/messages` }),
  },
  {
    method: 'POST',
    path: '/api/conversations/{id}/messages',
    rule: 'participants only (API.md Conversations)',
    expect: only(['client', 'craftsman']),
    request: async (w) => ({
      path: `/api/conversations/${await w.conversation()}/messages`,
      body: { text: 'When can you come?' },
    }),
  },

  // ---- invitations --------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/api/jobs/{jobId}/invite',
    rule: 'the owning client (API.md Invitations, rule 1); a new open job after each call that went through',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/jobs/${await w.untilUsed('job', () => w.openJob())}/invite`,
      body: { craftsmanId: w.craftsman.user.id, message: 'Are you free?' },
    }),
  },
  {
    method: 'POST',
    path: '/api/jobs/{jobId}/invitations/bulk',
    rule: 'the owning client; a new open job after each call that went through',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/jobs/${await w.untilUsed('job', () => w.openJob())}/invitations/bulk`,
      body: { craftsmanIds: [w.craftsman.user.id] },
    }),
  },
  {
    method: 'GET',
    path: '/api/jobs/{jobId}/invitations',
    rule: 'the owning client (API.md Invitations; staff are not named)',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/jobs/${(await w.sharedJobWithActivity()).jobId}/invitations`,
    }),
  },
  {
    method: 'GET',
    path: '/api/jobs/{jobId}/invitations/stats',
    rule: 'the owning client (API.md Invitations; staff are not named)',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/jobs/${(await w.sharedJobWithActivity()).jobId}/invitations/stats`,
    }),
  },
  {
    method: 'POST',
    path: '/api/jobs/{jobId}/invitations/respond',
    rule: 'the invited craftsman (API.md Invitations); another craftsman has no invitation to this job: 404 (the code looks his own up; API.md names no status); a new invitation after each call that went through',
    expect: only(['craftsman'], { anotherCraftsman: 'deny404' }),
    request: async (w) => ({
      path: `/api/jobs/${(await w.untilUsed('invitation', () => w.pendingInvitation())).jobId}/invitations/respond`,
      body: { response: 'accepted' },
    }),
  },
  {
    method: 'GET',
    path: '/api/invitations/sent',
    rule: 'client (API.md Invitations), his own',
    expect: only(['client', 'anotherClient']),
    request: () => Promise.resolve({ path: '/api/invitations/sent' }),
  },
  {
    method: 'GET',
    path: '/api/invitations/received',
    rule: 'craftsman (API.md Invitations), his own',
    expect: only(['craftsman', 'anotherCraftsman']),
    request: () => Promise.resolve({ path: '/api/invitations/received' }),
  },
  {
    method: 'GET',
    path: '/api/invitations/by-token/{token}',
    rule: 'public (API.md Invitations); a real token from an invitation email',
    expect: PUBLIC,
    request: async (w) => ({
      path: `/api/invitations/by-token/${await w.shared('emailToken', () => w.emailInvitationToken())}`,
    }),
  },
  {
    method: 'POST',
    path: '/api/invitations/respond-by-token',
    rule: 'public (API.md Invitations); a real emailed token, fresh for each actor, rejected',
    expect: PUBLIC,
    request: async (w) => ({
      path: '/api/invitations/respond-by-token',
      body: { token: await w.emailInvitationToken(), response: 'rejected', reasonCode: 'busy' },
    }),
  },
  {
    method: 'GET',
    path: '/api/invitations/{id}',
    rule: 'its client or craftsman, admin; 403 for anyone else (API.md Invitations: moderators are not named)',
    expect: only(['client', 'craftsman', 'admin']),
    request: async (w) => ({
      path: `/api/invitations/${(await w.sharedJobWithActivity()).invitationId}`,
    }),
  },
  {
    method: 'POST',
    path: '/api/invitations/{id}/accept',
    rule: 'the invited craftsman; a new invitation after each call that went through',
    expect: only(['craftsman']),
    request: async (w) => ({
      path: `/api/invitations/${(await w.untilUsed('invitation', () => w.pendingInvitation())).invitationId}/accept`,
    }),
  },
  {
    method: 'POST',
    path: '/api/invitations/{id}/reject',
    rule: 'the invited craftsman; a new invitation after each call that went through',
    expect: only(['craftsman']),
    request: async (w) => ({
      path: `/api/invitations/${(await w.untilUsed('invitation', () => w.pendingInvitation())).invitationId}/reject`,
      body: { reason: 'Fully booked', reasonCode: 'busy' },
    }),
  },
  {
    method: 'POST',
    path: '/api/invitations/{id}/cancel',
    rule: 'the inviting client; a new invitation after each call that went through',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/invitations/${(await w.untilUsed('invitation', () => w.pendingInvitation())).invitationId}/cancel`,
    }),
  },
  {
    method: 'POST',
    path: '/api/invitations/{id}/resend',
    rule: 'the inviting client; a new invitation after each call that went through, the clock moved past the resend interval',
    expect: only(['client']),
    request: async (w) => {
      const { invitationId } = await w.untilUsed('invitation', async () => {
        const invitation = await w.pendingInvitation();
        w.clock.advance(61 * 60 * 1000);
        return invitation;
      });
      return { path: `/api/invitations/${invitationId}/resend` };
    },
  },
  {
    method: 'POST',
    path: '/api/jobs/{jobId}/invite-links',
    rule: 'the owning client (API.md Invitations)',
    expect: only(['client']),
    request: async (w) => ({
      path: `/api/jobs/${await w.sharedOpenJob()}/invite-links`,
      body: { maxUses: 5, expiresInDays: 7 },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/jobs/{jobId}/invite-links/{linkId}',
    rule: 'the owning client; a new link after each call that went through',
    expect: only(['client']),
    request: async (w) => {
      const { jobId, linkId } = await w.untilUsed('link', () => w.inviteLink());
      return { path: `/api/jobs/${jobId}/invite-links/${linkId}` };
    },
  },
  {
    method: 'POST',
    path: '/api/invite-links/{token}/accept',
    rule: 'craftsman (API.md Invitations); a new link after each call that went through',
    expect: only(['craftsman', 'anotherCraftsman']),
    request: async (w) => ({
      path: `/api/invite-links/${(await w.untilUsed('link', () => w.inviteLink())).token}/accept`,
    }),
  },

  // ---- admin --------------------------------------------------------------------------------
  {
    method: 'DELETE',
    path: '/api/admin/jobs/{jobId}',
    rule: 'admin (API.md Admin: "admin; moderator where noted", not noted here); a new open job after each call that went through',
    expect: only(['admin']),
    request: async (w) => ({
      path: `/api/admin/jobs/${await w.untilUsed('job', () => w.openJob())}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/admin/users',
    rule: 'admin, moderator (API.md Admin)',
    expect: only(STAFF),
    request: () => Promise.resolve({ path: '/api/admin/users', query: { role: 'craftsman' } }),
  },
  {
    method: 'POST',
    path: '/api/admin/users/create-admin',
    rule: 'admin (API.md Admin)',
    expect: only(['admin']),
    request: () =>
      Promise.resolve({
        path: '/api/admin/users/create-admin',
        body: {
          email: uniqueEmail('staff'),
          password: 'staff-pass-1',
          firstName: 'Sami',
          lastName: 'Staff',
          role: 'moderator',
        },
      }),
  },
  {
    method: 'PATCH',
    path: '/api/admin/users/{userId}/ban',
    rule: 'admin, moderator (API.md Admin); a new craftsman after each call that went through',
    expect: only(STAFF),
    request: async (w) => ({
      path: `/api/admin/users/${await w.untilUsed('user', () => w.craftsmanAccount())}/ban`,
      body: { reason: 'Spam in the chat' },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/admin/users/{userId}/unban',
    rule: 'admin, moderator (API.md Admin); a new banned craftsman after each call that went through',
    expect: only(STAFF),
    request: async (w) => ({
      path: `/api/admin/users/${await w.untilUsed('user', () => w.craftsmanAccount(true))}/unban`,
    }),
  },
  {
    method: 'GET',
    path: '/api/admin/verifications',
    rule: 'admin (API.md Admin: moderators not noted)',
    expect: only(['admin']),
    request: () => Promise.resolve({ path: '/api/admin/verifications' }),
  },
  {
    method: 'POST',
    path: '/api/admin/verifications/{id}/approve',
    rule: 'admin (API.md Admin: moderators not noted); a new pending craftsman after each call that went through',
    expect: only(['admin']),
    request: async (w) => ({
      path: `/api/admin/verifications/${await w.untilUsed('user', () => w.pendingVerification())}/approve`,
    }),
  },
  {
    method: 'POST',
    path: '/api/admin/verifications/{id}/reject',
    rule: 'admin (API.md Admin: moderators not noted); a new pending craftsman after each call that went through',
    expect: only(['admin']),
    request: async (w) => ({
      path: `/api/admin/verifications/${await w.untilUsed('user', () => w.pendingVerification())}/reject`,
      body: { reason: 'The license is unreadable' },
    }),
  },

  // ---- notifications ------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/api/notifications',
    rule: 'any signed-in user, his own',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/notifications', query: { unread: true } }),
  },
  {
    method: 'GET',
    path: '/api/notifications/unread-count',
    rule: 'any signed-in user, his own',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/notifications/unread-count' }),
  },
  {
    method: 'POST',
    path: '/api/notifications/mark-read',
    rule: 'any signed-in user, his own',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/notifications/mark-read', body: { all: true } }),
  },
  {
    method: 'POST',
    path: '/api/notifications/devices',
    rule: 'any signed-in user, his own device',
    expect: only(ANYONE),
    request: () =>
      Promise.resolve({
        path: '/api/notifications/devices',
        body: { token: `fcm-${hex()}-${hex()}`, platform: 'web' },
      }),
  },
  {
    method: 'DELETE',
    path: '/api/notifications/devices/{token}',
    rule: 'any signed-in user, a device token he registered (fresh for each actor; anonymous: the client’s)',
    expect: only(ANYONE),
    request: async (w, actor) => ({
      path: `/api/notifications/devices/${await w.deviceToken(w.sessions[isSignedIn(actor) ? actor : 'client'])}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/notifications/preferences',
    rule: 'any signed-in user, his own',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/notifications/preferences' }),
  },
  {
    method: 'PUT',
    path: '/api/notifications/preferences',
    rule: 'any signed-in user, his own',
    expect: only(ANYONE),
    request: () =>
      Promise.resolve({
        path: '/api/notifications/preferences',
        body: { 'invitation.created': { inApp: true, push: false, email: true } },
      }),
  },
  ...MONEY_ROWS,
  ...REVIEW_ROWS,
  ...DISPUTE_ROWS,
  ...PRIVACY_ROWS,
  ...CONTACT_ROWS,
  ...FILES_ROWS,
  ...ACTIVITY_ROWS,
  ...REPORT_ROWS,
  ...FAQ_ROWS,
];
