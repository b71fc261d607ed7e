import { isIP } from 'node:net';

/**
 * Which peers Fastify believes about the client's address (`X-Forwarded-For`): none (`false`),
 * any (`true`), the nearest `hops` proxies (a number), or the listed proxy addresses and CIDR
 * ranges (Fastify's `trustProxy` forms).
 */
export type TrustProxy = boolean | number | string[];

/** proxy-addr's names for the usual private ranges, which Fastify accepts in the list. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) {
    return true;
  }
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
}

/**
 * Reads TRUST_PROXY: `false`, `true`, a hop count (`1`), or a comma-separated list of proxy
 * addresses and CIDR ranges (`10.0.0.0/8,192.168.1.10`, also `loopback`, `linklocal`,
 * `uniquelocal`). Throws an `Error` saying what is wrong otherwise.
 */
export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim();
  if (value === 'false') {
    return false;
  }
  if (value === 'true') {
    return true;
  }
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (bad.length > 0) {
    throw new Error(
      `expected false, true, a hop count or a comma-separated list of proxy addresses/CIDRs; ` +
        `not an address or range: ${bad.map((entry) => JSON.stringify(entry)).join(', ')}`,
    );
  }
  return entries;
}

/**
 * TRUST_PROXY as Fastify's `trustProxy` option. A hop count becomes a function: this Fastify
 * trusts no one for a bare number, while the nearest `hops` peers is what the setting means
 * (as in Express). It is safe only when the app cannot be reached but through those proxies.
 */
export function toFastifyTrustProxy(
  trustProxy: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy === 'number') {
    return (_address, hop) => hop < trustProxy;
  }
  return trustProxy;
}
