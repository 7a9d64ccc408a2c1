import { describe, expect, it } from 'vitest';
import { hostPolicy, refusalFor } from '../../../core/delivery';

/** Decisions only: no connection is made by this file. */
const byDefault = hostPolicy({});

const REFUSED: Array<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['0.0.0.0', 'this network'],
  ['224.0.0.1', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['198.18.0.1', 'benchmarking'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'link-local'],
  ['fd00::1', 'unique local'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['64:ff9b::a00:1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['2002:a00:1::1', 'private'],
];

const PUBLIC = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '64:ff9b::808:808'];

describe('destination host policy decisions', () => {
  for (const [address, kind] of REFUSED) {
    it(`refuses ${address} (${kind}) by default`, () => {
      expect(refusalFor(byDefault, 'receiver.example', [address])).toMatch(new RegExp(kind, 'i'));
    });
  }

  it('lets public addresses through by default', () => {
    for (const address of PUBLIC) expect(refusalFor(byDefault, 'receiver.example', [address])).toBeUndefined();
  });

  it('refuses a name when any one of its addresses is special', () => {
    expect(refusalFor(byDefault, 'mixed.example', ['8.8.8.8', '10.0.0.1'])).toMatch(/10\.0\.0\.1, a private address/);
  });

  it('allows by address, by CIDR, by name and by *.domain; deny wins over every allow', () => {
    expect(refusalFor(hostPolicy({ allow: ['127.0.0.1'] }), 'x', ['127.0.0.1'])).toBeUndefined();
    expect(refusalFor(hostPolicy({ allow: ['10.0.0.0/8'] }), 'x', ['10.9.9.9'])).toBeUndefined();
    expect(refusalFor(hostPolicy({ allow: ['hooks.internal'] }), 'HOOKS.internal.', ['10.9.9.9'])).toBeUndefined();
    expect(refusalFor(hostPolicy({ allow: ['*.internal'] }), 'a.b.internal', ['10.9.9.9'])).toBeUndefined();
    expect(refusalFor(hostPolicy({ allow: ['*.internal'] }), 'internal', ['10.9.9.9'])).toMatch(/private/);
    expect(refusalFor(hostPolicy({ allow: ['10.0.0.0/8'], deny: ['10.0.0.7'] }), 'x', ['10.0.0.7'])).toMatch(/deny list/);
    expect(refusalFor(hostPolicy({ allow: ['hooks.internal'], deny: ['hooks.internal'] }), 'hooks.internal', ['10.0.0.7'])).toMatch(/deny list/);
    expect(refusalFor(hostPolicy({ deny: ['*.example.com'] }), 'api.example.com', ['8.8.8.8'])).toMatch(/deny list/);
  });

  it('with allowOnly, refuses every destination not on the allow list, public or not', () => {
    const strict = hostPolicy({ allow: ['hooks.partner.example'], allowOnly: true });
    expect(refusalFor(strict, 'hooks.partner.example', ['8.8.8.8'])).toBeUndefined();
    expect(refusalFor(strict, 'elsewhere.example', ['8.8.8.8'])).toMatch(/not on the allow list/);
  });

  it('refuses entries that are not hosts, addresses or ranges when the policy is built', () => {
    expect(() => hostPolicy({ allow: ['10.0.0.0/33'] })).toThrow(/CIDR/);
    expect(() => hostPolicy({ deny: ['bad host!'] })).toThrow(/not a host name/);
    expect(() => hostPolicy({ deny: ['http://x'] })).toThrow(/http:\/\/x/);
  });
});
