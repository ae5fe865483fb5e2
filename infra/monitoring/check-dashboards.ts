// `npm run check:monitoring` (after the promtool checks): every dashboard is well-formed Grafana
// JSON on the `${datasource}` variable, and every query in it is PromQL that promtool accepts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import * as z from 'zod';
import { dashboardFiles, dashboardQueries, withoutGrafanaVariables } from './queries';

const datasource = z.object({ type: z.literal('prometheus'), uid: z.literal('${datasource}') }, { error: 'must be the ${datasource} variable' });

const gridPos = z
  .object({ h: z.int().positive(), w: z.int().min(1).max(24), x: z.int().min(0).max(23), y: z.int().min(0) })
  .refine((g) => g.x + g.w <= 24, 'must fit in 24 columns');

const target = z.object({ refId: z.string().min(1), datasource, expr: z.string().trim().min(1), legendFormat: z.string().optional() });

const row = z.object({ id: z.int(), type: z.literal('row'), title: z.string().min(1), gridPos, panels: z.array(z.unknown()) });
const panel = z.object({
  id: z.int(),
  type: z.enum(['timeseries', 'stat', 'table', 'gauge', 'bargauge']),
  title: z.string().min(1),
  gridPos,
  datasource,
  targets: z
    .array(target)
    .min(1)
    .refine((ts) => new Set(ts.map((t) => t.refId)).size === ts.length, 'refIds must be unique'),
});

const dashboard = z.object({
  uid: z.string().regex(/^[a-z0-9-]{1,40}$/),
  title: z.string().min(1),
  schemaVersion: z.int().min(30),
  templating: z.object({
    list: z
      .array(z.object({ name: z.string(), type: z.string() }).loose())
      .refine(
        (vs) => vs.some((v) => v.name === 'datasource' && v.type === 'datasource' && v.query === 'prometheus'),
        'needs a `datasource` variable of Prometheus data sources',
      )
      .refine((vs) => vs.every((v) => v.type === 'datasource' || z.object({ datasource }).safeParse(v).success), 'query variables must use ${datasource}'),
  }),
  panels: z
    .array(z.discriminatedUnion('type', [row, panel]))
    .min(1)
    .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, 'panel ids must be unique'),
});

function problems(file: string): string[] {
  const name = path.basename(file);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return [`${name}: not JSON: ${(e as Error).message}`];
  }
  const r = dashboard.safeParse(doc);
  if (!r.success) return r.error.issues.map((i) => `${name}: ${i.path.join('.')}: ${i.message}`);
  // A data source named anywhere else would tie the dashboard to one Grafana.
  const pinned = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'datasource' && !datasource.safeParse(x).success) pinned.add(JSON.stringify(x));
        walk(x);
      }
    }
  };
  walk(doc);
  return pinned.size ? [`${name}: data sources other than \${datasource}: ${[...pinned].join(', ')}`] : [];
}

/** Every dashboard query as a recording rule, so promtool parses it as PromQL. */
function promqlProblems(files: string[]): string[] {
  const queries = files.flatMap(dashboardQueries);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'till-dashboards-'));
  const rules = path.join(dir, 'dashboard-queries.yml');
  writeFileSync(
    rules,
    stringify({ groups: [{ name: 'dashboards', rules: queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: withoutGrafanaVariables(q.expr) })) }] }),
  );
  try {
    execFileSync('promtool', ['check', 'rules', rules], { stdio: 'pipe' });
    return [];
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: Buffer; stderr?: Buffer };
    if (err.code === 'ENOENT') return ['promtool is not installed (Debian: apt-get install prometheus)'];
    const text = `${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`;
    // promtool names the rule by its position: map it back to the panel.
    return [text.replace(/group "dashboards", rule (\d+), "dashboard:query_\d+"/g, (_, n: string) => queries[Number(n) - 1]?.where ?? `rule ${n}`).trim()];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const files = dashboardFiles();
const found = [...files.flatMap(problems), ...promqlProblems(files)];
if (found.length) {
  for (const p of found) console.error(p);
  process.exit(1);
}
console.log(`dashboards OK: ${files.map((f) => path.basename(f)).join(', ')} (${files.flatMap(dashboardQueries).length} queries)`);
