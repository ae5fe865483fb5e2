// The app's version, fixed when the app is built (infra/build-app.ts writes it to build/version.json):
// package.json's `version`, or TILL_APP_VERSION for a test build that must look like another release.
// The functions get it as TILL_APP_VERSION from serverless.yml, which reads that file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAppVersion } from '../core/app-version';

export function resolveAppVersion(root: string, env: Record<string, string | undefined> = process.env): string {
  const override = env.TILL_APP_VERSION?.trim();
  if (override) {
    if (!isAppVersion(override)) throw new Error(`TILL_APP_VERSION "${override}" is not a version like 1.2.3 or 1.2.3-rc.1`);
    return override;
  }
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || !isAppVersion(version)) throw new Error(`package.json has no version like 1.2.3`);
  return version;
}

/** The version of the app built under `root` (undefined before the first build). */
export function builtAppVersion(root: string): string | undefined {
  try {
    const { version } = JSON.parse(readFileSync(path.join(root, 'build/version.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
