import { randomBytes } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import type { AllConfig } from '../../config/config.js';
import { DataEncryption, EncryptionPurpose } from './data-encryption.service.js';
import { DecryptionFailed, DecryptionFailure } from './envelope.js';
import type { DataKey } from './key-ring.js';

const newKey = (id: string): DataKey => ({ id, key: randomBytes(32) });

function encryptionWith(...keys: DataKey[]): DataEncryption {
  const values: Record<string, unknown> = { encryption: { keys, generated: false } };
  return new DataEncryption({
    get: (name: string) => values[name],
  } as unknown as ConfigService<AllConfig, true>);
}

/** The reason `open` failed with; fails the test when it opened or threw something else. */
function failureOf(open: () => Buffer): DecryptionFailure {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(DecryptionFailed);
    return (error as DecryptionFailed).reason;
  }
  throw new Error('the envelope opened');
}

const DOCUMENT = Buffer.from('%PDF-1.7 National ID card of Karim Adel, 29001011234567');

describe(DataEncryption.name, () => {
  const k1 = newKey('k1');

  it('should open what it sealed', () => {
    const encryption = encryptionWith(k1);

    const sealed = encryption.seal(EncryptionPurpose.VerificationDocument, DOCUMENT);

    expect(encryption.open(EncryptionPurpose.VerificationDocument, sealed)).toEqual(DOCUMENT);
    expect(encryption.isSealed(sealed)).toBe(true);
    expect(encryption.isSealed(DOCUMENT)).toBe(false);
  });

  it('should keep no part of the plaintext in the sealed bytes', () => {
    const encryption = encryptionWith(k1);

    const sealed = encryption.seal(EncryptionPurpose.VerificationDocument, DOCUMENT);

    expect(sealed.includes(Buffer.from('29001011234567'))).toBe(false);
    expect(sealed.includes(Buffer.from('Karim'))).toBe(false);
    expect(sealed.includes(Buffer.from('%PDF'))).toBe(false);
  });

  it('should refuse an envelope with any byte changed, the header, IV, tag or ciphertext', () => {
    const encryption = encryptionWith(k1);
    const sealed = encryption.seal(EncryptionPurpose.DisputeEvidence, DOCUMENT);

    // from the key id's length on: a changed magic or version is not an envelope (another test)
    for (let index = 5; index < sealed.length; index += 1) {
      const tampered = Buffer.from(sealed);
      tampered[index] ^= 0x01;
      expect([
        DecryptionFailure.NotAuthentic,
        DecryptionFailure.UnknownKey,
        DecryptionFailure.NotAnEnvelope,
      ]).toContain(failureOf(() => encryption.open(EncryptionPurpose.DisputeEvidence, tampered)));
    }
    const lastByte = Buffer.from(sealed);
    lastByte[lastByte.length - 1] ^= 0x80;
    expect(failureOf(() => encryption.open(EncryptionPurpose.DisputeEvidence, lastByte))).toBe(
      DecryptionFailure.NotAuthentic,
    );
  });

  it('should refuse to open an envelope for another purpose than it was sealed for', () => {
    const encryption = encryptionWith(k1);
    const sealed = encryption.seal(EncryptionPurpose.VerificationDocument, DOCUMENT);

    expect(failureOf(() => encryption.open(EncryptionPurpose.DisputeEvidence, sealed))).toBe(
      DecryptionFailure.NotAuthentic,
    );
  });

  it('should refuse an envelope sealed with a key the ring does not hold, naming the key', () => {
    const sealed = encryptionWith(newKey('gone')).seal(EncryptionPurpose.DisputeEvidence, DOCUMENT);
    const encryption = encryptionWith(k1);

    expect(failureOf(() => encryption.open(EncryptionPurpose.DisputeEvidence, sealed))).toBe(
      DecryptionFailure.UnknownKey,
    );
    expect(() => encryption.open(EncryptionPurpose.DisputeEvidence, sealed)).toThrow(/"gone"/);
  });

  it('should refuse a key the ring holds under the envelope’s id but with other bytes', () => {
    const sealed = encryptionWith(k1).seal(EncryptionPurpose.DisputeEvidence, DOCUMENT);

    expect(
      failureOf(() => encryptionWith(newKey('k1')).open(EncryptionPurpose.DisputeEvidence, sealed)),
    ).toBe(DecryptionFailure.NotAuthentic);
  });

  describe('after a rotation (a newer key prepended to the ring)', () => {
    const k2 = newKey('k2');

    it('should still open what the older key sealed, and seal new data with the newer key', () => {
      const before = encryptionWith(k1).seal(EncryptionPurpose.VerificationDocument, DOCUMENT);
      const rotated = encryptionWith(k2, k1);

      const after = rotated.seal(EncryptionPurpose.VerificationDocument, DOCUMENT);

      expect(rotated.open(EncryptionPurpose.VerificationDocument, before)).toEqual(DOCUMENT);
      expect(rotated.open(EncryptionPurpose.VerificationDocument, after)).toEqual(DOCUMENT);
      expect(after.subarray(6, 8).toString('ascii')).toBe('k2');
      expect(
        failureOf(() => encryptionWith(k1).open(EncryptionPurpose.VerificationDocument, after)),
      ).toBe(DecryptionFailure.UnknownKey);
    });

    it('should give the blind index of the newer key, and every key’s for lookups', () => {
      const before = encryptionWith(k1).blindIndex(EncryptionPurpose.VerificationDocument, 'A123');
      const rotated = encryptionWith(k2, k1);

      const indexes = rotated.blindIndexes(EncryptionPurpose.VerificationDocument, 'A123');

      expect(rotated.blindIndex(EncryptionPurpose.VerificationDocument, 'A123')).toBe(indexes[0]);
      expect(indexes).toEqual([expect.not.stringMatching(before), before]);
    });
  });

  describe('blindIndex', () => {
    it('should give equal values equal indexes, 64 hex characters, per purpose and per key', () => {
      const encryption = encryptionWith(k1);
      const index = encryption.blindIndex(EncryptionPurpose.VerificationDocument, '29001011234567');

      expect(index).toMatch(/^[0-9a-f]{64}$/);
      expect(encryption.blindIndex(EncryptionPurpose.VerificationDocument, '29001011234567')).toBe(
        index,
      );
      expect(
        encryption.blindIndex(EncryptionPurpose.VerificationDocument, '29001011234568'),
      ).not.toBe(index);
      expect(encryption.blindIndex(EncryptionPurpose.DisputeEvidence, '29001011234567')).not.toBe(
        index,
      );
      expect(
        encryptionWith(newKey('k1')).blindIndex(
          EncryptionPurpose.VerificationDocument,
          '29001011234567',
        ),
      ).not.toBe(index);
    });
  });
});
