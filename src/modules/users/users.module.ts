import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AccountStandingService } from './account-standing.service.js';
import { AdminSeeder } from './admin-seeder.js';
import { IdentityMigration } from './migrations/identity.migration.js';
import { PasswordService } from './password.service.js';
import { User, UserSchema } from './schemas/user.schema.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [MongooseModule.forFeature([{ name: User.name, schema: UserSchema }]), CatalogModule],
  controllers: [UsersController],
  providers: [
    UsersService,
    UsersRepository,
    PasswordService,
    AdminSeeder,
    IdentityMigration,
    AccountStandingService,
  ],
  exports: [UsersService, AccountStandingService],
})
export class UsersModule {}
