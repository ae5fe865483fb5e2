// The version of the app this edge serves, as its build recorded it (infra/build-app.ts →
// build/version.json → serverless.yml → TILL_APP_VERSION). 'dev' when nothing set it.
import { serverConfig } from '../config/server-config';

export function runningAppVersion(): string {
  return serverConfig().TILL_APP_VERSION || 'dev';
}
