import { BlockList, isIP, isIPv4 } from 'node:net';

const IPV4_MAPPED = '::ffff:';

/**
 * CIDR ranges (validated with the configuration) and whether an address falls in one of them; an
 * IPv4 address written as IPv6 (`::ffff:10.0.0.1`) counts as the IPv4 one.
 */
export class AddressRanges {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(cidrs: readonly string[]) {
    this.empty = cidrs.length === 0;
    for (const cidr of cidrs) {
      const [address = '', prefix] = cidr.split('/');
      const type = isIPv4(address) ? 'ipv4' : 'ipv6';
      this.list.addSubnet(address, Number(prefix ?? (type === 'ipv4' ? 32 : 128)), type);
    }
  }

  contains(address: string): boolean {
    const plain = address.startsWith(IPV4_MAPPED) && isIPv4(address.slice(IPV4_MAPPED.length)) ? address.slice(IPV4_MAPPED.length) : address;
    const family = isIP(plain);
    return family !== 0 && this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}
