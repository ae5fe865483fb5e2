// Small helpers for building SQL text and Electric keys. Identifiers only ever come from the
// server's allow-lists or the catalog; values always travel as bind parameters.

/** Quotes a Postgres identifier ("a""b"). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Electric's row key: "schema"."table"/"pk1"/"pk2" with `/` doubled inside values (§1.4). */
export function buildKey(schema: string, table: string, pkValues: (string | null)[]): string {
  const esc = (s: string) => s.replace(/[./]/g, (c) => c + c);
  const rel = `"${esc(schema)}"."${esc(table)}"`;
  return rel + pkValues.map((v) => (v === null ? '/_' : `/"${v.replace(/\//g, '//')}"`)).join('');
}

/** Collects bind parameters and hands out `$n::type` placeholders. */
export class Binder {
  readonly values: unknown[] = [];
  bind(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
