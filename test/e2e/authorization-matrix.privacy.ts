import type { Actor, SignedInActor, World } from './authorization-matrix.fixtures.js';
import {
  ANYONE,
  CRAFTSMEN,
  isSignedIn,
  type MatrixRow,
  only,
  STAFF,
} from './authorization-matrix.rules.js';
import type { Session } from '../support/session.js';

/** Deletion is for clients and craftsmen (their own account); staff get 403. */
const MARKETPLACE: SignedInActor[] = ['client', 'anotherClient', ...CRAFTSMEN];

/**
 * A new account of the actor's role for the deletion rows (the actors' own have jobs and money
 * that would block it, and a deletion would spoil them); staff and anonymous callers use their
 * own (refused before anything is read).
 */
async function deletable(w: World, actor: Actor): Promise<Session | undefined> {
  return isSignedIn(actor) && !STAFF.includes(actor) ? w.accountLike(actor) : undefined;
}

/** Privacy (API.md "Privacy and contact"). */
export const PRIVACY_ROWS: readonly MatrixRow[] = [
  {
    method: 'GET',
    path: '/api/users/me/export',
    rule: 'any signed-in user, his own data (API.md Privacy and contact)',
    expect: only(ANYONE),
    request: () => Promise.resolve({ path: '/api/users/me/export' }),
  },
  {
    method: 'POST',
    path: '/api/users/me/deletion',
    rule: 'a client or craftsman, his own account (API.md Privacy and contact; staff accounts are the platform’s: 403); called with a new account of the actor’s role',
    expect: only(MARKETPLACE),
    request: async (w, actor) => {
      const as = await deletable(w, actor);
      return {
        path: '/api/users/me/deletion',
        body: { password: as?.password ?? 'not-my-password-1' },
        as,
      };
    },
  },
  {
    method: 'DELETE',
    path: '/api/users/me/deletion',
    rule: 'a client or craftsman, his own scheduled deletion (API.md Privacy and contact; staff 403); called with a new account of the actor’s role whose deletion is scheduled',
    expect: only(MARKETPLACE),
    request: async (w, actor) => {
      const as = await deletable(w, actor);
      if (as) {
        await w.t.http
          .post('/api/users/me/deletion')
          .set('Authorization', as.bearer)
          .send({ password: as.password })
          .expect(202);
      }
      return { path: '/api/users/me/deletion', as };
    },
  },
];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const PRIVACY_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // a client's: one read per kind of record (two where he can be on either side: jobs,
  // invitations, reviews, payments), his messages, the names of whom he talked with; a
  // craftsman's adds his quotes and his wallet (balance, ledger entries, withdrawals)
  'GET /api/users/me/export': 16,
  // the password hash, the blocking checks (payments ×2, jobs ×2, disputes; a craftsman's
  // wallet +1), the schedule (its answer serves the confirmation mail); the activity log’s
  // entry: +3 (head read, insert, head move)
  'POST /api/users/me/deletion': 10,
  // the schedule taken back, and the activity log’s entry (+3)
  'DELETE /api/users/me/deletion': 4,
};
