import { actorOf } from '../../common/events/event-actor.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { Role } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';
import { ApiPaginatedResponse } from '../../common/pagination/paginated-response.dto.js';
import { mapPage, type Paginated } from '../../common/pagination/paginated.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { CreateFaqEntryDto } from './dto/create-faq-entry.dto.js';
import { StaffFaqEntryResponseDto } from './dto/faq-entry-response.dto.js';
import { ListFaqQueryDto } from './dto/list-faq-query.dto.js';
import { UpdateFaqEntryDto } from './dto/update-faq-entry.dto.js';
import { toStaffFaqEntryResponse } from './faq.mapper.js';
import { FaqService } from './faq.service.js';

const STAFF = [Role.Admin, Role.Moderator];

/** `/admin/faq`: staff keep the FAQ; every change is searchable at once. */
@ApiTags('admin')
@Controller('admin/faq')
export class FaqAdminController {
  constructor(private readonly faqService: FaqService) {}

  @Get()
  @Authenticated({ roles: STAFF })
  @ApiOperation({ summary: 'The FAQ entries with their search keywords, by topic' })
  @ApiPaginatedResponse(StaffFaqEntryResponseDto)
  async list(@Query() query: ListFaqQueryDto): Promise<Paginated<StaffFaqEntryResponseDto>> {
    return mapPage(await this.faqService.list(query, query), toStaffFaqEntryResponse);
  }

  @Post()
  @Authenticated({ roles: STAFF })
  // a 4,000-character answer and 30 keywords in 3-byte characters: past `standard`
  @BodyLimit(BODY_LIMITS.lists)
  @ApiOperation({ summary: 'Add an FAQ entry: a topic’s question and answer in one language' })
  @ApiCreatedResponse({ type: StaffFaqEntryResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'FAQ_ENTRY_EXISTS: the topic has an entry in that language',
  })
  async create(
    @CurrentUser() editor: AuthUser,
    @Body() body: CreateFaqEntryDto,
  ): Promise<StaffFaqEntryResponseDto> {
    return toStaffFaqEntryResponse(await this.faqService.create(body, actorOf(editor)));
  }

  @Put(':id')
  @Authenticated({ roles: STAFF })
  @BodyLimit(BODY_LIMITS.lists)
  @ApiOperation({ summary: 'Edit an FAQ entry' })
  @ApiOkResponse({ type: StaffFaqEntryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'FAQ_ENTRY_EXISTS: the new topic has an entry in that language',
  })
  async update(
    @CurrentUser() editor: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: UpdateFaqEntryDto,
  ): Promise<StaffFaqEntryResponseDto> {
    return toStaffFaqEntryResponse(await this.faqService.update(id, body, actorOf(editor)));
  }

  @Delete(':id')
  @Authenticated({ roles: STAFF })
  @ApiOperation({ summary: 'Remove an FAQ entry; answers the removed entry' })
  @ApiOkResponse({ type: StaffFaqEntryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async delete(
    @CurrentUser() editor: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<StaffFaqEntryResponseDto> {
    return toStaffFaqEntryResponse(await this.faqService.delete(id, actorOf(editor)));
  }
}
