import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

export interface SocketIoAdapterOptions {
  corsOrigins: string[];
  /** With Redis, an event emitted on any instance reaches sockets on every instance. */
  redisUrl?: string;
}

/** Socket.IO on the HTTP server, with the REST API's CORS origins and, optionally, Redis fan-out. */
export class SocketIoAdapter extends IoAdapter {
  private readonly adapterLogger = new Logger(SocketIoAdapter.name);
  private redisClients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly options: SocketIoAdapterOptions,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const origins = this.options.corsOrigins;
    const server: Server = super.createIOServer(port, {
      ...options,
      cors: { origin: origins.length > 0 ? origins : false, credentials: true },
    } as ServerOptions);
    if (this.options.redisUrl) {
      const publisher = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
      const subscriber = publisher.duplicate();
      for (const client of [publisher, subscriber]) {
        client.on('error', (error: Error) =>
          this.adapterLogger.warn(`Socket.IO Redis: ${error.message}`),
        );
      }
      this.redisClients = [publisher, subscriber];
      server.adapter(createAdapter(publisher, subscriber));
      this.adapterLogger.log('Socket.IO rooms span every instance (Redis adapter)');
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.redisClients.map((client) => client.quit().catch(() => undefined)));
    this.redisClients = [];
  }
}
