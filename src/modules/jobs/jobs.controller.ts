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
  Put,
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
import {
  ApiPaginatedResponse,
  CursorPaginationMetaDto,
} from '../../common/pagination/paginated-response.dto.js';
import type { CursorPaginated } from '../../common/pagination/paginated.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { BrowseJobsQueryDto } from './dto/browse-jobs-query.dto.js';
import { ChangeJobStatusDto } from './dto/change-job-status.dto.js';
import { CreateJobDto } from './dto/create-job.dto.js';
import { JobResponseDto } from './dto/job-response.dto.js';
import { UpdateJobDto } from './dto/update-job.dto.js';
import { JobCompletionService } from './job-completion.service.js';
import { JobsService } from './jobs.service.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobsService: JobsService,
    private readonly completion: JobCompletionService,
  ) {}

  @Post()
  @BodyLimit(BODY_LIMITS.lists)
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({ summary: 'Post a job (status posted)' })
  @ApiCreatedResponse({ type: JobResponseDto })
  async create(@CurrentUser() user: AuthUser, @Body() body: CreateJobDto): Promise<JobResponseDto> {
    return this.jobsService.toResponse(await this.jobsService.create(user.id, body), user);
  }

  @Get()
  @Authenticated()
  @ApiOperation({
    summary:
      'Browse open jobs by category, title words and distance (nearest first); mine=true: your own jobs, any status; newest first, `?after=<nextCursor>` continues without repeats',
  })
  @ApiPaginatedResponse(JobResponseDto, undefined, CursorPaginationMetaDto)
  async browse(
    @CurrentUser() user: AuthUser,
    @Query() query: BrowseJobsQueryDto,
  ): Promise<CursorPaginated<JobResponseDto>> {
    const page = await this.jobsService.browse(user, query);
    return {
      data: await this.jobsService.toResponses(page.data, user),
      pagination: page.pagination,
    };
  }

  @Get(':jobId')
  @Authenticated()
  @ApiOperation({
    summary: 'A job: open jobs for everyone signed in, others for their parties and staff',
  })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async get(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
  ): Promise<JobResponseDto> {
    return this.jobsService.toResponse(await this.jobsService.getForViewer(jobId, user), user);
  }

  @Put(':jobId')
  @BodyLimit(BODY_LIMITS.lists)
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({ summary: 'Edit the own job while it is open (only the fields sent change)' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'JOB_NOT_OPEN' })
  async update(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Body() body: UpdateJobDto,
  ): Promise<JobResponseDto> {
    return this.jobsService.toResponse(await this.jobsService.update(jobId, user, body), user);
  }

  @Delete(':jobId')
  @Authenticated({ roles: [Role.Client, Role.Admin, Role.Moderator] })
  @ApiOperation({
    summary:
      'Cancel a job (owner, admin, moderator): its pending invitations are cancelled and quotes declined',
  })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'INVALID_STATUS_TRANSITION' })
  async cancel(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
  ): Promise<JobResponseDto> {
    return this.jobsService.toResponse(await this.jobsService.cancel(jobId, user), user);
  }

  @Post(':jobId/request-completion')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({
    summary:
      'The hired craftsman says the work is done: unless the client completes or a party disputes first, the job completes by itself at autoCompleteAt (AUTO_COMPLETE_AFTER, default 7 days)',
  })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not the hired craftsman' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'JOB_NOT_IN_PROGRESS' })
  async requestCompletion(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
  ): Promise<JobResponseDto> {
    return this.jobsService.toResponse(await this.completion.requestCompletion(jobId, user), user);
  }

  @Patch(':jobId/status')
  @Authenticated()
  @ApiOperation({
    summary:
      'Move a job: hired craftsman hired→on_the_way→in_progress; client in_progress→completed and →cancelled; either →disputed; staff any legal move',
  })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'not a party, or not this party’s move',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'INVALID_STATUS_TRANSITION, PAYMENT_REQUIRED (setting out before the payment is held)',
  })
  async changeStatus(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Body() body: ChangeJobStatusDto,
  ): Promise<JobResponseDto> {
    return this.jobsService.toResponse(
      await this.jobsService.changeStatus(jobId, user, body.status),
      user,
    );
  }
}
