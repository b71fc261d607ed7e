import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { DATABASE_ENGINE, type DatabaseEngine } from '../../database/engine/database-engine.js';
import { HealthResponseDto } from './dto/health-response.dto.js';

const PING_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine,
  ) {}

  /** `down` at once while the engine this app started is known dead; otherwise a ping decides. */
  async check(): Promise<HealthResponseDto> {
    const up = !this.engine.isDown() && (await this.pingDatabase());
    return up ? { status: 'ok', db: 'up' } : { status: 'error', db: 'down' };
  }

  /** A ping with its own short deadline: a load balancer must not wait for server selection. */
  private async pingDatabase(): Promise<boolean> {
    const db = this.connection.db;
    if (!db) {
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    const ping = db
      .admin()
      .ping({ maxTimeMS: PING_TIMEOUT_MS })
      .then(() => true)
      .catch(() => false);
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
