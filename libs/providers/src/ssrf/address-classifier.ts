import { BlockList, isIP } from 'node:net';

/** The kinds of address an upstream may not use unless private upstreams are allowed. */
export type ForbiddenAddressRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade-nat'
  | 'link-local'
  | 'multicast'
  | 'reserved'
  | 'not-an-ip';

type Family = 'ipv4' | 'ipv6';
type RangeTable = [ForbiddenAddressRange, Family, string, number][];

// IANA special-purpose registries (RFC 6890 and successors). Ranges that are globally routable
// but only meaningful locally (documentation, benchmarking, 6to4 relays, ...) count as reserved.
const RANGES: RangeTable = [
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['carrier-grade-nat', 'ipv4', '100.64.0.0', 10],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved', 'ipv4', '192.0.0.0', 24],
  ['reserved', 'ipv4', '192.0.2.0', 24],
  ['reserved', 'ipv4', '192.88.99.0', 24],
  ['reserved', 'ipv4', '198.18.0.0', 15],
  ['reserved', 'ipv4', '198.51.100.0', 24],
  ['reserved', 'ipv4', '203.0.113.0', 24],
  ['reserved', 'ipv4', '240.0.0.0', 4],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['private', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['multicast', 'ipv6', 'ff00::', 8],
  ['reserved', 'ipv6', '::', 96],
  ['reserved', 'ipv6', '64:ff9b:1::', 48],
  ['reserved', 'ipv6', '100::', 64],
  ['reserved', 'ipv6', '2001::', 32],
  ['reserved', 'ipv6', '2001:db8::', 32],
  ['reserved', 'ipv6', '3fff::', 20],
  ['reserved', 'ipv6', 'fec0::', 10],
];

const BLOCK_LISTS = buildBlockLists(RANGES);

/**
 * Classifies an IP address for the SSRF guard.
 *
 * @returns the forbidden range `address` lies in, or `null` for a public address. IPv6 forms
 * that embed an IPv4 address (IPv4-mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4
 * `2002::/16`) are judged by the IPv4 address they carry; a string that is not an IP address
 * is `'not-an-ip'`.
 */
export function classifyAddress(address: string): ForbiddenAddressRange | null {
  const bare = address.replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'not-an-ip';
  if (family === 4) return lookupRange(bare, 'ipv4');
  const embedded = embeddedIpv4(ipv6Hextets(bare));

  return embedded === null ? lookupRange(bare, 'ipv6') : lookupRange(embedded, 'ipv4');
}

function lookupRange(address: string, family: Family): ForbiddenAddressRange | null {
  for (const [range, list] of BLOCK_LISTS) {
    if (list.check(address, family)) return range;
  }

  return null;
}

function buildBlockLists(table: RangeTable): [ForbiddenAddressRange, BlockList][] {
  const lists = new Map<ForbiddenAddressRange, BlockList>();
  for (const [range, family, network, prefix] of table) {
    const list = lists.get(range) ?? new BlockList();
    list.addSubnet(network, prefix, family);
    lists.set(range, list);
  }

  return [...lists];
}

/** The IPv4 address carried by an IPv4-mapped, NAT64 or 6to4 IPv6 address, if any. */
function embeddedIpv4(hextets: number[]): string | null {
  const isZero = (from: number, to: number): boolean =>
    hextets.slice(from, to).every((hextet) => hextet === 0);
  if (isZero(0, 5) && hextets[5] === 0xffff) return ipv4Of(hextets[6], hextets[7]);
  if (hextets[0] === 0x64 && hextets[1] === 0xff9b && isZero(2, 6)) {
    return ipv4Of(hextets[6], hextets[7]);
  }
  if (hextets[0] === 0x2002) return ipv4Of(hextets[1], hextets[2]);

  return null;
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Expands a valid IPv6 address (`::` shorthand and a dotted IPv4 tail allowed) to 8 numbers. */
function ipv6Hextets(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const gap = tail === undefined ? [] : Array<string>(8 - headParts.length - tailParts.length);

  return [...headParts, ...gap.fill('0'), ...tailParts].map((part) => parseInt(part, 16));
}
