import { Module } from '@nestjs/common';
import { DatabaseEngineModule } from '../../database/database.module.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';

@Module({
  imports: [DatabaseEngineModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
