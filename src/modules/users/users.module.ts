import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from '../catalog/catalog.module.js';
import { FilesModule } from '../files/files.module.js';
import { AccountDeletionsRepository } from './account-deletions.repository.js';
import { AccountStandingService } from './account-standing.service.js';
import { AdminSeeder } from './admin-seeder.js';
import { IdentityMigration } from './migrations/identity.migration.js';
import { PasswordService } from './password.service.js';
import { User, UserSchema } from './schemas/user.schema.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { ProfileFilesService } from './profile-files.service.js';
import { UsersService } from './users.service.js';
import { UserDeletionService } from './user-deletion.service.js';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: User.name, schema: UserSchema }]),
    CatalogModule,
    FilesModule,
  ],
  controllers: [UsersController],
  providers: [
    ProfileFilesService,
    UsersService,
    UsersRepository,
    AccountDeletionsRepository,
    PasswordService,
    AdminSeeder,
    IdentityMigration,
    AccountStandingService,
    UserDeletionService,
  ],
  exports: [UsersService, AccountStandingService, UserDeletionService],
})
export class UsersModule {}
