import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
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
import { ApiPaginatedResponse } from '../../common/pagination/paginated-response.dto.js';
import { mapPage, type Paginated } from '../../common/pagination/paginated.js';
import { PaginationQueryDto } from '../../common/pagination/pagination-query.dto.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { CreateReviewDto } from './dto/create-review.dto.js';
import { RespondReviewDto } from './dto/respond-review.dto.js';
import { ReviewResponseDto } from './dto/review-response.dto.js';
import { UpdateReviewDto } from './dto/update-review.dto.js';
import { toReviewResponse } from './review.mapper.js';
import { ReviewsService } from './reviews.service.js';

@ApiTags('reviews')
@Controller()
export class ReviewsController {
  constructor(private readonly reviewsService: ReviewsService) {}

  @Post('reviews')
  @Authenticated({ roles: [Role.Client, Role.Craftsman] })
  @ApiOperation({
    summary:
      'Review a completed job as its client or hired craftsman (once, within REVIEW_WINDOW): hidden until both sides reviewed or revealAt',
  })
  @ApiCreatedResponse({ type: ReviewResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not a party of the job' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'JOB_NOT_COMPLETED, REVIEW_WINDOW_CLOSED or ALREADY_REVIEWED',
  })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateReviewDto,
  ): Promise<ReviewResponseDto> {
    return toReviewResponse(await this.reviewsService.submit(user, body), user);
  }

  @Put('reviews/:id')
  @Authenticated({ roles: [Role.Client, Role.Craftsman] })
  @ApiOperation({ summary: 'Edit the own review while it is hidden' })
  @ApiOkResponse({ type: ReviewResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not the author' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'REVIEW_PUBLISHED' })
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: UpdateReviewDto,
  ): Promise<ReviewResponseDto> {
    return toReviewResponse(await this.reviewsService.edit(user, id, body), user);
  }

  @Post('reviews/:id/response')
  @Authenticated({ roles: [Role.Client, Role.Craftsman] })
  @ApiOperation({ summary: 'Answer a published review about oneself, once' })
  @ApiCreatedResponse({ type: ReviewResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not the reviewee' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'REVIEW_NOT_PUBLISHED or ALREADY_RESPONDED',
  })
  async respond(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: RespondReviewDto,
  ): Promise<ReviewResponseDto> {
    return toReviewResponse(await this.reviewsService.respond(user, id, body.text), user);
  }

  @Get('users/:userId/reviews')
  @Authenticated()
  @ApiOperation({ summary: 'Published reviews about a user, newest first' })
  @ApiPaginatedResponse(ReviewResponseDto)
  async listAbout(
    @CurrentUser() user: AuthUser,
    @Param('userId', ParseObjectIdPipe) userId: string,
    @Query() query: PaginationQueryDto,
  ): Promise<Paginated<ReviewResponseDto>> {
    return mapPage(await this.reviewsService.listAbout(userId, query), (review) =>
      toReviewResponse(review, user),
    );
  }

  @Get('jobs/:jobId/reviews')
  @Authenticated()
  @ApiOperation({
    summary:
      'A job’s reviews: its parties see their own and the published ones, staff all; newest first',
  })
  @ApiPaginatedResponse(ReviewResponseDto)
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not a party nor staff' })
  async listForJob(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Query() query: PaginationQueryDto,
  ): Promise<Paginated<ReviewResponseDto>> {
    return mapPage(await this.reviewsService.listForJob(user, jobId, query), (review) =>
      toReviewResponse(review, user),
    );
  }
}
