import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LedgerAccountsRepository } from './ledger-accounts.repository.js';
import { LedgerAdminController } from './ledger-admin.controller.js';
import { LedgerEntriesRepository } from './ledger-entries.repository.js';
import { LedgerInvariants } from './ledger-invariants.js';
import { LedgerService } from './ledger.service.js';
import { LedgerSweeper } from './ledger.sweeper.js';
import { LedgerAccountRecord, LedgerAccountSchema } from './schemas/ledger-account.schema.js';
import { LedgerEntry, LedgerEntrySchema } from './schemas/ledger-entry.schema.js';

/** The ledger every money feature posts to (DESIGN.md "Money"). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: LedgerEntry.name, schema: LedgerEntrySchema },
      { name: LedgerAccountRecord.name, schema: LedgerAccountSchema },
    ]),
  ],
  controllers: [LedgerAdminController],
  providers: [
    LedgerService,
    LedgerEntriesRepository,
    LedgerAccountsRepository,
    LedgerInvariants,
    LedgerSweeper,
  ],
  exports: [LedgerService, LedgerEntriesRepository, LedgerInvariants, LedgerSweeper],
})
export class LedgerModule {}
