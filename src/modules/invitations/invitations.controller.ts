import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
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
import { BulkInviteDto, BulkInviteResponseDto } from './dto/bulk-invite.dto.js';
import { CreateInvitationDto } from './dto/create-invitation.dto.js';
import { InvitationStatusQueryDto, SentInvitationsQueryDto } from './dto/invitation-queries.dto.js';
import {
  AcceptedInvitationResponseDto,
  InvitationPreviewDto,
  InvitationResponseDto,
  InvitationStatsDto,
} from './dto/invitation-response.dto.js';
import {
  RejectInvitationDto,
  RespondByTokenDto,
  RespondInvitationDto,
} from './dto/respond-invitation.dto.js';
import { RespondResultDto } from './dto/respond-result.dto.js';
import type { AcceptedInvitation } from './invitations.service.js';
import { InvitationsService } from './invitations.service.js';
import type { InvitationEntity } from './schemas/invitation.schema.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';
import { checkedIdempotencyKey } from '../../common/http/idempotency-key.js';

const CONFLICTS = 'INVITATION_NOT_PENDING, INVITATION_EXPIRED or JOB_NOT_OPEN';

@ApiTags('invitations')
@Controller()
export class InvitationsController {
  constructor(private readonly invitationsService: InvitationsService) {}

  @Post('jobs/:jobId/invite')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({
    summary: 'Invite one craftsman to the own open job, by craftsmanId, email or phone',
  })
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      'A retry with the same key answers the first invitation instead of ALREADY_INVITED',
  })
  @ApiCreatedResponse({ type: InvitationResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not the job’s owner' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'JOB_NOT_OPEN, ALREADY_INVITED, ALREADY_APPLIED or PREVIOUSLY_REJECTED',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'NOT_A_CRAFTSMAN or CRAFTSMAN_SUSPENDED',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'RATE_LIMITED, per day: per job, per email address, per client for email/phone invitations, ' +
      'and once the client’s email/phone lookups that found no craftsman are spent (before any lookup)',
  })
  async invite(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Body() body: CreateInvitationDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<InvitationResponseDto> {
    const invitation = await this.invitationsService.invite(
      user,
      jobId,
      body,
      checkedIdempotencyKey(idempotencyKey),
    );
    return this.invitationsService.toResponse(invitation);
  }

  @Post('jobs/:jobId/invitations/bulk')
  @BodyLimit(BODY_LIMITS.lists)
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({
    summary:
      'Invite up to 50 craftsmen or emails at once; one result per target, each counted as a ' +
      'single invite (over a limit: skipped, code RATE_LIMITED, retryAfterSeconds)',
  })
  @ApiOkResponse({ type: BulkInviteResponseDto })
  async inviteMany(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Body() body: BulkInviteDto,
  ): Promise<BulkInviteResponseDto> {
    return { results: await this.invitationsService.inviteMany(user, jobId, body) };
  }

  @Get('jobs/:jobId/invitations')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({ summary: 'The invitations of the own job, newest first' })
  @ApiPaginatedResponse(InvitationResponseDto, undefined, CursorPaginationMetaDto)
  async listForJob(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Query() query: InvitationStatusQueryDto,
  ): Promise<CursorPaginated<InvitationResponseDto>> {
    return this.page(
      await this.invitationsService.listForJob(user, jobId, { status: query.status }, query),
    );
  }

  @Get('jobs/:jobId/invitations/stats')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({
    summary: 'How the own job’s invitations went: sent, viewed, answered, quoted, hired',
  })
  @ApiOkResponse({ type: InvitationStatsDto })
  stats(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
  ): Promise<InvitationStatsDto> {
    return this.invitationsService.stats(user, jobId);
  }

  @Post('jobs/:jobId/invitations/respond')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({ summary: 'Accept or reject the own invitation to this job' })
  @ApiOkResponse({ type: RespondResultDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: CONFLICTS })
  async respondForJob(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Body() body: RespondInvitationDto,
  ): Promise<RespondResultDto> {
    return this.result(await this.invitationsService.respondForJob(user, jobId, body));
  }

  @Get('invitations/sent')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({ summary: 'The invitations the client sent, newest first' })
  @ApiPaginatedResponse(InvitationResponseDto, undefined, CursorPaginationMetaDto)
  async listSent(
    @CurrentUser() user: AuthUser,
    @Query() query: SentInvitationsQueryDto,
  ): Promise<CursorPaginated<InvitationResponseDto>> {
    return this.page(
      await this.invitationsService.listSent(
        user,
        { jobId: query.jobId, status: query.status },
        query,
      ),
    );
  }

  @Get('invitations/received')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({ summary: 'The invitations the craftsman received, newest first' })
  @ApiPaginatedResponse(InvitationResponseDto, undefined, CursorPaginationMetaDto)
  async listReceived(
    @CurrentUser() user: AuthUser,
    @Query() query: InvitationStatusQueryDto,
  ): Promise<CursorPaginated<InvitationResponseDto>> {
    return this.page(
      await this.invitationsService.listReceived(user, { status: query.status }, query),
    );
  }

  @Get('invitations/by-token/:token')
  @ApiOperation({
    summary: 'Preview an emailed invitation (public; changes nothing but the first-viewed time)',
  })
  @ApiOkResponse({ type: InvitationPreviewDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  preview(@Param('token') token: string): Promise<InvitationPreviewDto> {
    return this.invitationsService.preview(token);
  }

  @Post('invitations/respond-by-token')
  @BodyLimit(BODY_LIMITS.credentials)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Answer an emailed invitation without signing in (public)' })
  @ApiOkResponse({ type: RespondResultDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: `${CONFLICTS} or REGISTRATION_REQUIRED`,
  })
  async respondByToken(@Body() body: RespondByTokenDto): Promise<RespondResultDto> {
    return this.result(await this.invitationsService.respondByToken(body.token, body));
  }

  @Get('invitations/:id')
  @Authenticated()
  @ApiOperation({
    summary:
      'One invitation (its client, its craftsman, or staff); the craftsman’s first look marks it viewed',
  })
  @ApiOkResponse({ type: InvitationResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<InvitationResponseDto> {
    return this.invitationsService.toResponse(await this.invitationsService.get(user, id));
  }

  @Post('invitations/:id/accept')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({
    summary: 'Accept: the conversation with the client is opened, and the craftsman may quote',
  })
  @ApiOkResponse({ type: AcceptedInvitationResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: CONFLICTS })
  async accept(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<AcceptedInvitationResponseDto> {
    const accepted = await this.invitationsService.accept(user, id);
    return {
      invitation: await this.invitationsService.toResponse(accepted.invitation),
      conversationId: accepted.conversationId,
    };
  }

  @Post('invitations/:id/reject')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({ summary: 'Decline, optionally with a reason and reason code' })
  @ApiOkResponse({ type: InvitationResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'INVITATION_NOT_PENDING or INVITATION_EXPIRED',
  })
  async reject(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: RejectInvitationDto,
  ): Promise<InvitationResponseDto> {
    return this.invitationsService.toResponse(await this.invitationsService.reject(user, id, body));
  }

  @Post('invitations/:id/cancel')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({ summary: 'Withdraw a pending invitation' })
  @ApiOkResponse({ type: InvitationResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'INVITATION_NOT_PENDING or INVITATION_EXPIRED',
  })
  async cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<InvitationResponseDto> {
    return this.invitationsService.toResponse(await this.invitationsService.cancel(user, id));
  }

  @Post('invitations/:id/resend')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({
    summary: 'Send a pending invitation again, at most once a day; the emailed link is renewed',
  })
  @ApiOkResponse({ type: InvitationResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'INVITATION_NOT_PENDING or INVITATION_EXPIRED',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'RATE_LIMITED: resent in the last 24 h, or the client’s daily email/phone invitations are spent',
  })
  async resend(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<InvitationResponseDto> {
    return this.invitationsService.toResponse(await this.invitationsService.resend(user, id));
  }

  private async page(
    page: CursorPaginated<InvitationEntity>,
  ): Promise<CursorPaginated<InvitationResponseDto>> {
    return {
      data: await this.invitationsService.toResponses(page.data),
      pagination: page.pagination,
    };
  }

  private async result(outcome: AcceptedInvitation | InvitationEntity): Promise<RespondResultDto> {
    if ('conversationId' in outcome) {
      return {
        invitation: await this.invitationsService.toResponse(outcome.invitation),
        conversationId: outcome.conversationId,
      };
    }
    return { invitation: await this.invitationsService.toResponse(outcome) };
  }
}
