// Where backups go and how many are kept (README, "Operating the edge").
import path from 'node:path';
import * as z from 'zod';
import { databaseConfig } from '../../db/config';
import { OperatorError } from './errors';

export class BackupConfigError extends OperatorError {}

const schema = z.object({
  BACKUP_DIR: z.string().optional(),
  BACKUP_KEEP: z.coerce.number().int('BACKUP_KEEP must be a whole number').min(1, 'BACKUP_KEEP must be at least 1').default(14),
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(0, 'BACKUP_INTERVAL_HOURS must be 0 (off) or more').default(24),
  TILL_TLS_DIR: z.string().optional(),
});

export interface BackupSettings {
  /** The folder backup files go to (a USB disk or network share may be mounted there). */
  dir: string;
  keep: number;
  /** 0: no scheduled backups. */
  intervalMs: number;
  /** The store CA's folder: ca.crt and ca.key travel with every backup. */
  tlsDir: string;
  /** The embedded database's folder and password file (both unused with DATABASE_URL). */
  dataDir: string;
  passwordFile: string;
  externalUrl?: string;
}

/** Defaults sit beside the database folder, like the TLS folder: `data/backups`, `data/tls`. */
export function backupSettings(env: NodeJS.ProcessEnv = process.env): BackupSettings {
  const r = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== '')));
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BackupConfigError(`${String(i.path[0])}: ${i.message}`);
  }
  const db = databaseConfig(env);
  const root = env.TILL_ROOT ?? process.cwd();
  const beside = path.dirname(db.dataDir);
  return {
    dir: path.resolve(root, r.data.BACKUP_DIR ?? path.join(beside, 'backups')),
    keep: r.data.BACKUP_KEEP,
    intervalMs: r.data.BACKUP_INTERVAL_HOURS * 3_600_000,
    tlsDir: path.resolve(root, r.data.TILL_TLS_DIR ?? path.join(beside, 'tls')),
    dataDir: db.dataDir,
    passwordFile: db.passwordFile,
    externalUrl: db.externalUrl,
  };
}
