import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { DomainError } from '../common/errors/domain.error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import {
  AnswersWithoutDatabase,
  DatabaseAvailabilityGuard,
} from './database-availability.guard.js';
import type { DatabaseEngine } from './engine/database-engine.js';

class JobsController {
  create(): void {}
}

@AnswersWithoutDatabase()
class HealthController {
  check(): void {}
}

function contextFor(
  controller: new () => unknown,
  handler: () => void,
  type: 'http' | 'ws' = 'http',
): ExecutionContextHost {
  const context = new ExecutionContextHost([{}, {}]);
  context.setType(type);
  Object.assign(context, { getHandler: () => handler, getClass: () => controller });
  return context;
}

function guardWith(down: boolean): DatabaseAvailabilityGuard {
  const engine = { isDown: () => down } as DatabaseEngine;
  return new DatabaseAvailabilityGuard(engine, new Reflector());
}

describe(DatabaseAvailabilityGuard.name, () => {
  it('should refuse a request with SERVICE_UNAVAILABLE while the engine is down', () => {
    let refusal: unknown;
    try {
      guardWith(true).canActivate(contextFor(JobsController, JobsController.prototype.create));
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe(ErrorCode.ServiceUnavailable);
  });

  it('should let every request through while the engine is up', () => {
    expect(
      guardWith(false).canActivate(contextFor(JobsController, JobsController.prototype.create)),
    ).toBe(true);
  });

  it('should let the health check through while the engine is down, to say so', () => {
    expect(
      guardWith(true).canActivate(contextFor(HealthController, HealthController.prototype.check)),
    ).toBe(true);
  });

  it('should leave socket events alone', () => {
    expect(
      guardWith(true).canActivate(
        contextFor(JobsController, JobsController.prototype.create, 'ws'),
      ),
    ).toBe(true);
  });
});
