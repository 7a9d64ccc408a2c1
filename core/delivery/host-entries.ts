import { BlockList, isIP, isIPv4 } from 'node:net';

/** Host names as policies compare them: lower case, no trailing dot, no IPv6 brackets. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

export interface HostEntries {
  names: Set<string>;
  /** `*.example.com` → `.example.com` */
  suffixes: string[];
  addresses: BlockList;
}

/**
 * Parses allow/deny entries: a host name (`hooks.example.com`), every subdomain of one (`*.example.com`), an
 * IP address (`10.0.0.5`, `::1`) or a CIDR range (`10.0.0.0/8`, `fd00::/8`). Throws on an unusable entry.
 */
export function parseHostEntries(entries: readonly string[]): HostEntries {
  const parsed: HostEntries = { names: new Set(), suffixes: [], addresses: new BlockList() };
  for (const raw of entries) {
    const entry = normaliseHost(raw);
    const [network = '', prefix] = entry.split('/');
    if (prefix !== undefined) {
      const bits = Number(prefix);
      const family = isIPv4(network) ? 'ipv4' : 'ipv6';
      if (!isIP(network) || !Number.isInteger(bits) || bits < 0 || bits > (family === 'ipv4' ? 32 : 128)) throw new Error(`"${raw}" is not a CIDR range`);
      parsed.addresses.addSubnet(network, bits, family);
    } else if (isIP(entry)) {
      parsed.addresses.addAddress(entry, isIPv4(entry) ? 'ipv4' : 'ipv6');
    } else if (entry.startsWith('*.') && entry.length > 2) {
      parsed.suffixes.push(entry.slice(1));
    } else if (/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(entry)) {
      parsed.names.add(entry);
    } else {
      throw new Error(`"${raw}" is not a host name, *.domain, IP address or CIDR range`);
    }
  }
  return parsed;
}

export function matchesName(entries: HostEntries, host: string): boolean {
  const name = normaliseHost(host);
  return entries.names.has(name) || entries.suffixes.some((suffix) => name.endsWith(suffix));
}

export function matchesAddress(entries: HostEntries, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && entries.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
