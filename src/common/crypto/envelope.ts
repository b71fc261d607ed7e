import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES, type DataKey, KEY_ID_PATTERN } from './key-ring.js';

/**
 * The first bytes of every sealed envelope of private data at rest (DESIGN.md "Files and private
 * data"). An envelope is AES-256-GCM (NIST SP 800-38D) under a key derived per purpose from a
 * master key of the ring with HKDF-SHA256 (RFC 5869). Its layout, all but the ciphertext in the
 * clear:
 *
 * ```
 * magic "CMEV" (4) | version 0x01 (1) | key id length n (1) | key id (n, ASCII)
 * | IV (12, random) | tag (16) | ciphertext
 * ```
 *
 * The header (magic to key id) is the GCM additional authenticated data: an envelope whose key
 * id was changed fails to open, as does one opened for another purpose (another derived key).
 */
export const ENVELOPE_MAGIC = Buffer.from('CMEV', 'ascii');
export const ENVELOPE_VERSION = 1;
/** 96 bits: the IV length SP 800-38D recommends, used as is (no GHASH of the IV). */
export const IV_BYTES = 12;
/** The full 128-bit tag (SP 800-38D allows shorter ones; nothing here needs them). */
export const TAG_BYTES = 16;
const KEY_BYTES = DATA_KEY_BYTES;
const ALGORITHM = 'aes-256-gcm';
/** Purposes end up in HKDF's `info`: one word, so that no two purposes' infos can collide. */
const PURPOSE_PATTERN = /^[a-z0-9_]{1,64}$/;

/** Why an envelope did not open. */
export enum DecryptionFailure {
  /** Too short, or without the magic bytes. */
  NotAnEnvelope = 'not_an_envelope',
  /** A version this code cannot read. */
  UnsupportedVersion = 'unsupported_version',
  /** Sealed with a key the ring no longer (or never) held. */
  UnknownKey = 'unknown_key',
  /** The tag did not verify: changed bytes, a changed header, or another purpose's envelope. */
  NotAuthentic = 'not_authentic',
}

/** An envelope that cannot be opened; nothing of its plaintext is returned. */
export class DecryptionFailed extends Error {
  constructor(
    readonly reason: DecryptionFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DecryptionFailed';
  }
}

/**
 * A ring of master keys, newest first: the newest seals, any of them opens what it sealed.
 * Keys derived per purpose are computed once per key and purpose.
 */
export class KeyRing {
  private readonly byId: ReadonlyMap<string, DataKey>;
  private readonly derived = new Map<string, Buffer>();

  /** @throws Error when `keys` is empty, or holds a malformed id or a key that is not 32 bytes */
  constructor(readonly keys: readonly DataKey[]) {
    if (keys.length === 0) {
      throw new Error('a key ring needs at least one key');
    }
    for (const { id, key } of keys) {
      if (!KEY_ID_PATTERN.test(id)) {
        throw new Error(`"${id}" is not a key id (1 to 32 of A-Z a-z 0-9 _ -)`);
      }
      if (key.length !== KEY_BYTES) {
        throw new Error(`key "${id}" is ${key.length} bytes, not ${KEY_BYTES}`);
      }
    }
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  /** The key new envelopes are sealed with. */
  get newest(): DataKey {
    return this.keys[0];
  }

  find(id: string): DataKey | undefined {
    return this.byId.get(id);
  }

  /**
   * `key`'s derived key for `use` ('seal' or 'blind-index') of `purpose`: HKDF-SHA256 with no
   * salt (the master key is already uniformly random, RFC 5869 §3.1) and
   * `info = craftsmen/<purpose>/v1` (sealing) or `craftsmen/<purpose>/blind-index/v1`.
   */
  derive(key: DataKey, purpose: string, use: 'seal' | 'blind-index'): Buffer {
    if (!PURPOSE_PATTERN.test(purpose)) {
      throw new Error(`"${purpose}" is not a purpose (lower-case letters, digits, _)`);
    }
    const info = use === 'seal' ? `craftsmen/${purpose}/v1` : `craftsmen/${purpose}/blind-index/v1`;
    const cacheKey = `${key.id}\u0000${info}`;
    let derived = this.derived.get(cacheKey);
    if (!derived) {
      derived = Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), info, KEY_BYTES));
      this.derived.set(cacheKey, derived);
    }
    return derived;
  }
}

