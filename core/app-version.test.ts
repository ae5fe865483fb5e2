import { describe, expect, it } from 'vitest';
import { compareAppVersions, isAppVersion, shellVerdict } from './app-version';

describe('app versions', () => {
  it('compares numerically, a pre-release before its release', () => {
    expect(compareAppVersions('0.1.0', '0.1.0')).toBe(0);
    expect(compareAppVersions('0.1.0', '0.1.1')).toBe(-1);
    expect(compareAppVersions('0.10.0', '0.9.9')).toBe(1);
    expect(compareAppVersions('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareAppVersions('1.0.0', '1.0.0-rc.1')).toBe(1);
    expect(compareAppVersions('1.0.0-rc.1', '1.0.0-rc.2')).toBe(-1);
  });

  it('treats anything that is not a version as unknown', () => {
    expect(isAppVersion('dev')).toBe(false);
    expect(compareAppVersions('dev', '0.1.0')).toBeUndefined();
    expect(compareAppVersions('0.1.0', '0.1')).toBeUndefined();
  });

  it('says what a register should do about its edge', () => {
    expect(shellVerdict('0.1.0', '0.1.0')).toBe('current');
    expect(shellVerdict('0.1.0', '0.2.0')).toBe('edge-newer');
    expect(shellVerdict('0.2.0', '0.1.0')).toBe('edge-older');
    expect(shellVerdict('0.1.0', null)).toBe('unknown');
    expect(shellVerdict('0.1.0', 'e2e')).toBe('unknown');
  });
});
