// `npm run restore -- <backup file>`: into an EMPTY data folder (TILL_DATA_DIR) or an empty
// PostgreSQL database (DATABASE_URL), with the edge stopped. See README, "Operating the edge".
import { OperatorError } from './backup/errors';
import { restoreBackup } from './backup/restore';
import { backupSettings } from './backup/settings';

async function main() {
  const file = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (!file) throw new OperatorError('usage: npm run restore -- <till-backup-….tar>  (its .sha256 file beside it)');
  const r = await restoreBackup({ file, settings: backupSettings() });
  const out = [
    `restored the backup taken ${r.manifest.takenAt} (version ${r.manifest.appVersion}) into ${r.target} in ${r.ms} ms`,
    ...r.devices.map((d) => `  ${d.register} ${d.company}: receipts continue as ${d.to} (was ${d.from}; last known ${d.lastKnownReceipt ?? 'none'})`),
    `Sales after ${r.manifest.takenAt} are missing until registers push them again; the restore is in Admin → Audit and Admin → Backups.`,
    'Start the edge with npm start: registers resync their data on their own.',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`till-restore: ${e instanceof OperatorError ? e.message : ((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
