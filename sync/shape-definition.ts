// Turns request parameters + the caller's scope into a checked shape definition: table from the
// allow-list, columns within its allow-list, a parsed where, and the handle hash that names it.

import { createHash } from 'node:crypto';
import { UUID_RE as UUID } from '../core/ids';
import type { Database } from '../db/client';
import { many } from '../db/query';
import { Binder, quoteIdent } from './pg-text';
import { shapeTables, type ShapeScope, type ShapeTable } from './shape-tables';
import { parseWhere, whereSql, WhereError, type Condition } from './shape-where';

export interface ColumnInfo {
  name: string;
  /** pg_type.typname; the element type for arrays. */
  type: string;
  dims: number;
  notNull: boolean;
  pkIndex: number | null;
  typmod: number;
}

export interface TableCatalog {
  columns: Map<string, ColumnInfo>;
  pk: string[];
}

/** 400 in Electric's format: `{"message":"Invalid request","errors":{field:[msg]}}`. */
export class ShapeRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const catalogCache = new WeakMap<object, Map<string, Promise<TableCatalog>>>();

/** Column types, nullability and primary key from the catalog; read once per table and pool. */
export function loadCatalog(database: Database, table: string): Promise<TableCatalog> {
  let perDb = catalogCache.get(database.pool);
  if (!perDb) catalogCache.set(database.pool, (perDb = new Map<string, Promise<TableCatalog>>()));
  let hit = perDb.get(table);
  if (!hit) {
    hit = readCatalog(database, table);
    perDb.set(table, hit);
    hit.catch(() => perDb.delete(table));
  }
  return hit;
}

