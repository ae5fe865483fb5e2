// The functions' and services' settings (the README's configuration table), checked with zod. A bad
// value is refused with one line naming the variable and what to put there: the launcher checks them
// before it starts anything (infra/edge.ts), and every reader goes through `serverConfig()`.
// Parsed once per distinct environment: tests that change a variable get the new value, production
// parses once. Core never reads this (it runs in the browser and takes its settings as arguments).
import * as z from 'zod';

const whole = (name: string, min: number, max: number, dflt: number) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(dflt);

const days = (name: string, dflt: number) =>
  z.coerce
    .number({ message: `${name} must be a number of days` })
    .positive(`${name} must be more than 0 days`)
    .max(3650, `${name} must be at most 3650 days`)
    .default(dflt);

const schema = z.object({
  DATABASE_URL: z.string().optional(),
  DB_POOL_MAX: whole('DB_POOL_MAX', 1, 64, 2),
  LOG_LEVEL: z
    .enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'], { message: 'LOG_LEVEL must be DEBUG, INFO, WARN, ERROR or SILENT' })
    .default('INFO'),
  TILL_TLS_DIR: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
  ELECTRIC_URL: z.url({ message: 'ELECTRIC_URL must be a URL, e.g. https://electric.internal:3000' }).optional(),
  ELECTRIC_SECRET: z.string().optional(),
  SHAPE_LONG_POLL_MS: whole('SHAPE_LONG_POLL_MS', 1000, 25_000, 20_000),
  REGISTER_HISTORY_DAYS: whole('REGISTER_HISTORY_DAYS', 1, 3650, 14),
  PRINTER_TIMEOUT_MS: whole('PRINTER_TIMEOUT_MS', 100, 120_000, 5000),
  DEVICE_TOKEN_TTL_DAYS: days('DEVICE_TOKEN_TTL_DAYS', 30),
  DEVICE_TOKEN_RENEW_GRACE_DAYS: days('DEVICE_TOKEN_RENEW_GRACE_DAYS', 90),
  REJECTED_PER_REGISTER: whole('REJECTED_PER_REGISTER', 1, 100_000, 20),
  PAIRING_MAX_FAILURES: whole('PAIRING_MAX_FAILURES', 1, 10_000, 10),
  // What stands in front of the functions and may say who called (core/client-address.ts).
  TILL_FORWARDER: z
    .enum(['front-door', 'platform'], { message: 'TILL_FORWARDER must be front-door (the store edge) or platform (the cloud)' })
    .default('front-door'),
  // Recorded by the build (infra/build-app.ts → build/version.json → serverless.yml).
  TILL_APP_VERSION: z.string().trim().default('dev'),
});

export type ServerConfig = z.output<typeof schema>;
const NAMES = Object.keys(schema.shape) as (keyof ServerConfig)[];

export class ServerConfigError extends Error {}

/** Checks the variables this module knows (a blank value counts as unset); throws ServerConfigError naming the first bad one. */
export function readServerConfig(env: Record<string, string | undefined>): ServerConfig {
  const known = Object.fromEntries(NAMES.flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])));
  const r = schema.safeParse(known);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const name = String(issue.path[0]);
  throw new ServerConfigError(issue.message.startsWith(name) ? `${issue.message} (got "${env[name]}")` : `${name}: ${issue.message} (got "${env[name]}")`);
}

let cached: { key: string; config: ServerConfig } | undefined;

/** This process's settings from `process.env`. */
export function serverConfig(): ServerConfig {
  const key = NAMES.map((k) => process.env[k] ?? '').join('\u0000');
  if (cached?.key !== key) cached = { key, config: readServerConfig(process.env) };
  return cached.config;
}
