import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { isDuplicateKeyError } from '../../../common/database/duplicate-key.js';
import { type PhoneRegion, toE164 } from '../../../common/identity/phone.js';
import type { AllConfig } from '../../../config/config.js';
import { UsersRepository } from '../users.repository.js';

const BATCH = 500;

/** What one run did; every count is of accounts. */
export interface IdentityMigrationReport {
  converted: number;
  /** Phones that are no valid number: left as they are. */
  unparsable: number;
  /** Phones whose E.164 form another account already holds: left unconverted. */
  collisions: number;
  /** Converted by another instance meanwhile. */
  skipped: number;
  staffVerified: number;
}

/**
 * Brings accounts stored before phones were E.164 and emails were verified up to date, at every
 * start-up. Safe to run again (what is converted is no longer found) and on several instances at
 * once (each rewrite is conditional on the old value: one instance wins, the other skips).
 *
 * Two accounts whose phones become one number: the first one converted keeps it, in id (creation)
 * order, and an account already in E.164 is never touched; the later one keeps its old spelling,
 * which no sign-in or invitation matches any more, and is logged (by id) for staff to sort out.
 * Taking a number from an account that signs in with it, or picking an owner silently, would be
 * worse than leaving one record for a person to decide.
 */
@Injectable()
export class IdentityMigration implements OnApplicationBootstrap {
  private readonly logger = new Logger(IdentityMigration.name);
  private readonly region: PhoneRegion;

  constructor(
    private readonly usersRepository: UsersRepository,
    config: ConfigService<AllConfig, true>,
  ) {
    this.region = config.get('auth', { infer: true }).phoneDefaultRegion;
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.run();
    } catch (error) {
      // the service works without it (old spellings just don't match): the next boot retries
      this.logger.error(`Identity migration stopped: ${String(error)}`);
    }
  }

  async run(): Promise<IdentityMigrationReport> {
    const report = { converted: 0, unparsable: 0, collisions: 0, skipped: 0, staffVerified: 0 };
    report.staffVerified = await this.usersRepository.markLegacyStaffVerified();
    let after: string | null = null;
    for (;;) {
      const batch = await this.usersRepository.findLegacyPhones(after, BATCH);
      for (const user of batch) {
        const outcome = await this.convertPhone(user.id, user.phone);
        report[outcome] += 1;
      }
      if (batch.length < BATCH) {
        break;
      }
      after = batch[batch.length - 1].id;
    }
    if (report.converted + report.staffVerified > 0) {
      this.logger.log(
        `Identity migration: ${report.converted} phone(s) converted to E.164, ` +
          `${report.staffVerified} staff email(s) marked verified`,
      );
    }
    return report;
  }

  private async convertPhone(
    id: string,
    phone: string,
  ): Promise<'converted' | 'unparsable' | 'collisions' | 'skipped'> {
    const e164 = toE164(phone, this.region);
    if (!e164) {
      // by id only: phone numbers never go to the logs
      this.logger.warn(`User ${id}: the stored phone is no valid number; left as it is`);
      return 'unparsable';
    }
    try {
      return (await this.usersRepository.replacePhone(id, phone, e164)) ? 'converted' : 'skipped';
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        throw error;
      }
      const holder = await this.usersRepository.findIdByPhone(e164);
      this.logger.warn(
        `User ${id}: the stored phone is the same number as user ${holder ?? '(unknown)'}'s; ` +
          'left unconverted (it matches no sign-in or invitation) for staff to resolve',
      );
      return 'collisions';
    }
  }
}
