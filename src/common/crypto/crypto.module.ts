import { Global, Module } from '@nestjs/common';
import { DataEncryption } from './data-encryption.service.js';

/** Encryption of private data at rest (`DataEncryption`), for every module. */
@Global()
@Module({
  providers: [DataEncryption],
  exports: [DataEncryption],
})
export class CryptoModule {}
