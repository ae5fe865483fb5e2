// The embedded database's password: generated on first start, kept in a 0600 file, reused on restarts.
// Whoever can read the file can reach every table (signing keys included), exactly like the data folder.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isPlainPassword } from './scram';

/** An operator-facing failure: its message is the whole story, so it carries no stack. */
export class DatabasePasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabasePasswordError';
    this.stack = `${this.name}: ${message}`;
  }
}

const MIN_LENGTH = 24;

/** 256 random bits, URL-safe so the password goes into a connection URL unchanged. */
export function generateDatabasePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** Reads the password an edge created. Throws DatabasePasswordError naming the file and the fix. */
export function readDatabasePassword(file: string): string {
  let text: string;
  try {
    if (process.platform !== 'win32') {
      const mode = statSync(file).mode & 0o777;
      if (mode & 0o077) {
        throw new DatabasePasswordError(`database password file ${file} is readable by others (mode ${mode.toString(8)}): run chmod 600 on it`);
      }
    }
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if (e instanceof DatabasePasswordError) throw e;
    throw new DatabasePasswordError(`cannot read the database password file ${file}: ${(e as Error).message}`);
  }
  if (text.length < MIN_LENGTH || !isPlainPassword(text)) {
    throw new DatabasePasswordError(
      `database password file ${file} does not hold a valid password (at least ${MIN_LENGTH} printable ASCII characters); delete it to generate a new one`,
    );
  }
  return text;
}

/** Returns the password in `file`, creating the file (0600, its folder 0700) with a new one if absent. */
export function ensureDatabasePassword(file: string): string {
  if (existsSync(file)) return readDatabasePassword(file);
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Write a private temporary file, then link it into place: the password appears complete or
    // not at all, and when two processes start at once exactly one wins (link fails if it exists).
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${generateDatabasePassword()}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o600); // the umask may have narrowed it further, never widened: make it exact
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
  } catch (e) {
    throw new DatabasePasswordError(`cannot create the database password file ${file}: ${(e as Error).message}`);
  }
  return readDatabasePassword(file);
}

/** Where an embedded database keeps its password: a folder of ours inside the data folder, beside PGlite's files. */
export function databasePasswordFile(dataDir: string): string {
  return path.join(dataDir, 'till-secrets', 'db-password');
}
