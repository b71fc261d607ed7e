/** One master key of the ring: the id sealed envelopes name, and its 32 bytes. */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

/** AES-256: a master key is exactly this many bytes. */
export const DATA_KEY_BYTES = 32;

/** What a key id may be: it is written into every envelope, after a one-byte length. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Standard base64 (`openssl rand -base64 32`), padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const ENTRY_FORM = '<keyId>:<base64 of 32 bytes> (keyId: 1 to 32 of A-Z a-z 0-9 _ -)';

/**
 * Reads a key ring written as comma-separated `<keyId>:<base64 of 32 bytes>`, newest first
 * (`DATA_ENCRYPTION_KEY`, or the key generated under DATA_DIR). Returns the keys in that order,
 * and one problem per bad entry or repeated id. A problem names the entry by its position or its
 * id, never by the key's text: the variable is a secret.
 */
export function parseKeyRing(text: string): { keys: DataKey[]; problems: string[] } {
  const keys: DataKey[] = [];
  const problems: string[] = [];
  const entries = text.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const parsed = parseEntry(entry, index + 1);
    if (typeof parsed === 'string') {
      problems.push(parsed);
    } else if (keys.some((key) => key.id === parsed.id)) {
      problems.push(`key id "${parsed.id}" is used twice: each key needs an id of its own`);
    } else {
      keys.push(parsed);
    }
  });
  return { keys, problems };
}

/** The key of one entry, or the problem with it (1-based `position`). */
function parseEntry(entry: string, position: number): DataKey | string {
  const colon = entry.indexOf(':');
  const id = colon < 0 ? '' : entry.slice(0, colon);
  if (!KEY_ID_PATTERN.test(id)) {
    return `entry ${position} is not ${ENTRY_FORM}`;
  }
  const encoded = entry.slice(colon + 1);
  if (!BASE64.test(encoded) || encoded.length === 0) {
    return `key "${id}" is not base64`;
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== DATA_KEY_BYTES) {
    return `key "${id}" is ${key.length} bytes, not ${DATA_KEY_BYTES} (e.g. \`openssl rand -base64 32\`)`;
  }
  return { id, key };
}
