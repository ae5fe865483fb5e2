// Every doctor check, in the order the on-call engineer reads them. Settings are the edge's own
// (readEdgeConfig, backupSettings, databaseConfig over the same env), so the doctor looks where the edge looks.
import { readEdgeConfig } from '../edge-config';
import { backupSettings } from '../backup/settings';
import { checkBackups } from './backups';
import { checkCertificate } from './certificate';
import { errorText, runCheck, withDatabase, type CheckResult, type DatabaseAccess, type Env } from './check';
import { checkClock } from './clock';
import { checkDatabase, openDoctorDatabase } from './database';
import { checkDisk } from './disk';
import { checkEdge } from './edge';
import { checkRegisters } from './registers';
import { checkRejections } from './rejections';
import { checkWorker } from './worker';

export async function runDoctor(env: Env = process.env): Promise<CheckResult[]> {
  let edge: ReturnType<typeof readEdgeConfig>;
  try {
    edge = readEdgeConfig(env, env.TILL_ROOT ?? process.cwd());
  } catch (e) {
    // Without the edge's settings no check knows where to look.
    return [{ name: 'config', verdict: 'FAIL', detail: errorText(e), fix: 'run the doctor with the edge\u2019s settings' }];
  }
  const results: CheckResult[] = [];
  const access: DatabaseAccess = await openDoctorDatabase(env).catch((e) => ({ where: 'the database', problem: errorText(e), cause: errorText(e) }));
  try {
    results.push(await runCheck('database', () => checkDatabase(access)));
    results.push(await runCheck('edge', () => checkEdge({ host: edge.host, port: edge.port, edgeHostname: edge.edgeHostname, tlsDir: edge.tlsDir })));
    results.push(await runCheck('certificate', () => checkCertificate({ tlsDir: edge.tlsDir, edgeHostname: edge.edgeHostname })));
    results.push(await runCheck('disk', () => checkDisk({ dataDir: edge.dataDir })));
    results.push(
      await runCheck('backups', () => checkBackups({ access, settings: backupSettings(env as NodeJS.ProcessEnv), explicitDir: Boolean(env.BACKUP_DIR) })),
    );
    const publicUrl = `https://${edge.edgeHostname}:${edge.port}`;
    results.push(await withDatabase('registers', access, (db) => checkRegisters(db, { publicUrl })));
    results.push(await withDatabase('clock', access, checkClock));
    results.push(await withDatabase('rejections', access, checkRejections));
    results.push(await withDatabase('worker', access, checkWorker));
  } finally {
    await access.database?.close().catch(() => undefined);
  }
  return results;
}
