import { afterEach, describe, expect, it, vi } from 'vitest';
import { readServerConfig, serverConfig, ServerConfigError } from './server-config';

describe('server configuration', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('gives the documented defaults when nothing is set, and treats blank as unset', () => {
    const c = readServerConfig({ DB_POOL_MAX: '' });
    expect(c).toMatchObject({ DB_POOL_MAX: 2, LOG_LEVEL: 'INFO', SHAPE_LONG_POLL_MS: 20_000, REGISTER_HISTORY_DAYS: 14, PRINTER_TIMEOUT_MS: 5000 });
    expect(c).toMatchObject({ DEVICE_TOKEN_TTL_DAYS: 30, DEVICE_TOKEN_RENEW_GRACE_DAYS: 90, REJECTED_PER_REGISTER: 20, PAIRING_MAX_FAILURES: 10 });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('reads numbers, and fractional days for token lifetimes', () => {
    expect(readServerConfig({ DB_POOL_MAX: '4', DEVICE_TOKEN_TTL_DAYS: '0.5' })).toMatchObject({ DB_POOL_MAX: 4, DEVICE_TOKEN_TTL_DAYS: 0.5 });
  });

  it('refuses a bad value with a line naming the variable and the value, never NaN or a silent default', () => {
    const refused = (env: Record<string, string>) => {
      try {
        readServerConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ServerConfigError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ DB_POOL_MAX: 'two' })).toBe('DB_POOL_MAX must be a number (got "two")');
    expect(refused({ REGISTER_HISTORY_DAYS: '1.5' })).toBe('REGISTER_HISTORY_DAYS must be a whole number (got "1.5")');
    expect(refused({ SHAPE_LONG_POLL_MS: '60000' })).toBe('SHAPE_LONG_POLL_MS must be at most 25000 (got "60000")');
    expect(refused({ DEVICE_TOKEN_TTL_DAYS: '0' })).toBe('DEVICE_TOKEN_TTL_DAYS must be more than 0 days (got "0")');
    expect(refused({ LOG_LEVEL: 'loud' })).toMatch(/^LOG_LEVEL must be DEBUG, INFO/);
    expect(refused({ ELECTRIC_URL: 'not a url' })).toMatch(/^ELECTRIC_URL must be a URL/);
    expect(refused({ TILL_FORWARDER: 'cloudfront' })).toMatch(/^TILL_FORWARDER must be front-door \(the store edge\) or platform/);
  });

  it('follows a changed environment (tests change variables between cases)', () => {
    vi.stubEnv('REJECTED_PER_REGISTER', '5');
    expect(serverConfig().REJECTED_PER_REGISTER).toBe(5);
    vi.stubEnv('REJECTED_PER_REGISTER', '7');
    expect(serverConfig().REJECTED_PER_REGISTER).toBe(7);
  });
});
