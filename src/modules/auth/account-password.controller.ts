import { Body, Controller, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { toAuthResponse } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AuthResponseDto } from './dto/auth-response.dto.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';

/** Under /users/me, but an auth concern: it revokes every token and hands out a new one. */
@ApiTags('users')
@Controller('users/me/password')
export class AccountPasswordController {
  constructor(private readonly authService: AuthService) {}

  @Patch()
  @BodyLimit(BODY_LIMITS.credentials)
  @Authenticated()
  @ApiOperation({
    summary: 'Change the own password: every older token stops working; answers a fresh token',
  })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'WRONG_CURRENT_PASSWORD' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'RATE_LIMITED: too many failed passwords for the account (sign-ins included)',
  })
  async change(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
  ): Promise<AuthResponseDto> {
    return toAuthResponse(
      await this.authService.changePassword(user, body.currentPassword, body.newPassword),
    );
  }
}
