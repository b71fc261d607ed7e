import Fastify, { type FastifyInstance } from 'fastify';
import { BODY_LIMITS, registerRouteBodyLimits } from './body-limit.js';

describe(registerRouteBodyLimits.name, () => {
  let fastify: FastifyInstance;

  beforeEach(async () => {
    fastify = Fastify();
    registerRouteBodyLimits(fastify, 32 * 1024);
    const echo = (_request: unknown, reply: { send(body: unknown): void }) =>
      reply.send({ ok: true });
    fastify.post('/declared', { config: { bodyLimit: BODY_LIMITS.credentials } }, echo);
    fastify.post('/undeclared', echo);
    fastify.post('/over-the-ceiling', { config: { bodyLimit: BODY_LIMITS.profile } }, echo);
    await fastify.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    await fastify.close();
  });

  /** The status of a POST of a JSON body of about `bytes` bytes. */
  async function statusOf(url: string, bytes: number): Promise<number> {
    const { port } = fastify.server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(bytes - 11) }),
    });
    return response.status;
  }

  it('should hold a route to the limit it declares', async () => {
    expect(await statusOf('/declared', BODY_LIMITS.credentials)).toBe(200);
    expect(await statusOf('/declared', BODY_LIMITS.credentials + 1)).toBe(413);
  });

  it('should give a route that declares none the standard limit', async () => {
    expect(await statusOf('/undeclared', BODY_LIMITS.standard)).toBe(200);
    expect(await statusOf('/undeclared', BODY_LIMITS.standard + 1)).toBe(413);
  });

  it('should never let a route take more than the ceiling', async () => {
    expect(await statusOf('/over-the-ceiling', 32 * 1024)).toBe(200);
    expect(await statusOf('/over-the-ceiling', 32 * 1024 + 1)).toBe(413);
  });
});
