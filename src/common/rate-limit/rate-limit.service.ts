import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { AllConfig } from '../../config/config.js';
import type { RateLimit } from '../../config/auth.config.js';
import { CommonErrors } from '../errors/domain.error.js';
import { REDIS_CLIENT } from '../redis/redis.module.js';

/**
 * Fixed-window counters (rate-limiter-flexible): in Redis when REDIS_URL is set, so that every
 * instance counts together, else in this process.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly keyPrefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    config: ConfigService<AllConfig, true>,
  ) {
    this.keyPrefix = `${config.get('redis', { infer: true }).keyPrefix}rl:`;
  }

  /**
   * Counts one attempt for `key` under the limit called `name`; over the limit it throws
   * `RATE_LIMITED` with `details.retryAfterSeconds`.
   */
  async consume(name: string, limit: RateLimit, key: string, message?: string): Promise<void> {
    try {
      await this.limiterFor(name, limit).consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw this.rejection(rejection, message);
      }
      throw rejection;
    }
  }

  /**
   * Throws `RATE_LIMITED` like `consume` when `key` has no attempt left, without counting one:
   * for answering before work whose outcome would tell something (a lookup).
   */
  async assertAvailable(
    name: string,
    limit: RateLimit,
    key: string,
    message?: string,
  ): Promise<void> {
    const used = await this.limiterFor(name, limit).get(key);
    if (used && used.consumedPoints >= limit.points) {
      throw this.rejection(used, message);
    }
  }

  /** Gives back an attempt that did not happen after all (the write it guarded failed). */
  async refund(name: string, limit: RateLimit, key: string): Promise<void> {
    await this.limiterFor(name, limit).reward(key, 1);
  }

  /** Forgets every attempt counted for `key` (e.g. a successful sign-in from that address). */
  async reset(name: string, limit: RateLimit, key: string): Promise<void> {
    await this.limiterFor(name, limit).delete(key);
  }

  private rejection(result: RateLimiterRes, message?: string) {
    const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    return CommonErrors.rateLimited(message, { retryAfterSeconds });
  }

  private limiterFor(name: string, limit: RateLimit): RateLimiterAbstract {
    let limiter = this.limiters.get(name);
    if (!limiter) {
      const options = {
        keyPrefix: `${this.keyPrefix}${name}`,
        points: limit.points,
        duration: limit.windowSeconds,
      };
      limiter = this.redis
        ? new RateLimiterRedis({ ...options, storeClient: this.redis, rejectIfRedisNotReady: true })
        : new RateLimiterMemory(options);
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}
