// Time from launching the edge to "edge ready": cold (empty data folder: initdb, migrate, demo data) and warm (restart).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEdge } from '../test/edge-process';
import { median } from './stats';

export async function benchEdgeStart(runs = 3) {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'till-bench-'));
    try {
      const a = await startEdge({ TILL_DATA_DIR: dir });
      cold.push(a.startMs);
      await a.stop();
      const b = await startEdge({ TILL_DATA_DIR: dir });
      warm.push(b.startMs);
      await b.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { coldMsMedian: median(cold), warmMsMedian: median(warm), cold, warm };
}
