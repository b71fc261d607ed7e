import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import { Role, STAFF_ROLES } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { PaginationQueryDto } from '../../common/pagination/pagination-query.dto.js';
import { ApiPaginatedResponse } from '../../common/pagination/paginated-response.dto.js';
import { mapPage, type Paginated } from '../../common/pagination/paginated.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { toDisputeResponse } from './dispute.mapper.js';
import { DisputesService } from './disputes.service.js';
import { AddEvidenceDto } from './dto/add-evidence.dto.js';
import { DisputeResponseDto } from './dto/dispute-response.dto.js';
import { OpenDisputeDto } from './dto/open-dispute.dto.js';

const PARTIES = [Role.Client, Role.Craftsman];

@ApiTags('disputes')
@Controller('disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  @Post()
  @Authenticated({ roles: PARTIES })
  @ApiOperation({
    summary:
      'Dispute a job (hired, on the way, in progress, or completed within DISPUTE_WINDOW): the job becomes disputed, its payment and reviews wait',
  })
  @ApiCreatedResponse({ type: DisputeResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not a party to the job' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'DISPUTE_EXISTS, JOB_NOT_DISPUTABLE or DISPUTE_WINDOW_CLOSED',
  })
  async open(
    @CurrentUser() user: AuthUser,
    @Body() body: OpenDisputeDto,
  ): Promise<DisputeResponseDto> {
    return toDisputeResponse(await this.disputes.open(user, body), false);
  }

  @Get('mine')
  @Authenticated({ roles: PARTIES })
  @ApiOperation({ summary: 'The disputes the user is a party to (either side), newest first' })
  @ApiPaginatedResponse(DisputeResponseDto)
  async listMine(
    @CurrentUser() user: AuthUser,
    @Query() query: PaginationQueryDto,
  ): Promise<Paginated<DisputeResponseDto>> {
    return mapPage(await this.disputes.listMine(user, query), (dispute) =>
      toDisputeResponse(dispute, false),
    );
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'A dispute, for its parties and staff' })
  @ApiOkResponse({ type: DisputeResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<DisputeResponseDto> {
    return toDisputeResponse(
      await this.disputes.getForViewer(id, user),
      STAFF_ROLES.includes(user.role),
    );
  }

  @Post(':id/evidence')
  @Authenticated({ roles: PARTIES })
  @ApiOperation({
    summary:
      'Submit evidence (a statement, messages of the parties’ conversation copied as they read now); the other party has DISPUTE_RESPONSE_WINDOW to answer',
  })
  @ApiCreatedResponse({ type: DisputeResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED: nothing given, or a message not of the parties’ conversation',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'DISPUTE_CLOSED, UPLOAD_IN_USE' })
  async addEvidence(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: AddEvidenceDto,
  ): Promise<DisputeResponseDto> {
    return toDisputeResponse(await this.disputes.addEvidence(id, user, body), false);
  }
}
