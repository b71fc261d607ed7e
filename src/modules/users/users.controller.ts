import { Body, Controller, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnsupportedMediaTypeResponse,
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
import { MultipartUpload } from '../../common/http/multipart.js';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service.js';
import type { AllConfig } from '../../config/config.js';
import type { FilesConfig } from '../../config/files.config.js';
import { readUploadForm } from '../files/upload-form.js';
import { UploadsService } from '../files/uploads.service.js';
import { ProfileFilesService } from './profile-files.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  private readonly files: FilesConfig;

  constructor(
    private readonly usersService: UsersService,
    private readonly profileFiles: ProfileFilesService,
    private readonly rateLimits: RateLimitService,
    private readonly uploads: UploadsService,
    config: ConfigService<AllConfig, true>,
  ) {
    this.files = config.get('files', { infer: true });
  }

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

  @Put('me/profile-picture')
  @Authenticated()
  @MultipartUpload()
  @ApiOperation({
    summary:
      'Replace the own profile picture (multipart `file`: JPEG/PNG/GIF/WebP ≤ UPLOAD_MAX_BYTES): cropped to 400×400, metadata stripped; the old picture is deleted',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiPayloadTooLargeResponse({
    type: ErrorResponseDto,
    description: 'FILE_TOO_LARGE, IMAGE_TOO_LARGE',
  })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'not an image' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async replaceProfilePicture(
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
  ): Promise<UserResponseDto> {
    await this.rateLimits.consume(
      'uploads-user',
      this.files.uploadsPerUser,
      user.id,
      'Too many uploads, try again later',
    );
    const updated = await this.uploads.receive(
      user.id,
      () =>
        readUploadForm(request, {
          maxBytes: this.files.maxBytes,
          fields: [],
          deadlineMs: this.files.readTimeoutMs,
        }),
      (form) => this.profileFiles.replaceProfilePicture(user.id, form.file),
    );
    return UserResponseDto.from(updated);
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
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'an unknown upload' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'someone else’s upload' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'ALREADY_VERIFIED, UPLOAD_IN_USE',
  })
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
