import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Upload, UploadSchema } from './schemas/upload.schema.js';
import { storageDriverProvider } from './storage/storage-driver.provider.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsRepository } from './uploads.repository.js';
import { UploadsService } from './uploads.service.js';

/**
 * Uploads and where they are kept (API.md "Files"). Features that point at files (profiles,
 * jobs, verification, disputes) import it and go through `UploadsService`.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: Upload.name, schema: UploadSchema }])],
  controllers: [UploadsController],
  providers: [UploadsService, UploadsRepository, storageDriverProvider],
  exports: [UploadsService],
})
export class FilesModule {}
