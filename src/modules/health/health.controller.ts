import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AnswersWithoutDatabase } from '../../database/database-availability.guard.js';
import { HealthResponseDto } from './dto/health-response.dto.js';
import { HealthService } from './health.service.js';

@ApiTags('health')
@AnswersWithoutDatabase()
@Controller('health')
export class HealthController {
  constructor(private readonly healthService: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and database reachability, for load balancers and operators' })
  @ApiOkResponse({ type: HealthResponseDto, description: 'The database answered a ping' })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'The database is down' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponseDto> {
    const health = await this.healthService.check();
    if (health.status !== 'ok') {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    return health;
  }
}
