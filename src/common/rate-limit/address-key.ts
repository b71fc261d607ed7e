import { isIP } from 'node:net';

/** IPv6 groups in `text` (one side of `::`); a dotted IPv4 tail counts as the two it stands for. */
function groupsOf(text: string): string[] {
  if (!text) {
    return [];
  }
  return text.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
}

/**
 * What per-address rate limits count a client address under: an IPv4 address as it is (also when
 * written IPv4-mapped, `::ffff:203.0.113.9`), an IPv6 address by its /64 network, since anyone
 * given one IPv6 address holds the 2^64 of its network and could change address per request.
 */
export function addressKeyOf(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) {
    return mapped[1];
  }
  const address = ip.split('%')[0];
  if (isIP(address) !== 6) {
    return ip;
  }
  const [head, tail] = address.split('::');
  const headGroups = groupsOf(head);
  const tailGroups = groupsOf(tail ?? '');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  const network = groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${network.join(':')}::/64`;
}
