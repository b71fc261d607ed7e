import { addressKeyOf } from './address-key.js';

describe(addressKeyOf.name, () => {
  it('should keep an IPv4 address, also when written IPv4-mapped', () => {
    expect(addressKeyOf('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKeyOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('should count every address of an IPv6 /64 as one', () => {
    const key = '2001:db8:1:2::/64';

    expect(addressKeyOf('2001:db8:1:2::1')).toBe(key);
    expect(addressKeyOf('2001:0db8:0001:0002:ffff:1234:abcd:9')).toBe(key);
    expect(addressKeyOf('2001:DB8:1:2:0:0:0:7')).toBe(key);
    expect(addressKeyOf('2001:db8:1:2::5%eth0')).toBe(key);
    expect(addressKeyOf('2001:db8:1:3::1')).not.toBe(key);
  });

  it('should expand :: wherever it stands', () => {
    expect(addressKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(addressKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKeyOf('2001:db8:1::')).toBe('2001:db8:1:0::/64');
    expect(addressKeyOf('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('should leave what is not an address as it is', () => {
    expect(addressKeyOf('unknown')).toBe('unknown');
  });
});
