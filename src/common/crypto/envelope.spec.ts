import { randomBytes } from 'node:crypto';
import {
  DecryptionFailed,
  DecryptionFailure,
  ENVELOPE_MAGIC,
  IV_BYTES,
  isEnvelope,
  KeyRing,
  openEnvelope,
  sealEnvelope,
  TAG_BYTES,
} from './envelope.js';

const ringOf = (...ids: string[]) => new KeyRing(ids.map((id) => ({ id, key: randomBytes(32) })));

/** The DecryptionFailed `open` throws, or an Error saying it opened. */
function failureOf(open: () => Buffer): DecryptionFailed {
  try {
    open();
  } catch (error) {
    if (error instanceof DecryptionFailed) {
      return error;
    }
    throw error;
  }
  throw new Error('the envelope opened');
}

describe(sealEnvelope.name, () => {
  it('should write magic, version 1, the key id, a 12-byte IV and a 16-byte tag before the ciphertext', () => {
    const plaintext = Buffer.from('national id 29001011234567');

    const sealed = sealEnvelope(ringOf('k-2026'), 'verification_document', plaintext);

    expect(sealed.subarray(0, 4)).toEqual(ENVELOPE_MAGIC);
    expect(sealed[4]).toBe(1);
    expect(sealed[5]).toBe('k-2026'.length);
    expect(sealed.subarray(6, 12).toString('ascii')).toBe('k-2026');
    expect(sealed).toHaveLength(12 + IV_BYTES + TAG_BYTES + plaintext.length);
  });

  it('should use a fresh IV each time', () => {
    const ring = ringOf('k1');
    const plaintext = Buffer.from('same bytes');

    const first = sealEnvelope(ring, 'dispute_evidence', plaintext);
    const second = sealEnvelope(ring, 'dispute_evidence', plaintext);

    expect(first.subarray(8, 8 + IV_BYTES)).not.toEqual(second.subarray(8, 8 + IV_BYTES));
    expect(first).not.toEqual(second);
  });

  it('should refuse a purpose that is not one lower-case word', () => {
    expect(() => sealEnvelope(ringOf('k1'), 'a/b', Buffer.from('x'))).toThrow(/not a purpose/);
  });
});

describe(openEnvelope.name, () => {
  it('should fail authentication when the header is changed, even to an id of the same key (the header is AAD)', () => {
    // one key under two ids: only the header tells them apart
    const key = randomBytes(32);
    const ring = new KeyRing([
      { id: 'k1', key },
      { id: 'k2', key },
    ]);
    const sealed = sealEnvelope(ring, 'dispute_evidence', Buffer.from('evidence'));
    const swapped = Buffer.from(sealed);
    swapped.write('k2', 6, 'ascii');

    expect(openEnvelope(ring, 'dispute_evidence', sealed).toString()).toBe('evidence');
    expect(failureOf(() => openEnvelope(ring, 'dispute_evidence', swapped)).reason).toBe(
      DecryptionFailure.NotAuthentic,
    );
  });

  it('should tell bytes that are no envelope, and a version it cannot read', () => {
    const ring = ringOf('k1');
    const sealed = sealEnvelope(ring, 'dispute_evidence', Buffer.from('x'));
    const future = Buffer.from(sealed);
    future[4] = 2;

    expect(
      failureOf(() => openEnvelope(ring, 'dispute_evidence', Buffer.from('%PDF-1.7'))).reason,
    ).toBe(DecryptionFailure.NotAnEnvelope);
    expect(
      failureOf(() => openEnvelope(ring, 'dispute_evidence', sealed.subarray(0, 20))).reason,
    ).toBe(DecryptionFailure.NotAnEnvelope);
    expect(failureOf(() => openEnvelope(ring, 'dispute_evidence', future)).reason).toBe(
      DecryptionFailure.UnsupportedVersion,
    );
  });

  it('should open an empty plaintext', () => {
    const ring = ringOf('k1');

    expect(
      openEnvelope(
        ring,
        'dispute_evidence',
        sealEnvelope(ring, 'dispute_evidence', Buffer.alloc(0)),
      ),
    ).toEqual(Buffer.alloc(0));
  });
});

describe(isEnvelope.name, () => {
  it('should tell an envelope from the files people upload', () => {
    const sealed = sealEnvelope(ringOf('k1'), 'verification_document', Buffer.from('%PDF-1.7'));

    expect(isEnvelope(sealed)).toBe(true);
    expect(isEnvelope(Buffer.from('%PDF-1.7\n...'))).toBe(false);
    expect(isEnvelope(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(false);
    expect(isEnvelope(Buffer.alloc(0))).toBe(false);
  });
});
