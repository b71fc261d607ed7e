import type { Role } from '../auth/role.js';

/**
 * Who did what an event announces, when a person did it: his id and his role at the time (the
 * activity log records both). `null` in an event's actor means the system did it (a sweep, a
 * gateway's answer).
 */
export interface EventActor {
  id: string;
  role: Role;
}

/** The id and role of a caller (an AuthUser, a user entity), as an event carries them. */
export function actorOf(user: { id: string; role: Role }): EventActor {
  return { id: user.id, role: user.role };
}
