// A store's day in a test: one edge, the back office in one browser and a register in another
// (separate profiles, as on two machines), both trusting the edge's CA and reaching it by name.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startEdge, type EdgeProcess } from './edge-process';

export interface EdgeWithTwoBrowsers {
  dir: string;
  edge: EdgeProcess;
  adminCtx: BrowserContext;
  posCtx: BrowserContext;
  admin: Page;
  pos: Page;
  close(): Promise<void>;
}

export async function startEdgeWithTwoBrowsers(prefix: string): Promise<EdgeWithTwoBrowsers> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const edge = await startEdge({ TILL_DATA_DIR: path.join(dir, 'edge') });
  const { context: adminCtx } = await launchBrowser(undefined, { trustSpki: [edge.caSpki] });
  const { context: posCtx } = await launchBrowser(undefined, { trustSpki: [edge.caSpki] });
  return {
    dir,
    edge,
    adminCtx,
    posCtx,
    admin: await adminCtx.newPage(),
    pos: await posCtx.newPage(),
    async close() {
      await adminCtx.close();
      await posCtx.close();
      await edge.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Rows of `sql` on the edge's own database, over its PGlite socket. A connection per query: the
 * edge may be killed and started again (a new URL) between two calls.
 */
export async function queryEdge(edge: EdgeProcess, sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: edge.pgliteUrl });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}
