import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtAppVersion, resolveAppVersion } from './app-version';

describe('app version at build time', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'till-version-'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'till', version: '1.4.2', dependencies: { x: '1' } }));

  it('is package.json version unless a build overrides it', () => {
    expect(resolveAppVersion(root, {})).toBe('1.4.2');
    expect(resolveAppVersion(root, { TILL_APP_VERSION: '1.5.0-e2e' })).toBe('1.5.0-e2e');
  });

  it('refuses an override that is not a version', () => {
    expect(() => resolveAppVersion(root, { TILL_APP_VERSION: 'latest' })).toThrow(/TILL_APP_VERSION/);
  });

  it('reads what the build wrote, nothing before a build', () => {
    expect(builtAppVersion(root)).toBeUndefined();
    mkdirSync(path.join(root, 'build'));
    writeFileSync(path.join(root, 'build/version.json'), JSON.stringify({ version: '1.4.2' }));
    expect(builtAppVersion(root)).toBe('1.4.2');
  });
});
