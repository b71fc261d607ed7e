import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { Role } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { UserHistoryQueryDto, UserHistoryResponseDto } from './dto/user-history.dto.js';
import { UserHistoryService } from './user-history.service.js';

/** A user's timeline for support (API.md "Operations"): admins and moderators. */
@ApiTags('admin')
@Controller('admin/users')
export class UserHistoryController {
  constructor(private readonly userHistory: UserHistoryService) {}

  @Get(':userId/history')
  @Authenticated({ roles: [Role.Admin, Role.Moderator] })
  @ApiOperation({
    summary:
      'One timeline of a user’s jobs, quotes, invitations, reviews, disputes, money and moderation, newest first, by cursor',
  })
  @ApiOkResponse({ type: UserHistoryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async history(
    @Param('userId', ParseObjectIdPipe) userId: string,
    @Query() query: UserHistoryQueryDto,
  ): Promise<UserHistoryResponseDto> {
    return this.userHistory.historyOf(userId, query);
  }
}
