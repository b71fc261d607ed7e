import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Role } from '../../common/auth/role.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { AllConfig } from '../../config/config.js';
import { UsersService } from './users.service.js';

/** Admins are never self-registered: the first one comes from ADMIN_EMAIL/ADMIN_PASSWORD. */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminSeeder.name);

  constructor(
    private readonly usersService: UsersService,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.usersService.hasUserWithRole(Role.Admin)) {
      return;
    }
    const seed = this.config.get('auth', { infer: true }).seedAdmin;
    if (!seed) {
      this.logger.warn(
        'There is no admin: set ADMIN_EMAIL and ADMIN_PASSWORD to create one at boot',
      );
      return;
    }
    try {
      await this.usersService.register({
        email: seed.email,
        password: seed.password,
        role: Role.Admin,
        firstName: 'Admin',
        lastName: 'Account',
      });
      this.logger.log('Created the first admin (ADMIN_EMAIL)');
    } catch (error) {
      // another instance seeded it first, or the email already belongs to a non-admin
      if (error instanceof DomainError && error.code === ErrorCode.EmailTaken) {
        this.logger.warn('ADMIN_EMAIL already has an account; no admin was created');
        return;
      }
      throw error;
    }
  }
}
