import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { AllConfig } from '../../config/config.js';
import { redactCredentials } from '../logging/redact-credentials.js';

/** The shared Redis client, or `null` when REDIS_URL is unset (single-instance mode). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [ConfigService],
      useFactory: async (config: ConfigService<AllConfig, true>): Promise<Redis | null> => {
        const { url } = config.get('redis', { infer: true });
        const logger = new Logger('Redis');
        if (!url) {
          logger.log('REDIS_URL unset: rate-limit counters are per instance');
          return null;
        }
        const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
        client.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
        await client.connect();
        logger.log(`Connected to Redis at ${redactCredentials(url)}`);
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
