import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain.error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { DATABASE_ENGINE, type DatabaseEngine } from './engine/database-engine.js';

const ANSWERS_WITHOUT_DATABASE = 'answersWithoutDatabase';

/** Marks a controller or route that answers while the database is down (health). */
export const AnswersWithoutDatabase = () => SetMetadata(ANSWERS_WITHOUT_DATABASE, true);

/**
 * While the database engine this app started is known to be dead (restarting, or given up),
 * every HTTP request fails at once with 503 `SERVICE_UNAVAILABLE`, before any guard or handler
 * waits for the driver's server selection (MONGODB_SERVER_SELECTION_TIMEOUT_MS, 5 s by default).
 * Global (APP_GUARD), so it runs before the routes' own guards, which read the database too.
 * A MongoDB the app did not start is never known dead: the driver's timeout applies to it.
 *
 * @throws DomainError SERVICE_UNAVAILABLE
 */
@Injectable()
export class DatabaseAvailabilityGuard implements CanActivate {
  constructor(
    @Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || !this.engine.isDown()) {
      return true;
    }
    const exempt = this.reflector.getAllAndOverride<boolean | undefined>(ANSWERS_WITHOUT_DATABASE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt) {
      return true;
    }
    throw new DomainError(
      ErrorCode.ServiceUnavailable,
      'Service temporarily unavailable, try again shortly',
    );
  }
}
