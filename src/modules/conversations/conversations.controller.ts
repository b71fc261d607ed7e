import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { CursorPaginationQueryDto } from '../../common/pagination/pagination-query.dto.js';
import {
  ApiPaginatedResponse,
  CursorPaginationMetaDto,
} from '../../common/pagination/paginated-response.dto.js';
import type { CursorPaginated } from '../../common/pagination/paginated.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { ConversationsService } from './conversations.service.js';
import { ConversationResponseDto, MessageResponseDto } from './dto/conversation-response.dto.js';
import { SendMessageDto } from './dto/send-message.dto.js';

@ApiTags('conversations')
@Controller('conversations')
export class ConversationsController {
  constructor(private readonly conversationsService: ConversationsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary:
      'The own conversations, most recent activity first; `?after=<nextCursor>` continues without repeats (a conversation active meanwhile moves to the head, see message.created)',
  })
  @ApiPaginatedResponse(ConversationResponseDto, undefined, CursorPaginationMetaDto)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: CursorPaginationQueryDto,
  ): Promise<CursorPaginated<ConversationResponseDto>> {
    const page = await this.conversationsService.listForUser(user, query);
    return {
      data: await this.conversationsService.toResponses(page.data),
      pagination: page.pagination,
    };
  }

  @Get(':id/messages')
  @Authenticated()
  @ApiOperation({
    summary:
      'A conversation’s messages, newest first (participants only); page back with `?after=<nextCursor>`',
  })
  @ApiPaginatedResponse(MessageResponseDto, undefined, CursorPaginationMetaDto)
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  listMessages(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: CursorPaginationQueryDto,
  ): Promise<CursorPaginated<MessageResponseDto>> {
    return this.conversationsService.listMessages(user, id, query);
  }

  @Post(':id/messages')
  @Authenticated()
  @ApiOperation({
    summary: 'Send a message (participants only); the other side gets message.created live',
  })
  @ApiCreatedResponse({ type: MessageResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  send(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: SendMessageDto,
  ): Promise<MessageResponseDto> {
    return this.conversationsService.send(user, id, body.text);
  }
}
