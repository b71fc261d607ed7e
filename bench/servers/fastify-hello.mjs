// The baseline: Fastify alone, one route answering a small JSON body. Prints `LISTENING <port>`.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', () => ({ hello: 'world' }));
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`LISTENING ${app.server.address().port}`);
