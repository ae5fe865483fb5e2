import { describe, expect, it } from 'vitest';
import { hostnameProblem } from './edge-hostname';
import { machineAddresses } from './machine-addresses';

describe('EDGE_HOSTNAME', () => {
  it('accepts host names and addresses a register can use', () => {
    for (const ok of ['till-edge.local', 'till-edge.test', 'shop7', 'a-b.c-d.lan', '192.168.1.20', 'fd00::1']) expect(hostnameProblem(ok)).toBeUndefined();
  });
  it('names what is wrong with a bad one', () => {
    expect(hostnameProblem('')).toBe('it is empty');
    expect(hostnameProblem('till_edge.local')).toMatch(/"till_edge" is not a valid label/);
    expect(hostnameProblem('-edge.lan')).toMatch(/not a valid label/);
    expect(hostnameProblem('https://till-edge.local')).toMatch(/not a valid label/);
    expect(hostnameProblem('till-edge.local:3000')).toMatch(/not a valid label/);
    expect(hostnameProblem('10.0.0.300')).toMatch(/all digits/);
  });
});

describe('machine addresses', () => {
  it('keeps non-internal addresses and drops loopback and IPv6 link-local', () => {
    const iface = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) => ({ address, family, internal, netmask: '', mac: '', cidr: null }) as never;
    expect(
      machineAddresses({
        lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
        eth0: [iface('192.168.1.20', 'IPv4', false), iface('fe80::1', 'IPv6', false), iface('fd00::20', 'IPv6', false)],
      }),
    ).toEqual(['192.168.1.20', 'fd00::20']);
  });
});
