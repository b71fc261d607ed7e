import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';

/** Who made the HTTP request being handled, and from where. */
export interface RequestOrigin {
  /** The client's address as Fastify reads it (TRUST_PROXY decides whether proxies count). */
  ip: string;
  /** The request's id (`x-request-id`). */
  requestId: string;
  /** The signed-in caller; undefined on a public route, or before the auth guard has run. */
  user: AuthUser | undefined;
}

const storage = new AsyncLocalStorage<FastifyRequest>();

/**
 * Gives the handler of each HTTP request (Nest's guards, the controller, the services it calls
 * and the listeners of the events they publish, which are awaited within it) access to where the
 * request came from: the activity log records the IP and the caller of an action without every
 * service passing them down. A `preHandler` hook, as RequestReads': it runs before Nest's guards,
 * so it keeps the request itself and the caller is read when asked, once the guard has set it.
 */
export function registerRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    storage.run(request, done);
  });
}

export const RequestContext = {
  /**
   * The request being handled, or undefined outside one (schedules, sockets, boot). Work a
   * request set off to run after it (a `setImmediate`) still sees it: what acts on its own
   * (the system) says so rather than ask.
   */
  current(): RequestOrigin | undefined {
    const request = storage.getStore();
    if (!request) {
      return undefined;
    }
    return {
      ip: request.ip,
      requestId: String(request.id),
      user: (request as FastifyRequest & { user?: AuthUser }).user,
    };
  },
};
