// The embedded database's backup copy (PGlite only: PostgreSQL is copied with pg_dump). A copy is
// never taken inside a client's open transaction, so it opens as committed state.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';

describe('EmbeddedDatabase.dumpDataDir', () => {
  let embedded: EmbeddedDatabase;
  beforeAll(async () => {
    embedded = await startEmbeddedDatabase({});
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  it('waits for a client transaction in progress and copies it whole', async () => {
    const a = new pg.Client({ connectionString: embedded.url });
    await a.connect();
    try {
      await a.query('CREATE TABLE books (n int)');
      await a.query('BEGIN');
      await a.query('INSERT INTO books VALUES (1)');
      let done = false;
      const dump = embedded.dumpDataDir().then((blob) => ((done = true), blob));
      // The transaction's owner still runs; the copy cannot have been taken in the middle of it.
      await a.query('INSERT INTO books VALUES (2)');
      expect(done).toBe(false);
      await a.query('COMMIT');
      const blob = await dump;
      const copy = await PGlite.create({ loadDataDir: blob });
      try {
        expect((await copy.query<{ n: number }>('SELECT n FROM books ORDER BY n')).rows).toEqual([{ n: 1 }, { n: 2 }]);
      } finally {
        await copy.close();
      }
    } finally {
      await a.end();
    }
  });
});
