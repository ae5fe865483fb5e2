import { describe, expect, it } from 'vitest';
import { callerAddress, fromThisMachine } from './client-address';

describe('callerAddress', () => {
  it("trusts the edge front door's single x-forwarded-for entry over its loopback socket", () => {
    const facts = { forwarder: 'front-door' as const, forwardedFor: '192.0.2.9', sourceIp: '127.0.0.1' };
    expect(callerAddress(facts)).toBe('192.0.2.9');
    expect(fromThisMachine(facts)).toBe(false);
  });

  it('falls back to the socket on the edge when nothing forwarded the request', () => {
    expect(callerAddress({ forwarder: 'front-door', sourceIp: '::ffff:127.0.0.1' })).toBe('::ffff:127.0.0.1');
    expect(fromThisMachine({ forwarder: 'front-door', sourceIp: '::1' })).toBe(true);
    expect(fromThisMachine({ forwarder: 'front-door', forwardedFor: '127.0.0.1' })).toBe(true);
  });

  it('ignores a forged x-forwarded-for in the cloud and never treats a caller as local there', () => {
    // CloudFront appends the viewer to what the client sent: the first entry is the client's own claim.
    const forged = { forwarder: 'platform' as const, forwardedFor: '127.0.0.1, 198.51.100.7', sourceIp: '198.51.100.7' };
    expect(callerAddress(forged)).toBe('198.51.100.7');
    expect(fromThisMachine(forged)).toBe(false);
    expect(fromThisMachine({ forwarder: 'platform', sourceIp: '127.0.0.1' })).toBe(false);
  });

  it('says "unknown" rather than inventing an address', () => {
    expect(callerAddress({ forwarder: 'platform' })).toBe('unknown');
    expect(callerAddress({ forwarder: 'front-door', forwardedFor: ' ', sourceIp: '' })).toBe('unknown');
  });
});
