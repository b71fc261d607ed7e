import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Role } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { PaginationQueryDto } from '../../common/pagination/pagination-query.dto.js';
import { ApiPaginatedResponse } from '../../common/pagination/paginated-response.dto.js';
import type { Paginated } from '../../common/pagination/paginated.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { JobResponseDto } from '../jobs/dto/job-response.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ConfirmQuoteDto } from './dto/confirm-quote.dto.js';
import { CreateQuoteDto } from './dto/create-quote.dto.js';
import { QuoteResponseDto } from './dto/quote-response.dto.js';
import { QuotesService } from './quotes.service.js';

@ApiTags('quotes')
@Controller()
export class QuotesController {
  constructor(
    private readonly quotesService: QuotesService,
    private readonly jobsService: JobsService,
  ) {}

  @Post('jobs/:jobId/quotes')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({ summary: 'Quote an open job (once per job); the first quote moves it to quoted' })
  @ApiCreatedResponse({ type: QuoteResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ALREADY_QUOTED or JOB_NOT_OPEN' })
  async submit(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Body() body: CreateQuoteDto,
  ): Promise<QuoteResponseDto> {
    const [response] = await this.quotesService.toResponses([
      await this.quotesService.submit(user, jobId, body),
    ]);
    return response;
  }

  @Get('jobs/:jobId/quotes')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({ summary: 'The quotes on the own job, newest first' })
  @ApiPaginatedResponse(QuoteResponseDto)
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async listForJob(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Query() query: PaginationQueryDto,
  ): Promise<Paginated<QuoteResponseDto>> {
    const page = await this.quotesService.listForJob(user, jobId, query);
    return { data: await this.quotesService.toResponses(page.data), pagination: page.pagination };
  }

  @Get('quotes/mine')
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({ summary: 'The craftsman’s own quotes, newest first' })
  @ApiPaginatedResponse(QuoteResponseDto)
  async listMine(
    @CurrentUser() user: AuthUser,
    @Query() query: PaginationQueryDto,
  ): Promise<Paginated<QuoteResponseDto>> {
    const page = await this.quotesService.listMine(user, query);
    return { data: await this.quotesService.toResponses(page.data), pagination: page.pagination };
  }

  @Post('jobs/:jobId/quotes/:quoteId/accept')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({
    summary:
      'Hire: the job becomes hired with this craftsman and price; the other quotes are declined',
  })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'JOB_NOT_OPEN, QUOTE_NOT_PENDING, or QUOTE_OUTDATED (the job changed after the quote was made)',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'CRAFTSMAN_SUSPENDED: the quote’s craftsman is banned',
  })
  async accept(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Param('quoteId', ParseObjectIdPipe) quoteId: string,
  ): Promise<JobResponseDto> {
    return this.jobsService.toResponse(await this.quotesService.accept(user, jobId, quoteId), user);
  }

  @Post('jobs/:jobId/quotes/:quoteId/confirm')
  @HttpCode(HttpStatus.OK)
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({
    summary:
      'Confirm the own pending quote for the job as edited (optionally at a new price): it can be accepted again',
  })
  @ApiOkResponse({ type: QuoteResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not the quote’s craftsman' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'JOB_NOT_OPEN or QUOTE_NOT_PENDING' })
  async confirm(
    @CurrentUser() user: AuthUser,
    @Param('jobId', ParseObjectIdPipe) jobId: string,
    @Param('quoteId', ParseObjectIdPipe) quoteId: string,
    @Body() body: ConfirmQuoteDto,
  ): Promise<QuoteResponseDto> {
    const [response] = await this.quotesService.toResponses([
      await this.quotesService.confirm(user, jobId, quoteId, body),
    ]);
    return response;
  }
}
