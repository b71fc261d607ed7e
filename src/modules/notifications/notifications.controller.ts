import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import {
  ApiPaginatedResponse,
  CursorPaginationMetaDto,
} from '../../common/pagination/paginated-response.dto.js';
import type { CursorPaginated } from '../../common/pagination/paginated.js';
import {
  ChannelPreferencesDto,
  DeviceResponseDto,
  ListNotificationsQueryDto,
  MarkReadDto,
  RegisterDeviceDto,
} from './dto/notification-requests.dto.js';
import {
  MarkReadResultDto,
  NotificationResponseDto,
  UnreadCountDto,
} from './dto/notification-response.dto.js';
import { NotificationsService } from './notifications.service.js';
import type { ChannelPreferences } from './schemas/notification-preferences.schema.js';
import { NOTIFICATION_TYPES } from './templates/notification-templates.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';

const PREFERENCES_SCHEMA = {
  type: 'object',
  description: `Keyed by event type: ${NOTIFICATION_TYPES.join(', ')}`,
  additionalProperties: { $ref: getSchemaPath(ChannelPreferencesDto) },
};

@ApiTags('notifications')
@ApiExtraModels(ChannelPreferencesDto)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notificationsService: NotificationsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary:
      'The own notifications, newest first, with the state of their push and email copies; `?after=<nextCursor>` continues without repeats',
  })
  @ApiPaginatedResponse(NotificationResponseDto, undefined, CursorPaginationMetaDto)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<CursorPaginated<NotificationResponseDto>> {
    return this.notificationsService.list(user.id, query.unread === true, query);
  }

  @Get('unread-count')
  @Authenticated()
  @ApiOperation({ summary: 'How many of the own notifications are unread' })
  @ApiOkResponse({ type: UnreadCountDto })
  async unreadCount(@CurrentUser() user: AuthUser): Promise<UnreadCountDto> {
    return { count: await this.notificationsService.unreadCount(user.id) };
  }

  @Post('mark-read')
  @BodyLimit(BODY_LIMITS.lists)
  @HttpCode(HttpStatus.OK)
  @Authenticated()
  @ApiOperation({ summary: 'Mark the own notifications read: `ids`, or `all: true`' })
  @ApiOkResponse({ type: MarkReadResultDto })
  async markRead(
    @CurrentUser() user: AuthUser,
    @Body() body: MarkReadDto,
  ): Promise<MarkReadResultDto> {
    return { updated: await this.notificationsService.markRead(user.id, body) };
  }

  @Post('devices')
  @Authenticated()
  @ApiOperation({ summary: 'Register this device’s FCM token for push notifications' })
  @ApiCreatedResponse({ type: DeviceResponseDto })
  async registerDevice(
    @CurrentUser() user: AuthUser,
    @Body() body: RegisterDeviceDto,
  ): Promise<DeviceResponseDto> {
    const device = await this.notificationsService.registerDevice(
      user.id,
      body.token,
      body.platform,
    );
    return { token: device.token, platform: device.platform, createdAt: device.createdAt };
  }

  @Delete('devices/:token')
  @Authenticated()
  @ApiOperation({ summary: 'Forget a device token (sign-out on that device)' })
  @ApiOkResponse({ type: MarkReadResultDto, description: '`{updated: 1}`' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async removeDevice(
    @CurrentUser() user: AuthUser,
    @Param('token') token: string,
  ): Promise<MarkReadResultDto> {
    await this.notificationsService.removeDevice(user.id, token);
    return { updated: 1 };
  }

  @Get('preferences')
  @Authenticated()
  @ApiOperation({ summary: 'Which channels each event type uses (default: all on)' })
  @ApiOkResponse({ schema: PREFERENCES_SCHEMA })
  getPreferences(@CurrentUser() user: AuthUser): Promise<Record<string, ChannelPreferences>> {
    return this.notificationsService.getPreferences(user.id);
  }

  @Put('preferences')
  @Authenticated()
  @ApiOperation({ summary: 'Set the channels of some event types; the others keep theirs' })
  @ApiBody({ schema: PREFERENCES_SCHEMA })
  @ApiOkResponse({ schema: PREFERENCES_SCHEMA })
  setPreferences(
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
  ): Promise<Record<string, ChannelPreferences>> {
    return this.notificationsService.setPreferences(user.id, body);
  }
}
