import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '../../config/config.js';
import { blindIndexOf, isEnvelope, KeyRing, openEnvelope, sealEnvelope } from './envelope.js';

/**
 * What a sealed value is for. Each purpose has keys of its own (derived from the ring), so an
 * envelope sealed for one never opens as another's, and blind indexes of one purpose match no
 * other's. A value is part of every envelope's key derivation: never rename one.
 */
export enum EncryptionPurpose {
  /** A craftsman's verification documents (API.md "Files": `verification_doc` uploads). */
  VerificationDocument = 'verification_document',
  /** Files attached to a dispute (`dispute_evidence` uploads). */
  DisputeEvidence = 'dispute_evidence',
}

/**
 * Encryption of private data at rest (DESIGN.md "Files and private data") with the key ring of
 * DATA_ENCRYPTION_KEY: AES-256-GCM envelopes (NIST SP 800-38D) under per-purpose keys derived
 * with HKDF-SHA256 (RFC 5869); the layout is in `envelope.ts`. New envelopes use the ring's
 * newest key; any key still in the ring opens what it sealed, so rotating is prepending a key
 * (and removing an old one only once nothing sealed with it is left).
 */
@Injectable()
export class DataEncryption {
  private readonly ring: KeyRing;

  constructor(config: ConfigService<AllConfig, true>) {
    this.ring = new KeyRing(config.get('encryption', { infer: true }).keys);
  }

  /**
   * `plaintext` sealed for `purpose` with the newest key: 34 + key id length bytes longer than
   * it (header, 12-byte IV, 16-byte tag). Two seals of one plaintext differ (random IV).
   */
  seal(purpose: EncryptionPurpose, plaintext: Buffer): Buffer {
    return sealEnvelope(this.ring, purpose, plaintext);
  }

  /**
   * The plaintext of an envelope `seal` made for `purpose`, with the key it names.
   *
   * @throws DecryptionFailed (`reason`: not an envelope, an unsupported version, a key the ring
   *   lacks, or bytes that do not authenticate: tampered with, or sealed for another purpose)
   */
  open(purpose: EncryptionPurpose, sealed: Buffer): Buffer {
    return openEnvelope(this.ring, purpose, sealed);
  }

  /**
   * The blind index of `value` for `purpose` under the newest key: HMAC-SHA256, 64 hex
   * characters, to store beside the sealed value and look it up by equality. Normalise `value`
   * first (e.g. `normalizeEmail`). After a rotation, records indexed earlier carry an older
   * key's index: look them up with `blindIndexes` until they are indexed again.
   */
  blindIndex(purpose: EncryptionPurpose, value: string): string {
    return blindIndexOf(this.ring, this.ring.newest, purpose, value);
  }

  /** `value`'s blind index under every key of the ring, newest first (for `$in` lookups). */
  blindIndexes(purpose: EncryptionPurpose, value: string): string[] {
    return this.ring.keys.map((key) => blindIndexOf(this.ring, key, purpose, value));
  }

  /**
   * Whether `bytes` have a sealed envelope's layout (its magic bytes, version, IV and tag), e.g.
   * to tell a file stored before encryption from one stored after. Not a proof: `open` is. No
   * upload type (JPEG, PNG, GIF, WebP, PDF) starts with the envelope's magic.
   */
  isSealed(bytes: Buffer): boolean {
    return isEnvelope(bytes);
  }
}
