// The PromQL the alert rules and dashboards run, and the Till metric names in it: shared by the
// dashboard check (check-dashboards.ts) and the test that every one of them is exported.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const monitoringDir = __dirname;
export const dashboardDir = path.join(monitoringDir, 'grafana');

export interface Query {
  /** Where the query lives, for messages: `alerts.yml: TillEdgeDown`, `security.json: panel 3 "…" A`. */
  where: string;
  expr: string;
}

export function alertQueries(file = path.join(monitoringDir, 'alerts.yml')): Query[] {
  const doc = parse(readFileSync(file, 'utf8')) as { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ where: `alerts.yml: ${r.alert ?? r.record}`, expr: String(r.expr) })));
}

export const dashboardFiles = () =>
  readdirSync(dashboardDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dashboardDir, f));

type Panel = { id?: number; title?: string; targets?: { refId?: string; expr?: string }[]; panels?: Panel[] };

export function dashboardQueries(file: string): Query[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { panels?: Panel[] };
  const name = path.basename(file);
  const walk = (panels: Panel[] = []): Query[] =>
    panels.flatMap((p) => [
      ...(p.targets ?? []).map((t) => ({ where: `${name}: panel ${p.id} "${p.title}" ${t.refId}`, expr: t.expr ?? '' })),
      ...walk(p.panels),
    ]);
  return walk(doc.panels);
}

export const allQueries = (): Query[] => [...alertQueries(), ...dashboardFiles().flatMap(dashboardQueries)];

/** Till metric names a query reads, loosely: histogram series are reduced to the histogram's name. */
export function tillMetricNames(expr: string): string[] {
  const names = (expr.match(/\btill_[a-z0-9_]+/g) ?? []).map((n) => n.replace(/_(bucket|sum|count)$/, ''));
  return [...new Set(names)];
}

/**
 * Grafana's variables replaced by values Prometheus accepts, so a dashboard query can be checked
 * as PromQL (`$__rate_interval` → `5m`, `$instance` → `.*`).
 */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, '5m').replace(/\$\{?[a-zA-Z_]\w*\}?/g, '.*');
}
