// A client-supplied `where` is parsed into a structured filter; it is never pasted into SQL.
// Accepted grammar (keywords case-insensitive):
//   where := cond (AND cond)*
//   cond  := '(' where ')' | column op value | column [NOT] IN '(' value (',' value)* ')'
//          | column IS [NOT] NULL
//   op    := = | <> | != | < | <= | > | >=
//   value := $n | 'string' | number | TRUE | FALSE
//   column:= identifier | "quoted identifier"  (must be an allow-listed, non-JSON column)
// Every value is bound as a parameter cast to the column's catalog type.

export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'cmp'; column: string; op: CmpOp; value: string }
  | { kind: 'in'; column: string; not: boolean; values: string[] }
  | { kind: 'null'; column: string; not: boolean };

export class WhereError extends Error {}

type Token =
  | { t: 'ident'; v: string; quoted: boolean; at: number }
  | { t: 'kw'; v: 'AND' | 'IN' | 'IS' | 'NOT' | 'NULL' | 'TRUE' | 'FALSE'; at: number; raw: string }
  | { t: 'param'; v: number; at: number; raw: string }
  | { t: 'str'; v: string; at: number; raw: string }
  | { t: 'num'; v: string; at: number }
  | { t: 'op'; v: CmpOp; at: number; raw: string }
  | { t: 'punct'; v: '(' | ')' | ','; at: number };

const KEYWORDS = new Set(['AND', 'IN', 'IS', 'NOT', 'NULL', 'TRUE', 'FALSE']);
const MAX_WHERE_LENGTH = 4000;
const MAX_CONDITIONS = 32;
const MAX_IN_VALUES = 1000;

function syntaxError(at: number, near: string): never {
  throw new WhereError(`At location ${at}: syntax error at or near "${near}"`);
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      const raw = src.slice(i, j);
      const up = raw.toUpperCase();
      if (KEYWORDS.has(up)) out.push({ t: 'kw', v: up as 'AND', at, raw });
      else out.push({ t: 'ident', v: raw.toLowerCase(), quoted: false, at });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= src.length) syntaxError(at, src.slice(at, at + 10));
        if (src[j] === c) {
          if (src[j + 1] === c) {
            v += c;
            j += 2;
            continue;
          }
          break;
        }
        v += src[j];
        j++;
      }
      if (v.includes('\0')) syntaxError(at, c);
      if (c === '"') {
        if (v === '') syntaxError(at, '""');
        out.push({ t: 'ident', v, quoted: true, at });
      } else out.push({ t: 'str', v, at, raw: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const m = /^\$([1-9][0-9]{0,3})/.exec(src.slice(i));
      if (!m) syntaxError(at, '$');
      out.push({ t: 'param', v: Number(m[1]), at, raw: m[0] });
      i += m[0].length;
      continue;
    }
    const num = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
    if (num && (c !== '-' || /[0-9]/.test(src[i + 1] ?? ''))) {
      // A number must not run into an identifier (`1e5`, `1x`).
      const next = src[i + num[0].length];
      if (next !== undefined && /[A-Za-z_$.]/.test(next)) syntaxError(at, num[0] + next);
      out.push({ t: 'num', v: num[0], at });
      i += num[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '<>' || two === '!=') {
      out.push({ t: 'op', v: two === '!=' ? '<>' : two, at, raw: two });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      out.push({ t: 'op', v: c, at, raw: c });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c, at });
      i++;
      continue;
    }
    syntaxError(at, c);
  }
  return out;
}

export interface WhereColumns {
  /** Columns a filter may use (allow-listed and comparable). */
  has(column: string): boolean;
}

/**
 * Parses `where` into a conjunction of conditions with every value resolved to a string
 * (positional parameters looked up in `params`).
 */
