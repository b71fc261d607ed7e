import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Role } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { RecommendationsQueryDto, RecommendationsResponseDto } from './dto/recommendations.dto.js';
import { RecommendationsService } from './recommendations.service.js';

@ApiTags('users')
@Controller('users')
export class RecommendationsController {
  constructor(private readonly recommendationsService: RecommendationsService) {}

  @Get('recommendations')
  @Authenticated({ roles: [Role.Client] })
  @ApiOperation({
    summary:
      'Whom to invite to the own open job: craftsmen ranked best first, each with the parts of the score',
  })
  @ApiOkResponse({ type: RecommendationsResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'JOB_NOT_OPEN' })
  async recommend(
    @CurrentUser() user: AuthUser,
    @Query() query: RecommendationsQueryDto,
  ): Promise<RecommendationsResponseDto> {
    return { data: await this.recommendationsService.recommend(user, query.jobId, query.limit) };
  }
}
