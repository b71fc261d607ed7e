import { parseTrustProxy, toFastifyTrustProxy } from './trust-proxy.js';

describe(parseTrustProxy.name, () => {
  it('should read booleans, a hop count and a list of addresses and ranges', () => {
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.5, 10.1.0.0/16,fd00::/8,loopback')).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('should refuse what is neither, naming the bad entries', () => {
    expect(() => parseTrustProxy('10.0.0.5,proxy.internal')).toThrow(/"proxy.internal"/);
    expect(() => parseTrustProxy('10.0.0.0/40')).toThrow(/"10.0.0.0\/40"/);
    expect(() => parseTrustProxy('yes')).toThrow(/hop count/);
  });
});

describe(toFastifyTrustProxy.name, () => {
  it('should trust the nearest N peers for a hop count', () => {
    const trust = toFastifyTrustProxy(1) as (address: string, hop: number) => boolean;

    expect(trust('127.0.0.1', 0)).toBe(true);
    expect(trust('203.0.113.9', 1)).toBe(false);
  });

  it('should pass the other forms through', () => {
    expect(toFastifyTrustProxy(false)).toBe(false);
    expect(toFastifyTrustProxy(['10.0.0.5'])).toEqual(['10.0.0.5']);
  });
});
