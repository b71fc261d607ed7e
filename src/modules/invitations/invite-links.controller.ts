import { Body, Controller, Delete, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiGoneResponse,
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
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { AcceptedInvitationResponseDto } from './dto/invitation-response.dto.js';
import { CreateInviteLinkDto, InviteLinkResponseDto } from './dto/invite-link.dto.js';
import { InvitationsService } from './invitations.service.js';
import { InviteLinksService } from './invite-links.service.js';

@ApiTags('invitations')
@Controller()
export class InviteLinksController {
  constructor(
    private readonly inviteLinksService: InviteLinksService,
    private readonly invitationsService: InvitationsService,
  ) {}

  @Post('jobs/:jobId/invite-links')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({
    summary: 'A shareable invite link for the own open job (the token is shown only now)',
  })
  @ApiCreatedResponse({ type: InviteLinkResponseDto })
  async create(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Body() body: CreateInviteLinkDto,
  ): Promise<InviteLinkResponseDto> {
    const { link, token } = await this.inviteLinksService.create(user, jobId, body);
    return this.inviteLinksService.toResponse(link, token);
  }

  @Delete('jobs/:jobId/invite-links/:linkId')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({ summary: 'Revoke an invite link' })
  @ApiOkResponse({ type: InviteLinkResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async revoke(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Param('linkId', ParseObjectIdPipe) linkId: string,
  ): Promise<InviteLinkResponseDto> {
    return this.inviteLinksService.toResponse(
      await this.inviteLinksService.revoke(user, jobId, linkId),
    );
  }

  @Post('invite-links/:token/accept')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({
    summary: 'Join a job through an invite link: an accepted invitation and a conversation',
  })
  @ApiCreatedResponse({ type: AcceptedInvitationResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiGoneResponse({
    type: ErrorResponseDto,
    description: 'INVITE_LINK_EXHAUSTED or INVITE_LINK_EXPIRED',
  })
  async accept(
    @CurrentUser() user: AuthUser,
    @Param('token') token: string,
  ): Promise<AcceptedInvitationResponseDto> {
    const accepted = await this.inviteLinksService.accept(user, token);
    return {
      invitation: await this.invitationsService.toResponse(accepted.invitation),
      conversationId: accepted.conversationId,
    };
  }
}
