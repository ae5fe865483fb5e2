// The version of the app this edge serves, as its build recorded it (infra/build-app.ts →
// build/version.json → serverless.yml → TILL_APP_VERSION). 'dev' when nothing set it.
export function runningAppVersion(env: Record<string, string | undefined> = process.env): string {
  return env.TILL_APP_VERSION?.trim() || 'dev';
}
