// The launcher's settings, read and checked once at start. A bad value stops the start with one line
// that names the variable and says what to put there (the README's configuration table lists them).
import path from 'node:path';
import * as z from 'zod';
import { hostnameProblem } from './tls/edge-hostname';

const port = (name: string, dflt?: number) =>
  z.coerce
    .number({ message: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be 0–65535`)
    .max(65535, `${name} must be 0–65535`)
    .optional()
    .transform((v) => v ?? dflt);

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port('PORT', 3000),
  LAMBDA_PORT: port('LAMBDA_PORT'),
  EDGE_HOSTNAME: z
    .string()
    .default('till-edge.local')
    .superRefine((v, ctx) => {
      const problem = hostnameProblem(v);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `EDGE_HOSTNAME "${v}" is not a host name registers can use: ${problem}; set it to the edge's LAN name, e.g. till-edge.local`,
        });
    }),
  TILL_DATA_DIR: z.string().default('data/pglite'),
  TILL_TLS_DIR: z.string().optional(),
  TILL_DEMO: z.enum(['0', '1']).default('1'),
  TILL_SKIP_BUILD: z.enum(['0', '1']).default('0'),
  SHAPE_LONG_POLL_MS: z.coerce
    .number()
    .int()
    .min(1000, 'SHAPE_LONG_POLL_MS must be at least 1000')
    .max(25_000, 'SHAPE_LONG_POLL_MS must stay under 25000 (proxies and API Gateway cut at 30 s)')
    .default(20_000),
  SHAPE_POOL_MAX: z.coerce.number().int().min(1).max(32).default(4),
  SHAPE_QUEUE_MS: z.coerce
    .number()
    .int()
    .min(1000, 'SHAPE_QUEUE_MS must be at least 1000')
    .max(30_000, 'SHAPE_QUEUE_MS must be at most 30000 (a register gives up on a shape request after 60 s)')
    .default(20_000),
});

// A live request may wait in line, then for a change: both must end well before the register's 60 s.
const MAX_QUEUE_AND_LONG_POLL_MS = 45_000;

export type EdgeConfig = ReturnType<typeof readEdgeConfig>;

export class ConfigError extends Error {}

export function readEdgeConfig(env: Record<string, string | undefined> = process.env, root = process.cwd()) {
  const r = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ConfigError(i.code === 'custom' ? i.message : `${String(i.path[0])}: ${i.message}`);
  }
  const c = r.data;
  if (c.SHAPE_QUEUE_MS + c.SHAPE_LONG_POLL_MS > MAX_QUEUE_AND_LONG_POLL_MS) {
    throw new ConfigError(
      `SHAPE_QUEUE_MS (${c.SHAPE_QUEUE_MS}) plus SHAPE_LONG_POLL_MS (${c.SHAPE_LONG_POLL_MS}) must stay under ${MAX_QUEUE_AND_LONG_POLL_MS} (a register gives up on a shape request after 60 s); lower one of them`,
    );
  }
  const dataDir = path.resolve(root, c.TILL_DATA_DIR);
  return {
    host: c.HOST,
    port: c.PORT!,
    lambdaPort: c.LAMBDA_PORT,
    edgeHostname: c.EDGE_HOSTNAME.toLowerCase(),
    dataDir,
    /** Beside the database folder, so a backup of the data folder's parent carries the store CA. */
    tlsDir: path.resolve(root, c.TILL_TLS_DIR ?? path.join(path.dirname(dataDir), 'tls')),
    demo: c.TILL_DEMO === '1',
    skipBuild: c.TILL_SKIP_BUILD === '1',
    shapeLongPollMs: c.SHAPE_LONG_POLL_MS,
    shapePoolMax: c.SHAPE_POOL_MAX,
    shapeQueueMs: c.SHAPE_QUEUE_MS,
  };
}