async function readCatalog(database: Database, table: string): Promise<TableCatalog> {
  // dims, pk_index and typmod are int2/int4 expressions: read as numbers below whatever the driver hands back.
  const rows = await many<{ name: string; type: string; dims: number; not_null: boolean; typmod: number; pk_index: number | null }>(
    database.pool,
    `SELECT a.attname AS name,
            CASE WHEN t.typcategory = 'A' THEN et.typname ELSE t.typname END AS type,
            CASE WHEN t.typcategory = 'A' THEN GREATEST(a.attndims, 1) ELSE 0 END AS dims,
            a.attnotnull AS not_null, a.atttypmod AS typmod,
            (SELECT array_position(i.indkey::int2[], a.attnum) - array_lower(i.indkey::int2[], 1) FROM pg_index i
              WHERE i.indrelid = a.attrelid AND i.indisprimary) AS pk_index
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON et.oid = t.typelem
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [`public.${quoteIdent(table)}`],
  );
  if (rows.length === 0) throw new Error(`Table public.${table} is missing from the database`);
  const columns = new Map<string, ColumnInfo>();
  for (const row of rows) {
    columns.set(row.name, {
      name: row.name,
      type: row.type,
      dims: Number(row.dims),
      notNull: row.not_null,
      pkIndex: row.pk_index === null ? null : Number(row.pk_index),
      typmod: Number(row.typmod),
    });
  }
  const pk = [...columns.values()]
    .filter((c) => c.pkIndex !== null)
    .sort((a, b) => a.pkIndex! - b.pkIndex!)
    .map((c) => c.name);
  if (pk.length === 0) throw new Error(`Table public.${table} has no primary key`);
  return { columns, pk };
}

export interface ShapeDefinition {
  schema: 'public';
  table: ShapeTable;
  /** Selected columns, in output order. */
  columns: ColumnInfo[];
  pk: ColumnInfo[];
  /** Every allow-listed column of the table. */
  allowed: Map<string, ColumnInfo>;
  conditions: Condition[];
  replica: 'default' | 'full';
  log: 'full' | 'changes_only';
  scope: ShapeScope;
  /** Stable name of this definition (table, columns, types, where, replica, log, scope). */
  hash: string;
  /** The `electric-schema` header value. */
  schemaHeader: string;
}

export type Query = Record<string, string | string[] | undefined>;

export function first(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Splits `a."b c".d` style lists on `sep` outside double quotes; unquoted parts are lowercased. */
function splitIdents(src: string, sep: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (src[i] === ' ') i++;
    let name = '';
    if (src[i] === '"') {
      i++;
      for (;;) {
        if (i >= src.length) return null;
        if (src[i] === '"') {
          if (src[i + 1] === '"') {
            name += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += src[i++];
      }
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(src.slice(i));
      if (!m) return null;
      name = m[0].toLowerCase();
      i += m[0].length;
    }
    while (src[i] === ' ') i++;
    out.push(name);
    if (i >= src.length) return out;
    if (src[i] !== sep) return null;
    i++;
  }
}

function parseTable(raw: string | undefined): ShapeTable {
  if (!raw) throw new ShapeRequestError('table', "can't be blank");
  const parts = splitIdents(raw, '.');
  const notFound = () =>
    new ShapeRequestError('table', `Table ${JSON.stringify(raw)} does not exist. If the table name contains capitals or special characters you must quote it.`);
  if (!parts || parts.length > 2 || (parts.length === 2 && parts[0] !== 'public')) throw notFound();
  const table = shapeTables.get(parts[parts.length - 1]!);
  if (!table) throw notFound();
  return table;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function schemaEntry(c: ColumnInfo): Record<string, unknown> {
  const e: Record<string, unknown> = { type: c.type };
  if (c.dims > 0) e.dims = c.dims;
  if (c.pkIndex !== null) e.pk_index = c.pkIndex;
  if (c.notNull) e.not_null = true;
  if ((c.type === 'varchar' || c.type === 'bpchar') && c.typmod > 4) e.max_length = c.typmod - 4;
  if (c.type === 'numeric' && c.typmod > 4) {
    e.precision = ((c.typmod - 4) >> 16) & 0xffff;
    e.scale = (c.typmod - 4) & 0xffff;
  }
  return e;
}

/** Types a where clause may compare (JSON and arrays are not comparable this way). */
const FILTERABLE = (c: ColumnInfo) => c.dims === 0 && c.type !== 'json' && c.type !== 'jsonb';

/** Positional where parameters: `params[1]=v` (deepObject) or `params` as a JSON object/array. */
function readParams(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    const m = /^params\[([1-9][0-9]{0,3})\]$/.exec(k);
    if (m && v !== undefined) out[m[1]!] = Array.isArray(v) ? v[0]! : v;
  }
  const json = first(query, 'params');
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new ShapeRequestError('params', 'must be a JSON object or array of strings');
    }
    const entries = Array.isArray(parsed)
      ? parsed.map((v, i) => [String(i + 1), v] as const)
      : parsed && typeof parsed === 'object'
        ? Object.entries(parsed)
        : null;
    if (!entries) throw new ShapeRequestError('params', 'must be a JSON object or array of strings');
    for (const [k, v] of entries) {
      if (!/^[1-9][0-9]{0,3}$/.test(k) || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean'))
        throw new ShapeRequestError('params', 'must map positions to string values');
      out[k] = String(v);
    }
  }
  return out;
}

export function checkScope(scope: ShapeScope): void {
  const ids = [...scope.companyIds, ...(scope.deviceIds ?? []), ...(scope.registerId ? [scope.registerId] : [])];
  if (!Array.isArray(scope.companyIds) || ids.some((id) => typeof id !== 'string' || !UUID.test(id))) throw new TypeError('ShapeScope ids must be uuids');
}

export async function resolveShape(database: Database, query: Query, scope: ShapeScope): Promise<ShapeDefinition> {
  const table = parseTable(first(query, 'table'));
  // A table the scope cannot see answers like an unknown table.
  if (!table.scope(scope, new Binder())) throw new ShapeRequestError('table', `Table ${JSON.stringify(first(query, 'table'))} is not available to this device`);
  const catalog = await loadCatalog(database, table.name);
  const allowed = table.columns.map((name) => {
    const c = catalog.columns.get(name);
    if (!c) throw new Error(`Allow-listed column ${table.name}.${name} is missing from the database`);
    return c;
  });

  let columns = allowed;
  const columnsParam = first(query, 'columns');
  if (columnsParam !== undefined && columnsParam !== '') {
    const names = splitIdents(columnsParam, ',');
    if (!names) throw new ShapeRequestError('columns', 'Invalid column list');
    const unknown = names.filter((n) => !table.columns.includes(n));
    if (unknown.length) throw new ShapeRequestError('columns', `The following columns could not be found: ${unknown.join(', ')}`);
    const missingPk = catalog.pk.filter((p) => !names.includes(p));
    if (missingPk.length) throw new ShapeRequestError('columns', `Must include all primary key columns, missing: ${missingPk.join(', ')}`);
    columns = allowed.filter((c) => names.includes(c.name));
  }
  const pk = catalog.pk.map((n) => catalog.columns.get(n)!);
  if (pk.some((c) => c.type !== 'uuid' || !table.columns.includes(c.name))) throw new Error(`Shape table ${table.name} needs an allow-listed uuid primary key`);

  const replicaParam = first(query, 'replica') ?? 'default';
  if (replicaParam !== 'default' && replicaParam !== 'full') throw new ShapeRequestError('replica', "must be one of 'default', 'full'");
  const logParam = first(query, 'log') ?? 'full';
  if (logParam !== 'full' && logParam !== 'changes_only') throw new ShapeRequestError('log', "must be one of 'full', 'changes_only'");

  const params = readParams(query);
  const whereParam = first(query, 'where');
  let conditions: Condition[] = [];
  if (whereParam !== undefined && whereParam.trim() !== '') {
    const filterable = new Set(allowed.filter(FILTERABLE).map((c) => c.name));
    try {
      conditions = parseWhere(whereParam, filterable, params);
    } catch (e) {
      if (e instanceof WhereError) throw new ShapeRequestError('where', e.message);
      throw e;
    }
  } else if (Object.keys(params).length) throw new ShapeRequestError('params', 'given without a where clause');

  const scopeKey = {
    companyIds: [...scope.companyIds].sort(),
    registerId: scope.registerId ?? null,
    deviceIds: [...(scope.deviceIds ?? [])].sort(),
  };
  const schemaHeader = JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, schemaEntry(c)])));
  const hash = hashOf({
    v: 1,
    table: table.name,
    columns: columns.map((c) => [c.name, c.type, c.dims]),
    conditions,
    replica: replicaParam,
    log: logParam,
    scope: scopeKey,
  });
  return {
    schema: 'public',
    table,
    columns,
    pk,
    allowed: new Map(allowed.map((c) => [c.name, c])),
    conditions,
    replica: replicaParam,
    log: logParam,
    scope,
    hash,
    schemaHeader,
  };
}

/**
 * The shape's row predicate (scope AND where) as SQL against an alias, with its values bound
 * into `b`. Call once per query; the returned function can be applied to several aliases.
 */
export function shapePredicate(def: ShapeDefinition, b: Binder): (alias: string) => string {
  const scope = def.table.scope(def.scope, b);
  if (!scope) throw new Error('scope cannot see this table');
  const where = whereSql(def.conditions, (column, value) => {
    // Filter columns may be outside `columns=` but are always in the table's allow-list.
    const c = def.allowed.get(column);
    if (!c) throw new Error(`unexpected column ${column}`);
    return b.bind(value, quoteIdent(c.type));
  });
  return (alias) => `COALESCE((${scope(alias)}) AND (${where(alias)}), false)`;
}
