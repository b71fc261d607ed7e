import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { DomainError } from '../errors/domain.error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { AuthUser } from './auth-user.js';
import { Role } from './role.js';
import { ROLES_KEY, RolesGuard } from './roles.guard.js';

class Controller {
  open(): void {}
  staffOnly(): void {}
}
Reflect.defineMetadata(ROLES_KEY, [], Controller.prototype.open);
Reflect.defineMetadata(ROLES_KEY, [Role.Admin, Role.Moderator], Controller.prototype.staffOnly);

function contextFor(handler: () => void, user?: Partial<AuthUser>): ExecutionContextHost {
  const context = new ExecutionContextHost([{ user }, {}]);
  context.setType('http');
  Object.assign(context, { getHandler: () => handler, getClass: () => Controller });
  return context;
}

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the guard to refuse');
}

describe(RolesGuard.name, () => {
  const guard = new RolesGuard(new Reflector());

  it('should let any authenticated user through a route that names no roles', () => {
    expect(guard.canActivate(contextFor(Controller.prototype.open, { role: Role.Client }))).toBe(
      true,
    );
  });

  it.each([Role.Admin, Role.Moderator])('should let a %s through a staff route', (role) => {
    expect(guard.canActivate(contextFor(Controller.prototype.staffOnly, { role }))).toBe(true);
  });

  it.each([Role.Client, Role.Craftsman])(
    'should refuse a %s on a staff route with 403 FORBIDDEN',
    (role) => {
      const error = errorOf(() =>
        guard.canActivate(contextFor(Controller.prototype.staffOnly, { role })),
      );

      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe(ErrorCode.Forbidden);
      expect(error.message).toBe('This action is for admin or moderator accounts');
    },
  );

  it('should refuse an anonymous request to a role route with UNAUTHENTICATED', () => {
    const error = errorOf(() => guard.canActivate(contextFor(Controller.prototype.staffOnly)));

    expect(error.code).toBe(ErrorCode.Unauthenticated);
  });
});