export function parseWhere(src: string, columns: WhereColumns, params: Record<string, string>): Condition[] {
  if (src.length > MAX_WHERE_LENGTH) throw new WhereError(`Where clause longer than ${MAX_WHERE_LENGTH} characters`);
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const endAt = src.length;
  const fail = (): never => {
    const tok = tokens[pos];
    if (!tok) syntaxError(endAt, '');
    const raw = 'raw' in tok ? tok.raw : String(tok.v);
    return syntaxError(tok.at, raw);
  };
  const usedParams = new Set<number>();

  const column = (): string => {
    const tok = peek();
    if (!tok || tok.t !== 'ident') return fail();
    pos++;
    if (!columns.has(tok.v)) throw new WhereError(`At location ${tok.at}: unknown reference ${tok.quoted ? `"${tok.v}"` : tok.v}`);
    return tok.v;
  };
  const value = (): string => {
    const tok = peek();
    if (!tok) return fail();
    if (tok.t === 'param') {
      pos++;
      const v = params[String(tok.v)];
      if (v === undefined) throw new WhereError(`At location ${tok.at}: parameter $${tok.v} was not provided`);
      usedParams.add(tok.v);
      return v;
    }
    if (tok.t === 'str' || tok.t === 'num') {
      pos++;
      return tok.v;
    }
    if (tok.t === 'kw' && (tok.v === 'TRUE' || tok.v === 'FALSE')) {
      pos++;
      return tok.v.toLowerCase();
    }
    return fail();
  };
  const isKw = (v: string) => {
    const tok = peek();
    return tok?.t === 'kw' && tok.v === v;
  };
  const isPunct = (v: string) => {
    const tok = peek();
    return tok?.t === 'punct' && tok.v === v;
  };
  const out: Condition[] = [];

  const conjunction = (depth: number): void => {
    if (depth > 8) fail();
    condition(depth);
    while (isKw('AND')) {
      pos++;
      condition(depth);
    }
  };
  const condition = (depth: number): void => {
    if (isPunct('(')) {
      pos++;
      conjunction(depth + 1);
      if (!isPunct(')')) fail();
      pos++;
      return;
    }
    const c = column();
    const tok = peek();
    if (tok?.t === 'op') {
      pos++;
      out.push({ kind: 'cmp', column: c, op: tok.v, value: value() });
    } else if (isKw('IS')) {
      pos++;
      let not = false;
      if (isKw('NOT')) {
        pos++;
        not = true;
      }
      if (!isKw('NULL')) fail();
      pos++;
      out.push({ kind: 'null', column: c, not });
    } else if (isKw('IN') || isKw('NOT')) {
      const not = isKw('NOT');
      if (not) {
        pos++;
        if (!isKw('IN')) fail();
      }
      pos++;
      if (!isPunct('(')) fail();
      pos++;
      const values = [value()];
      while (isPunct(',')) {
        pos++;
        values.push(value());
        if (values.length > MAX_IN_VALUES) throw new WhereError(`IN lists are limited to ${MAX_IN_VALUES} values`);
      }
      if (!isPunct(')')) fail();
      pos++;
      out.push({ kind: 'in', column: c, not, values });
    } else fail();
    if (out.length > MAX_CONDITIONS) throw new WhereError(`Where clauses are limited to ${MAX_CONDITIONS} conditions`);
  };

  if (tokens.length === 0) syntaxError(0, '');
  conjunction(0);
  if (pos < tokens.length) fail();
  for (const k of Object.keys(params)) {
    if (!usedParams.has(Number(k))) throw new WhereError(`Parameter $${k} is not used in the where clause`);
  }
  return out;
}

/** SQL for the parsed filter against a row alias; `bind` casts every value to the column's type. */
export function whereSql(conds: Condition[], bind: (column: string, value: string) => string): (alias: string) => string {
  const parts = conds.map((c) => {
    if (c.kind === 'cmp') {
      const p = bind(c.column, c.value);
      return (col: string) => `${col} ${c.op} ${p}`;
    }
    if (c.kind === 'in') {
      const ps = c.values.map((v) => bind(c.column, v)).join(', ');
      return (col: string) => `${col} ${c.not ? 'NOT IN' : 'IN'} (${ps})`;
    }
    return (col: string) => `${col} IS ${c.not ? 'NOT ' : ''}NULL`;
  });
  return (alias) => (conds.length === 0 ? 'true' : conds.map((c, i) => parts[i]!(`${alias}."${c.column.replace(/"/g, '""')}"`)).join(' AND '));
}
