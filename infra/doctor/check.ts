// What every doctor check returns, and the rules that keep one bad check from hiding the others.
import type { Database } from '../../db/client';

export type Verdict = 'OK' | 'WARN' | 'FAIL';

/** The edge's environment (a plain record: tests pass only what they set). */
export type Env = Record<string, string | undefined>;

export interface CheckResult {
  name: string;
  verdict: Verdict;
  /** What was found, with the numbers: one line. */
  detail: string;
  /** What the on-call engineer does about it (WARN and FAIL). */
  fix?: string;
}

/** A check that needs the database gets it, or the reason it is unreachable. */
export type DatabaseAccess =
  | { database: Database; where: string }
  /** problem: the whole story for the database line; cause: a few words for the lines that depend on it. */
  | { database?: undefined; where: string; problem: string; cause: string; fix?: string };

const CHECK_TIMEOUT_MS = 15_000;

/**
 * Runs one check: a throw or a hang becomes that check's FAIL line with the error, and the rest still run.
 */
export async function runCheck(name: string, check: () => Promise<CheckResult> | CheckResult, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    return { name, verdict: 'FAIL', detail: `check failed: ${errorText(e)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `check` with the database, or answers FAIL naming why the database could not be reached. */
export function withDatabase(name: string, access: DatabaseAccess, check: (database: Database) => Promise<CheckResult>): Promise<CheckResult> {
  if (!access.database) {
    return Promise.resolve({ name, verdict: 'FAIL', detail: `not checked: database unreachable (${access.cause})`, fix: 'see the database line' });
  }
  const database = access.database;
  return runCheck(name, () => check(database));
}

export function errorText(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return errorText(e.errors[0]);
  const err = e as NodeJS.ErrnoException;
  const message = err?.message || String(e);
  return err?.code && !message.includes(err.code) ? `${err.code}: ${message}` : message;
}

/** 45 s, 12 min, 3 h 5 min, 2 d 4 h. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/** `OK   database    reachable, …` — the verdict, the check's name, what was found and what to do. */
export function formatLine(r: CheckResult): string {
  return `${r.verdict.padEnd(4)} ${r.name.padEnd(11)} ${r.detail}${r.fix ? `: ${r.fix}` : ''}`;
}

export const worst = (results: CheckResult[]): Verdict =>
  results.some((r) => r.verdict === 'FAIL') ? 'FAIL' : results.some((r) => r.verdict === 'WARN') ? 'WARN' : 'OK';
