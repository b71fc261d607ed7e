import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's security headers on every answer, from one middleware built at start-up.
 * (@fastify/helmet builds helmet's middleware again on every request, re-parsing the CSP
 * directives: about 5 % of the CPU of an authenticated no-op request in `bench/http.mjs`.)
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions): void {
  const applyHeaders = helmet(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    applyHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
