import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
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
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import { MessageResponseDto } from './dto/auth-response.dto.js';
import { VerifyEmailDto, VerifyEmailResponseDto } from './dto/verify-email.dto.js';
import { EmailVerificationService } from './email-verification.service.js';

@ApiTags('auth')
@Controller('auth')
export class EmailVerificationController {
  constructor(private readonly emailVerification: EmailVerificationService) {}

  @Post('verify-email')
  @BodyLimit(BODY_LIMITS.credentials)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Confirm the account’s email with the emailed token; a craftsman then takes over the pending email invitations to it',
  })
  @ApiOkResponse({ type: VerifyEmailResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'INVALID_TOKEN: unknown, expired or already used',
  })
  async verifyEmail(@Body() body: VerifyEmailDto): Promise<VerifyEmailResponseDto> {
    const user = await this.emailVerification.verify(body.token);
    return { message: 'Email address verified', user: UserResponseDto.from(user) };
  }

  @Post('resend-verification')
  @BodyLimit(BODY_LIMITS.credentials)
  @HttpCode(HttpStatus.OK)
  @Authenticated()
  @ApiOperation({
    summary: 'Email a new verification link to the signed-in user (older links stop working)',
  })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'RATE_LIMITED (RESEND_VERIFICATION_RATE_LIMIT_PER_USER per window)',
  })
  async resendVerification(@CurrentUser() user: AuthUser): Promise<MessageResponseDto> {
    const sent = await this.emailVerification.resend(user);
    return {
      message: sent
        ? 'A verification link is on its way'
        : 'Your email address is already verified',
    };
  }
}
