import { Role } from './role.js';

/** Who is calling: set on the request (HTTP) and on `socket.data` (WebSocket) once authenticated. */
export interface AuthUser {
  id: string;
  role: Role;
  /** The access token's `jti`: logout revokes exactly this one. */
  tokenId: string;
  tokenExpiresAt: Date;
}
