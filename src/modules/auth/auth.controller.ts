import { Body, Controller, Get, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import { AuthService, type Session } from './auth.service.js';
import {
  AuthResponseDto,
  MessageResponseDto,
  SessionResponseDto,
} from './dto/auth-response.dto.js';
import { ForgotPasswordDto } from './dto/forgot-password.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { ResetPasswordDto } from './dto/reset-password.dto.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';

export function toAuthResponse(session: Session): AuthResponseDto {
  return { accessToken: session.accessToken, user: UserResponseDto.from(session.user) };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  @Post('register')
  @BodyLimit(BODY_LIMITS.credentials)
  @ApiOperation({ summary: 'Create a client or craftsman account and sign in' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'EMAIL_TAKEN or PHONE_TAKEN' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'RATE_LIMITED (per IP)' })
  async register(@Body() body: RegisterDto, @Ip() ip: string): Promise<AuthResponseDto> {
    return toAuthResponse(await this.authService.register(body, ip));
  }

  @Post('login')
  @BodyLimit(BODY_LIMITS.credentials)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Sign in with email or phone; `type: clients` for clients and craftsmen, `admins` for staff',
  })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS' })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'ROLE_NOT_ALLOWED, or ACCOUNT_BANNED with details {reason, bannedAt}',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'RATE_LIMITED (failed attempts per IP, per account from one IP, per account from anywhere)',
  })
  async login(@Body() body: LoginDto, @Ip() ip: string): Promise<AuthResponseDto> {
    return toAuthResponse(await this.authService.login(body, ip));
  }

  @Get('session')
  @Authenticated()
  @ApiOperation({
    summary: 'Who this token is: the user id, role and expiry (nothing else is read)',
  })
  @ApiOkResponse({ type: SessionResponseDto })
  session(@CurrentUser() user: AuthUser): SessionResponseDto {
    return { userId: user.id, role: user.role, expiresAt: user.tokenExpiresAt };
  }

  @Post('logout')
  @HttpCode(HttpStatus.OK)
  @Authenticated()
  @ApiOperation({ summary: 'Revoke the access token of this request (its sockets are closed too)' })
  @ApiOkResponse({ type: MessageResponseDto })
  async logout(@CurrentUser() user: AuthUser): Promise<MessageResponseDto> {
    await this.authService.logout(user);
    return { message: 'Signed out' };
  }

  @Post('forgot-password')
  @BodyLimit(BODY_LIMITS.credentials)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Email a single-use reset link; answers the same whether or not the email has an account',
  })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'RATE_LIMITED (per IP and per email)',
  })
  async forgotPassword(
    @Body() body: ForgotPasswordDto,
    @Ip() ip: string,
  ): Promise<MessageResponseDto> {
    await this.authService.forgotPassword(body.email, ip);
    return { message: 'If this email has an account, a reset link is on its way' };
  }

  @Post('reset-password')
  @BodyLimit(BODY_LIMITS.credentials)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set a new password with the emailed token; signs out every device' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'INVALID_TOKEN: unknown, expired or used',
  })
  async resetPassword(@Body() body: ResetPasswordDto): Promise<MessageResponseDto> {
    await this.authService.resetPassword(body.token, body.password);
    return { message: 'Password changed; sign in with the new one' };
  }
}
