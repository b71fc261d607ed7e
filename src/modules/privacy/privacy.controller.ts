import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { MARKETPLACE_ROLES } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';
import { AccountDeletionService } from './account-deletion.service.js';
import { DataExportService } from './data-export.service.js';
import { DataExportResponseDto } from './dto/data-export-response.dto.js';
import {
  DeletionCancelledDto,
  DeletionScheduledDto,
  RequestDeletionDto,
} from './dto/request-deletion.dto.js';

/**
 * The caller's own data (API.md "Privacy and contact"): its export, and the deletion of his
 * account. Under /users/me like the other own-account routes; two segments, so no clash with
 * `/users/:userId`. Deletion is for clients and craftsmen: staff accounts are the platform's.
 */
@ApiTags('users')
@Controller('users/me')
export class PrivacyController {
  constructor(
    private readonly dataExport: DataExportService,
    private readonly accountDeletion: AccountDeletionService,
  ) {}

  @Get('export')
  @Authenticated()
  @ApiOperation({ summary: 'All personal data the service holds about the caller (JSON)' })
  @ApiOkResponse({ type: DataExportResponseDto })
  async export(@CurrentUser() user: AuthUser): Promise<DataExportResponseDto> {
    return this.dataExport.exportFor(user);
  }

  @Post('deletion')
  @HttpCode(HttpStatus.ACCEPTED)
  @BodyLimit(BODY_LIMITS.credentials)
  @Authenticated({ roles: [...MARKETPLACE_ROLES] })
  @ApiOperation({
    summary:
      'Delete the own account: anonymised after DELETION_GRACE (14 days) unless cancelled first',
  })
  @ApiAcceptedResponse({ type: DeletionScheduledDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'WRONG_CURRENT_PASSWORD' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'DELETION_BLOCKED: `details` lists what stands in the way (wallet_balance, fees_owed, held_payment, active_job, open_dispute)',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'RATE_LIMITED: too many wrong passwords for the account (sign-ins included)',
  })
  async requestDeletion(
    @CurrentUser() user: AuthUser,
    @Body() body: RequestDeletionDto,
  ): Promise<DeletionScheduledDto> {
    return this.accountDeletion.request(user, body.password);
  }

  @Delete('deletion')
  @Authenticated({ roles: [...MARKETPLACE_ROLES] })
  @ApiOperation({ summary: 'Cancel the scheduled deletion of the own account' })
  @ApiOkResponse({ type: DeletionCancelledDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'DELETION_NOT_SCHEDULED' })
  async cancelDeletion(@CurrentUser() user: AuthUser): Promise<DeletionCancelledDto> {
    await this.accountDeletion.cancel(user);
    return { cancelled: true };
  }
}
