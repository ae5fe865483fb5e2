// `npm run backup`: one backup now, to BACKUP_DIR. With an embedded edge running, the launcher (which
// owns the database) takes it and this waits for it; otherwise this process takes it itself.
import os from 'node:os';
import { getBackup, requestBackup } from '../services/backups';
import { backupSource, takeBackup } from './backup/backup';
import { OperatorError } from './backup/errors';
import { backupSettings } from './backup/settings';
import { openEdgeDatabase } from './edge-database';
import { one } from '../db/query';

const WAIT_MS = 30 * 60_000;

async function main() {
  const settings = backupSettings();
  const edge = await openEdgeDatabase({ migrate: false, pool: 2 });
  try {
    const by = `${os.userInfo().username}@${os.hostname()}`;
    let line: string;
    if (!edge.embedded && !settings.externalUrl) {
      const { id, queued } = await requestBackup(edge.database, { kind: 'cli', by });
      process.stdout.write(`${queued ? 'asked the running edge for a backup' : 'the running edge is already taking a backup'}; waiting…\n`);
      const until = Date.now() + WAIT_MS;
      for (;;) {
        const row = await getBackup(edge.database, id);
        if (row?.result === 'ok') {
          line = `backup written: ${row.file} (${(row.bytes! / 1e6).toFixed(1)} MB, ${Date.parse(row.finishedAt!) - Date.parse(row.startedAt!)} ms) sha256 ${row.sha256}`;
          break;
        }
        if (row?.result === 'failed') throw new OperatorError(`backup failed: ${row.error}`);
        if (Date.now() > until) throw new OperatorError('the running edge has not taken the backup: is it this version, and does its log say why?');
        await new Promise((r) => setTimeout(r, 500));
      }
    } else {
      const hasTable = (await one<{ ok: boolean }>(edge.database.pool, `SELECT to_regclass('backups') IS NOT NULL AS ok`)).ok;
      const r = await takeBackup({ database: edge.database, source: backupSource(edge), settings, kind: 'cli', by, record: hasTable });
      line = `backup written: ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.ms} ms) sha256 ${r.sha256}`;
    }
    process.stdout.write(`${line}\nKeep it as private as the data folder: it holds the store CA's key and the database's secrets.\n`);
  } finally {
    await edge.close();
  }
}

main().catch((e) => {
  process.stderr.write(`till-backup: ${e instanceof OperatorError ? e.message : ((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
