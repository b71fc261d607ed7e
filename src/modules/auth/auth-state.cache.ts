import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module.js';
import type { AllConfig } from '../../config/config.js';
import { UserBannedEvent } from '../users/events/user-banned.event.js';
import { UserTokensRevokedEvent } from '../users/events/user-tokens-revoked.event.js';
import { UserUnbannedEvent } from '../users/events/user-unbanned.event.js';
import type { UserAuthState } from '../users/users.repository.js';
import { TokenRevokedEvent } from './events/token-revoked.event.js';

const MAX_ENTRIES = 100_000;

interface Entry<T> {
  value: T;
  until: number;
}

/**
 * What this instance last read of an account's standing and of a token's revocation, for
 * AUTH_CACHE_TTL, so that most authenticated requests read nothing. A ban, an unban, a
 * password change or a logout clears the entry at once here, and on the other instances through
 * a Redis channel; without Redis there is only this instance. A revoked token stays revoked.
 */
@Injectable()
export class AuthStateCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuthStateCache.name);
  private readonly ttlMs: number;
  private readonly channel: string;
  private readonly users = new Map<string, Entry<UserAuthState | null>>();
  private readonly tokens = new Map<string, Entry<boolean>>();
  private subscriber?: Redis;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    config: ConfigService<AllConfig, true>,
  ) {
    this.ttlMs = config.get('auth', { infer: true }).authCacheTtlMs;
    this.channel = `${config.get('redis', { infer: true }).keyPrefix}auth-invalidate`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis || this.ttlMs === 0) {
      return;
    }
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, message: string) => this.apply(message));
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }

  async userState(
    id: string,
    load: () => Promise<UserAuthState | null>,
  ): Promise<UserAuthState | null> {
    const cached = this.fresh(this.users, id);
    if (cached !== undefined) {
      return cached;
    }
    const state = await load();
    this.remember(this.users, id, state, Date.now() + this.ttlMs);
    return state;
  }

  async isRevoked(
    tokenId: string,
    expiresAt: Date,
    load: () => Promise<boolean>,
  ): Promise<boolean> {
    const cached = this.fresh(this.tokens, tokenId);
    if (cached !== undefined) {
      return cached;
    }
    const revoked = await load();
    this.remember(
      this.tokens,
      tokenId,
      revoked,
      revoked ? expiresAt.getTime() : Date.now() + this.ttlMs,
    );
    return revoked;
  }

  @OnEvent(UserBannedEvent.eventName)
  @OnEvent(UserUnbannedEvent.eventName)
  @OnEvent(UserTokensRevokedEvent.eventName)
  async onUserChanged(event: { userId: string }): Promise<void> {
    this.users.delete(event.userId);
    await this.broadcast({ userId: event.userId });
  }

  @OnEvent(TokenRevokedEvent.eventName)
  async onTokenRevoked(event: TokenRevokedEvent): Promise<void> {
    this.tokens.delete(event.tokenId);
    await this.broadcast({ tokenId: event.tokenId });
  }

  private async broadcast(change: { userId?: string; tokenId?: string }): Promise<void> {
    if (!this.redis || this.ttlMs === 0) {
      return;
    }
    await this.redis
      .publish(this.channel, JSON.stringify(change))
      .catch((error: Error) =>
        this.logger.warn(`Could not tell the other instances: ${error.message}`),
      );
  }

  private apply(message: string): void {
    try {
      const change = JSON.parse(message) as { userId?: string; tokenId?: string };
      if (change.userId) {
        this.users.delete(change.userId);
      }
      if (change.tokenId) {
        this.tokens.delete(change.tokenId);
      }
    } catch {
      this.logger.warn(`Ignored a malformed invalidation: ${message.slice(0, 100)}`);
    }
  }

  private fresh<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.until <= Date.now()) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private remember<T>(map: Map<string, Entry<T>>, key: string, value: T, until: number): void {
    if (this.ttlMs === 0) {
      return;
    }
    if (map.size >= MAX_ENTRIES) {
      // the oldest entry goes (Map keeps insertion order)
      map.delete(map.keys().next().value!);
    }
    map.set(key, { value, until });
  }
}
