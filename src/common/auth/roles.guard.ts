import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CommonErrors } from '../errors/domain.error.js';
import type { AuthUser } from './auth-user.js';
import { Role } from './role.js';

export const ROLES_KEY = 'roles';

/** Lets the call through when the route names no roles, or the caller has one of them. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) {
      return true;
    }
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) {
      throw CommonErrors.unauthenticated();
    }
    if (!roles.includes(user.role)) {
      throw CommonErrors.forbidden(`This action is for ${roles.join(' or ')} accounts`);
    }
    return true;
  }
}
