import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { WalletModule } from '../money/wallet/wallet.module.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';
import { RollupRebuildService } from './rollup-rebuild.service.js';
import { RollupSourcesRepository } from './rollup-sources.repository.js';
import { RollupListener } from './rollup.listener.js';
import { RollupsRepository } from './rollups.repository.js';
import { DailyRollup, DailyRollupSchema } from './schemas/daily-rollup.schema.js';

/**
 * Reports for operators (API.md "Operations"): daily rollups kept from domain events, a rebuild
 * from the source collections, and the overview read from the rollups (JSON or CSV).
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: DailyRollup.name, schema: DailyRollupSchema }]),
    JobsModule,
    InvitationsModule,
    WalletModule,
  ],
  controllers: [ReportsController],
  providers: [
    ReportsService,
    RollupRebuildService,
    RollupsRepository,
    RollupSourcesRepository,
    RollupListener,
  ],
  exports: [ReportsService, RollupRebuildService],
})
export class ReportsModule {}
