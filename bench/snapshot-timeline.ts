// The bulk load's own timeline (sync/register/snapshot-load.ts records each step as a performance
// measure where it runs): summed per step, plus when the first chunk arrived and the load ended.
export interface SnapshotMeasure {
  name: string;
  /** ms since the time origin of the register's clock (Node process or Chromium worker). */
  startTime: number;
  duration: number;
  detail?: { table?: string; bytes?: number; server?: string | null; headersMs?: number } | null;
}

export interface SnapshotTimeline {
  chunks: number;
  /** ms from `t0` until the first chunk's body was in, and until ANALYZE ended. */
  firstChunkAt: number;
  loadEnd: number;
  /** Sums over chunks (they overlap: up to one request per table in flight). */
  fetchMs: number;
  edgeDbMs: number;
  copyMs: number;
  indexesMs: number;
  analyzeMs: number;
  /** Time the register's database was writing (COPY + indexes + ANALYZE) over the load's span. */
  registerBusy: number;
}

export function snapshotTimeline(measures: SnapshotMeasure[], t0: number): SnapshotTimeline {
  const of = (n: string) => measures.filter((m) => m.name === `till:snapshot-${n}`);
  const sum = (ms: SnapshotMeasure[]) => Math.round(ms.reduce((a, m) => a + m.duration, 0));
  const fetches = of('fetch');
  const edgeDbMs = fetches.reduce((a, m) => a + Number(/db;dur=([0-9.]+)/.exec(m.detail?.server ?? '')?.[1] ?? 0), 0);
  const end = Math.max(...measures.map((m) => m.startTime + m.duration));
  const busy = sum(of('copy')) + sum(of('indexes')) + sum(of('analyze'));
  return {
    chunks: fetches.length,
    firstChunkAt: Math.round(Math.min(...fetches.map((m) => m.startTime + m.duration)) - t0),
    loadEnd: Math.round(end - t0),
    fetchMs: sum(fetches),
    edgeDbMs: Math.round(edgeDbMs),
    copyMs: sum(of('copy')),
    indexesMs: sum(of('indexes')),
    analyzeMs: sum(of('analyze')),
    registerBusy: Math.round((busy / Math.max(1, end - t0)) * 100) / 100,
  };
}
