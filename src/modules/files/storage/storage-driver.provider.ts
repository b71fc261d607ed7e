import { type FactoryProvider, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '../../../config/config.js';
import { StorageDriverName } from '../../../config/files.env.js';
import type { FilesConfig } from '../../../config/files.config.js';
import { CloudinaryStorageDriver } from './cloudinary-storage.driver.js';
import { LocalStorageDriver } from './local-storage.driver.js';
import { S3StorageDriver } from './s3-storage.driver.js';
import { STORAGE_DRIVER, type StorageDriver } from './storage-driver.js';

const logger = new Logger('StorageDriver');

/**
 * The driver `files.driver` names, ready to use: the S3 driver's bucket exists once this
 * resolves (created if it didn't). Logs which driver and where, never a credential.
 *
 * @throws Error when the driver's settings are missing (validation at boot prevents it), or
 *   the S3 store refuses HeadBucket/CreateBucket (e.g. the bucket belongs to another account)
 */
export async function createStorageDriver(
  files: Pick<FilesConfig, 'driver' | 'localDir' | 's3' | 'cloudinary'>,
  log: Pick<Logger, 'log'> = logger,
): Promise<StorageDriver> {
  switch (files.driver) {
    case StorageDriverName.Local: {
      log.log(`Storage: local disk under ${files.localDir}`);
      return new LocalStorageDriver({ directory: files.localDir });
    }
    case StorageDriverName.S3: {
      if (!files.s3) {
        throw new Error('STORAGE_DRIVER=s3 needs S3_BUCKET');
      }
      const driver = new S3StorageDriver(files.s3);
      const created = await driver.ensureBucket();
      log.log(`Storage: S3, ${driver.describe()}${created ? ' (bucket created)' : ''}`);
      return driver;
    }
    case StorageDriverName.Cloudinary: {
      if (!files.cloudinary) {
        throw new Error('STORAGE_DRIVER=cloudinary needs CLOUDINARY_URL');
      }
      const driver = new CloudinaryStorageDriver(files.cloudinary);
      log.log(`Storage: Cloudinary, ${driver.describe()}`);
      return driver;
    }
  }
}

/** Provides `STORAGE_DRIVER`: the driver chosen by `STORAGE_DRIVER` (see `createStorageDriver`). */
export const storageDriverProvider: FactoryProvider<StorageDriver> = {
  provide: STORAGE_DRIVER,
  inject: [ConfigService],
  useFactory: (config: ConfigService<AllConfig, true>) =>
    createStorageDriver(config.get('files', { infer: true })),
};
