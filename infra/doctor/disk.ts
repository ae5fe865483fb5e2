// Free space where the database lives: PGlite (and PostgreSQL on the same machine) stops writing
// when the disk is full, and the store stops booking sales.
import { existsSync, statfsSync } from 'node:fs';
import path from 'node:path';
import type { CheckResult, Verdict } from './check';

export const DISK_WARN_FRACTION = 0.1;
export const DISK_FAIL_FRACTION = 0.02;

/** The folder itself, or its nearest existing parent (the data folder of an edge with DATABASE_URL may not exist). */
export function existingFolder(dir: string): string {
  let d = path.resolve(dir);
  while (!existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

export function diskVerdict(freeBytes: number, totalBytes: number): Verdict {
  const fraction = totalBytes > 0 ? freeBytes / totalBytes : 0;
  return fraction < DISK_FAIL_FRACTION ? 'FAIL' : fraction < DISK_WARN_FRACTION ? 'WARN' : 'OK';
}

export function checkDisk(opts: { dataDir: string }): CheckResult {
  const name = 'disk';
  const folder = existingFolder(opts.dataDir);
  const s = statfsSync(folder);
  // bavail: what an unprivileged process (the edge) may still write; root's reserve is not ours.
  const free = s.bavail * s.bsize;
  const total = s.blocks * s.bsize;
  const verdict = diskVerdict(free, total);
  const percent = total > 0 ? Math.floor((free / total) * 100) : 0;
  const detail = `${gb(free)} free of ${gb(total)} (${percent} %) on the filesystem of ${folder}`;
  if (verdict === 'OK') return { name, verdict, detail };
  return {
    name,
    verdict,
    detail,
    fix: `free space there (old files in the backup folder if it shares the disk, logs, other programs' data); the database stops writing when the disk is full`,
  };
}
