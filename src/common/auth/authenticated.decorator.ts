import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto.js';
import { BEARER_AUTH } from '../http/swagger.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { Role } from './role.js';
import { ROLES_KEY, RolesGuard } from './roles.guard.js';

export interface AuthenticatedOptions {
  /** Any of these roles may call; none listed: any authenticated user. */
  roles?: Role[];
}

/** The one auth decorator: JWT guard, roles guard and the OpenAPI security metadata. */
export function Authenticated({ roles = [] }: AuthenticatedOptions = {}): MethodDecorator &
  ClassDecorator {
  const decorators = [
    SetMetadata(ROLES_KEY, roles),
    UseGuards(JwtAuthGuard, RolesGuard),
    ApiBearerAuth(BEARER_AUTH),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description: 'Missing, invalid or revoked token',
    }),
  ];
  if (roles.length > 0) {
    decorators.push(
      ApiForbiddenResponse({
        type: ErrorResponseDto,
        description: `Only for: ${roles.join(', ')}`,
      }),
    );
  }
  return applyDecorators(...decorators);
}