/** magic | version | key id length | key id: the part every envelope shows and authenticates. */
function headerOf(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([ENVELOPE_MAGIC, Buffer.from([ENVELOPE_VERSION, id.length]), id]);
}

/**
 * Encrypts `plaintext` for `purpose` with the ring's newest key, under a fresh random 96-bit IV.
 * SP 800-38D §8.3 bounds random IVs to 2^32 encryptions per key: per derived key here, so per
 * master key and purpose; rotate the ring long before that.
 */
export function sealEnvelope(ring: KeyRing, purpose: string, plaintext: Buffer): Buffer {
  const key = ring.newest;
  const header = headerOf(key.id);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, ring.derive(key, purpose, 'seal'), iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(header);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
}

/** The parts of an envelope's bytes, or why they are not one (no key is looked at). */
function parseEnvelope(
  bytes: Buffer,
):
  | { header: Buffer; keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer }
  | DecryptionFailed {
  const idStart = ENVELOPE_MAGIC.length + 2;
  if (bytes.length < idStart || !bytes.subarray(0, ENVELOPE_MAGIC.length).equals(ENVELOPE_MAGIC)) {
    return new DecryptionFailed(DecryptionFailure.NotAnEnvelope, 'Not a sealed envelope');
  }
  const version = bytes[ENVELOPE_MAGIC.length];
  if (version !== ENVELOPE_VERSION) {
    return new DecryptionFailed(
      DecryptionFailure.UnsupportedVersion,
      `Envelope version ${version} is not supported`,
    );
  }
  const idEnd = idStart + bytes[ENVELOPE_MAGIC.length + 1];
  const tagEnd = idEnd + IV_BYTES + TAG_BYTES;
  if (idEnd === idStart || bytes.length < tagEnd) {
    return new DecryptionFailed(DecryptionFailure.NotAnEnvelope, 'Not a sealed envelope');
  }
  return {
    header: bytes.subarray(0, idEnd),
    keyId: bytes.subarray(idStart, idEnd).toString('ascii'),
    iv: bytes.subarray(idEnd, idEnd + IV_BYTES),
    tag: bytes.subarray(idEnd + IV_BYTES, tagEnd),
    ciphertext: bytes.subarray(tagEnd),
  };
}

/** Whether `bytes` have an envelope's layout (magic, version, room for IV and tag); not opened. */
export function isEnvelope(bytes: Buffer): boolean {
  return !(parseEnvelope(bytes) instanceof DecryptionFailed);
}

/**
 * Decrypts an envelope sealed for `purpose` with whichever key of the ring it names.
 *
 * @throws DecryptionFailed when the bytes are not an envelope, name a key the ring lacks, or do
 *   not authenticate (tampered with, or sealed for another purpose)
 */
export function openEnvelope(ring: KeyRing, purpose: string, sealed: Buffer): Buffer {
  const parts = parseEnvelope(sealed);
  if (parts instanceof DecryptionFailed) {
    throw parts;
  }
  const key = ring.find(parts.keyId);
  if (!key) {
    throw new DecryptionFailed(
      DecryptionFailure.UnknownKey,
      `Sealed with key "${parts.keyId}", which is not in the key ring`,
    );
  }
  const decipher = createDecipheriv(ALGORITHM, ring.derive(key, purpose, 'seal'), parts.iv, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAuthTag(parts.tag);
  decipher.setAAD(parts.header);
  try {
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
  } catch {
    throw new DecryptionFailed(
      DecryptionFailure.NotAuthentic,
      `The envelope does not authenticate for purpose "${purpose}"`,
    );
  }
}

/**
 * HMAC-SHA256 of `value` (UTF-8) under `key`'s blind-index key for `purpose`, in hex (64
 * characters): equal values give equal indexes, so a field stored sealed can be looked up by
 * equality without being decrypted, and the index alone tells nothing of the value to whoever
 * lacks the key. Normalise `value` first (one spelling per value).
 */
export function blindIndexOf(ring: KeyRing, key: DataKey, purpose: string, value: string): string {
  return createHmac('sha256', ring.derive(key, purpose, 'blind-index'))
    .update(value, 'utf8')
    .digest('hex');
}
