import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
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
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { BrowseUsersQueryDto } from './dto/browse-users-query.dto.js';
import { CraftsmanListItemDto, PublicUserResponseDto } from './dto/public-user-response.dto.js';
import { SubmitVerificationDto } from './dto/submit-verification.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserResponseDto } from './dto/user-response.dto.js';
import { UsersService } from './users.service.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in user’s own account' })
  @ApiOkResponse({ type: UserResponseDto })
  async getMe(@CurrentUser() user: AuthUser): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.usersService.getById(user.id));
  }

  @Put('me')
  @BodyLimit(BODY_LIMITS.profile)
  @Authenticated()
  @ApiOperation({
    summary: 'Edit the own profile (only the fields sent change; craftsmanInfo for craftsmen)',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'PHONE_TAKEN' })
  async updateMe(
    @CurrentUser() user: AuthUser,
    @Body() body: UpdateProfileDto,
  ): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.usersService.updateProfile(user.id, body));
  }

  @Get()
  @Authenticated()
  @ApiOperation({
    summary:
      'Browse and typeahead-search craftsmen by skill, name prefix and distance (nearest first)',
  })
  @ApiPaginatedResponse(CraftsmanListItemDto)
  async browse(@Query() query: BrowseUsersQueryDto): Promise<Paginated<CraftsmanListItemDto>> {
    const page = await this.usersService.browseCraftsmen(query);
    return mapPage(page, ({ user, distanceKm }) => ({
      ...PublicUserResponseDto.from(user),
      distanceKm,
    }));
  }

  @Post('craftsman/verification')
  @BodyLimit(BODY_LIMITS.lists)
  @Authenticated({ roles: [Role.Craftsman] })
  @ApiOperation({
    summary: 'Submit identity and trade documents for verification (status → pending)',
  })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ALREADY_VERIFIED' })
  async submitVerification(
    @CurrentUser() user: AuthUser,
    @Body() body: SubmitVerificationDto,
  ): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.usersService.submitVerification(user.id, body.docs));
  }

  @Get(':userId')
  @Authenticated()
  @ApiOperation({ summary: 'A user’s public profile (no email, phone, address or location)' })
  @ApiOkResponse({ type: PublicUserResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async getPublicProfile(
    @Param('userId', ParseObjectIdPipe) userId: string,
  ): Promise<PublicUserResponseDto> {
    return PublicUserResponseDto.from(await this.usersService.getById(userId));
  }
}
