import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Role } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { actorOf } from '../../common/events/event-actor.js';
import { PaginationQueryDto } from '../../common/pagination/pagination-query.dto.js';
import { ApiPaginatedResponse } from '../../common/pagination/paginated-response.dto.js';
import { mapPage, type Paginated } from '../../common/pagination/paginated.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { JobResponseDto } from '../jobs/dto/job-response.dto.js';
import { DisputeReportsService } from '../disputes/dispute-reports.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { AdminUserResponseDto } from '../users/dto/admin-user-response.dto.js';
import { UsersService } from '../users/users.service.js';
import { AdminUsersQueryDto } from './dto/admin-users-query.dto.js';
import { BanUserDto } from './dto/ban-user.dto.js';
import { CreateStaffDto } from './dto/create-staff.dto.js';
import { RejectVerificationDto } from './dto/reject-verification.dto.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';

const STAFF = [Role.Admin, Role.Moderator];

@ApiTags('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly usersService: UsersService,
    private readonly jobsService: JobsService,
    private readonly disputeReports: DisputeReportsService,
  ) {}

  @Delete('jobs/:jobId')
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'Cancel a job as staff (from posted, quoted or hired): invitations cancelled, quotes declined',
  })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'INVALID_STATUS_TRANSITION' })
  async cancelJob(
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @CurrentUser() actor: AuthUser,
  ): Promise<JobResponseDto> {
    return this.jobsService.toResponse(await this.jobsService.cancel(jobId, actor), actor);
  }

  @Get('users')
  @Authenticated({ roles: STAFF })
  @ApiOperation({
    summary:
      'All accounts, newest first, by role, name/email prefix and ban state; with the disputes each opened and their outcomes',
  })
  @ApiPaginatedResponse(AdminUserResponseDto)
  async listUsers(
    @Query() query: AdminUsersQueryDto,
    @CurrentUser() viewer: AuthUser,
  ): Promise<Paginated<AdminUserResponseDto>> {
    const page = await this.usersService.listForAdmin(
      { role: query.role, prefix: query.q, banned: query.banned },
      query,
    );
    const disputes = await this.disputeReports.countsFor(page.data.map((user) => user.id));
    return mapPage(page, (user) => ({
      ...AdminUserResponseDto.from(user, viewer.role),
      disputes: disputes.get(user.id) ?? { opened: 0, open: 0, won: 0, lost: 0, other: 0 },
    }));
  }

  @Post('users/create-admin')
  @BodyLimit(BODY_LIMITS.credentials)
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({ summary: 'Create an admin or moderator account' })
  @ApiCreatedResponse({ type: AdminUserResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'EMAIL_TAKEN' })
  async createStaff(
    @Body() body: CreateStaffDto,
    @CurrentUser() viewer: AuthUser,
  ): Promise<AdminUserResponseDto> {
    return AdminUserResponseDto.from(
      await this.usersService.register(body, actorOf(viewer)),
      viewer.role,
    );
  }

  @Patch('users/:userId/ban')
  @Authenticated({ roles: STAFF })
  @ApiOperation({ summary: 'Ban an account: its tokens and sockets stop working at once' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'yourself, an admin, or (moderators) a moderator',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ALREADY_BANNED' })
  async ban(
    @Param('userId', ParseObjectIdPipe) userId: string,
    @Body() body: BanUserDto,
    @CurrentUser() actor: AuthUser,
  ): Promise<AdminUserResponseDto> {
    return AdminUserResponseDto.from(
      await this.usersService.ban(userId, body.reason, actor),
      actor.role,
    );
  }

  @Patch('users/:userId/unban')
  @Authenticated({ roles: STAFF })
  @ApiOperation({ summary: 'Lift a ban (old tokens stay revoked: the user signs in again)' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'NOT_BANNED' })
  async unban(
    @Param('userId', ParseObjectIdPipe) userId: string,
    @CurrentUser() actor: AuthUser,
  ): Promise<AdminUserResponseDto> {
    return AdminUserResponseDto.from(await this.usersService.unban(userId, actor), actor.role);
  }

  @Get('verifications')
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({ summary: 'Craftsmen waiting for verification, oldest submission first' })
  @ApiPaginatedResponse(AdminUserResponseDto)
  async listVerifications(
    @Query() query: PaginationQueryDto,
    @CurrentUser() viewer: AuthUser,
  ): Promise<Paginated<AdminUserResponseDto>> {
    const page = await this.usersService.listPendingVerifications(query);
    return mapPage(page, (user) => AdminUserResponseDto.from(user, viewer.role));
  }

  @Post('verifications/:id/approve')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({ summary: 'Approve a craftsman’s documents (`:id` is the craftsman’s user id)' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VERIFICATION_NOT_PENDING' })
  async approve(
    @Param('id', ParseObjectIdPipe) craftsmanId: string,
    @CurrentUser() actor: AuthUser,
  ): Promise<AdminUserResponseDto> {
    return AdminUserResponseDto.from(
      await this.usersService.approveVerification(craftsmanId, actor.id),
      actor.role,
    );
  }

  @Post('verifications/:id/reject')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({ summary: 'Reject a craftsman’s documents with a reason; he may submit again' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VERIFICATION_NOT_PENDING' })
  async reject(
    @Param('id', ParseObjectIdPipe) craftsmanId: string,
    @Body() body: RejectVerificationDto,
    @CurrentUser() actor: AuthUser,
  ): Promise<AdminUserResponseDto> {
    return AdminUserResponseDto.from(
      await this.usersService.rejectVerification(craftsmanId, actor.id, body.reason),
      actor.role,
    );
  }
}
