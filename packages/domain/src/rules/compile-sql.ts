/**
 * Translation of a checked rule into ONE PostgreSQL boolean expression over the household fact row.
 *
 * The expression reads the household fact table through the alias `h` (option householdAlias): the
 * household's fields as `h.<column>`, this year's income as `h.income_<column>`, last year's as
 * `h.last_income_<column>`, the policy settings as `h.policy_<column>` (environment.ts, factTablesDdl).
 * Member lists become correlated subqueries on the member fact table joined by the household key:
 *
 *   members.exists(m, p)          EXISTS (SELECT 1 FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code
 *                                   AND m_1.household_id = h.household_id AND (p))
 *   members.all(m, p)             NOT EXISTS (… AND (p) IS NOT TRUE)
 *   members.exists_one(m, p)      ((SELECT count(*) FROM … AND (p)) = 1)
 *   members.filter(m, p).size()   (SELECT count(*) FROM … AND (p))
 *   size(members)                 h.size (the facts define the household's size as its number of members)
 *   x in members.map(m, m.age)    (x IN (SELECT m_1.age FROM …))
 *   'chronic' in m.health         ('chronic' = ANY(m_1.health));  macros over it use unnest(m_1.health)
 *
 * A rule matches where the expression is TRUE: use it as `WHERE (<sql>)` or `(<sql>) IS TRUE`.
 * SQL's three-valued logic is the null semantics of the rules (environment.ts), so the translation is
 * direct; the points where SQL would differ from the TypeScript evaluation are handled here: division and
 * remainder by zero give NULL (NULLIF), int literals are bigint (no int4 overflow), int/double comparisons
 * convert the int explicitly, string ordering uses COLLATE "C" (code-point order), `c ? a : b` is NULL when c
 * is NULL (a simple CASE), and the macros test `(p)` / `(p) IS NOT TRUE` so that an unknown predicate does
 * not count.
 *
 * String literals are either inlined as E'…' literals with every quote and backslash escaped (valid
 * whatever standard_conforming_strings is) or passed as parameters ($1, $2 …); iteration variable names
 * never reach the SQL.
 */
import type { CheckedRule, RuleExpr, RuleType } from './ast';
import { HOUSEHOLD_KEY_COLUMNS, MEMBER_FACTS_TABLE, RULE_VARIABLES } from './environment';

export interface SqlCompileOptions {
  /** alias of the household fact row in the surrounding query (default 'h') */
  householdAlias?: string;
  /** the member fact table (default rule_member_facts); may be schema-qualified */
  memberTable?: string;
  /** 'inline' (default): string literals as escaped E'…' literals; 'params': as $n parameters */
  literals?: 'inline' | 'params';
  /** number of the first parameter in 'params' mode (default 1) */
  firstParam?: number;
}

export interface CompiledSql {
  /** a boolean SQL expression; the rule matches where it is TRUE */
  sql: string;
  /** values of $firstParam, $firstParam+1 … ('params' mode) */
  params: string[];
}

/** How an element of a list is seen inside a subquery. */
type Binding = { kind: 'row'; alias: string } | { kind: 'value'; sql: string };

type ListSql =
  /** a set of rows: FROM … WHERE … with one element binding per row */
  | { kind: 'rel'; from: string; where: string[]; elem: Binding }
  /** a text[] column */
  | { kind: 'array'; sql: string }
  /** a list literal */
  | { kind: 'literal'; items: string[] };

const IDENT = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** E'…' literal: quotes doubled and backslashes escaped, so the value is exact under any setting. */
export function sqlStringLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('a SQL string cannot contain NUL');
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function pgType(t: RuleType | null): string {
  if (t?.kind === 'scalar') {
    return { bool: 'boolean', int: 'bigint', double: 'float8', string: 'text' }[t.name];
  }
  throw new Error(`no SQL type for ${JSON.stringify(t)}`);
}

class SqlCompiler {
  readonly params: string[] = [];
  private counter = 0;
  private readonly bindings = new Map<number, Binding>();
  private readonly h: string;
  private readonly memberTable: string;
  private readonly inline: boolean;
  private readonly firstParam: number;

  constructor(options: SqlCompileOptions) {
    this.h = options.householdAlias ?? 'h';
    this.memberTable = options.memberTable ?? MEMBER_FACTS_TABLE;
    if (!IDENT.test(this.h) || this.h.includes('.') || /^[mu]_\d+$/.test(this.h)) throw new Error(`invalid household alias: ${this.h}`);
    if (!IDENT.test(this.memberTable)) throw new Error(`invalid member table: ${this.memberTable}`);
    this.inline = (options.literals ?? 'inline') === 'inline';
    this.firstParam = options.firstParam ?? 1;
  }

  private stringLiteral(value: string): string {
    if (this.inline) return `(${sqlStringLiteral(value)}::text)`;
    this.params.push(value);
    return `($${this.firstParam + this.params.length - 1}::text)`;
  }

  private column(target: RuleExpr, column: string): string {
    if (target.kind === 'variable') {
      const v = RULE_VARIABLES.find((x) => x.name === target.name)!;
      return `${this.h}.${v.columnPrefix}${column}`;
    }
    if (target.kind === 'iterVar') {
      const b = this.bindings.get(target.id);
      if (b?.kind === 'row') return `${b.alias}.${column}`;
    }
    throw new Error('field access on an expression that is not a record');
  }

  expr(e: RuleExpr): string {
    switch (e.kind) {
      case 'literal': {
        const v = e.value;
        if (typeof v === 'bigint') return `('${v.toString()}'::bigint)`;
        if (typeof v === 'number') return `('${String(v)}'::float8)`;
        if (typeof v === 'string') return this.stringLiteral(v);
        if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
        throw new Error('null literal outside a null test');
      }
      case 'iterVar': {
        const b = this.bindings.get(e.id);
        if (b?.kind === 'value') return b.sql;
        throw new Error('a record used as a value');
      }
      case 'variable':
        throw new Error('a record or list used as a value');
      case 'field':
        return this.column(e.target, e.field.column);
      case 'not':
        return `(NOT ${this.expr(e.arg)})`;
      case 'and':
        return `(${this.expr(e.left)} AND ${this.expr(e.right)})`;
      case 'or':
        return `(${this.expr(e.left)} OR ${this.expr(e.right)})`;
      case 'cond':
        return `(CASE ${this.expr(e.test)} WHEN TRUE THEN ${this.expr(e.then)} WHEN FALSE THEN ${this.expr(e.otherwise)} END)`;
      case 'isNull':
        return `(${this.expr(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
      case 'has':
        return e.arg.field.type === 'list<string>' ? 'TRUE' : `(${this.expr(e.arg)} IS NOT NULL)`;
      case 'compare': {
        let l = this.expr(e.left);
        let r = this.expr(e.right);
        if (e.mixed) {
          if (e.left.type.kind === 'scalar' && e.left.type.name === 'int') l = `${l}::float8`;
          else r = `${r}::float8`;
        }
        const op = e.op === '==' ? '=' : e.op === '!=' ? '<>' : e.op;
        const isString = e.left.type.kind === 'scalar' && e.left.type.name === 'string';
        if (isString && op !== '=' && op !== '<>') return `(${l} COLLATE "C" ${op} ${r})`;
        return `(${l} ${op} ${r})`;
      }
      case 'neg':
        return `(-${this.expr(e.arg)})`;
      case 'arith': {
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        const zero = e.type.kind === 'scalar' && e.type.name === 'int' ? `'0'::bigint` : `'0'::float8`;
        if (e.op === '/' || e.op === '%') return `(${l} ${e.op} NULLIF(${r}, ${zero}))`;
        return `(${l} ${e.op} ${r})`;
      }
      case 'concat':
        return `(${this.expr(e.left)} || ${this.expr(e.right)})`;
      case 'stringTest': {
        const s = this.expr(e.target);
        const a = this.expr(e.arg);
        if (e.fn === 'startsWith') return `starts_with(${s}, ${a})`;
        if (e.fn === 'endsWith') return `(right(${s}, char_length(${a})) = ${a})`;
        return `(strpos(${s}, ${a}) > 0)`;
      }
      case 'convert': {
        const x = this.expr(e.arg);
        const from = e.arg.type.kind === 'scalar' ? e.arg.type.name : '';
        if (e.to === from) return x;
        return e.to === 'double' ? `(${x}::float8)` : `(trunc(${x})::bigint)`;
      }
      case 'size': {
        if (e.arg.type.kind === 'scalar') return `(char_length(${this.expr(e.arg)})::bigint)`;
        // The whole member list: the household's size, which the facts define as that count (no per-household count).
        if (e.arg.kind === 'variable') return `${this.h}.size`;
        const l = this.list(e.arg);
        if (l.kind === 'array') return `(cardinality(${l.sql})::bigint)`;
        if (l.kind === 'literal') return `('${l.items.length}'::bigint)`;
        return `(SELECT count(*) FROM ${l.from} WHERE ${this.where(l.where)})`;
      }
      case 'in':
        return this.inList(e);
      case 'macro':
        return this.macroBool(e);
      case 'list':
        throw new Error('a list used as a value');
    }
  }

  private where(conds: readonly string[]): string {
    return conds.length === 0 ? 'TRUE' : conds.join(' AND ');
  }

  private inList(e: RuleExpr & { kind: 'in' }): string {
    const x = this.expr(e.elem);
    const l = this.list(e.list);
    if (l.kind === 'literal') return l.items.length === 0 ? 'FALSE' : `(${x} IN (${l.items.join(', ')}))`;
    if (l.kind === 'array') return `(${x} = ANY(${l.sql}))`;
    if (l.elem.kind !== 'value') throw new Error('cannot look up a value among records');
    return `(${x} IN (SELECT ${l.elem.sql} FROM ${l.from} WHERE ${this.where(l.where)}))`;
  }

  /** A list expression as SQL: a relation, an array column or a literal. */
  private list(e: RuleExpr): ListSql {
    if (e.kind === 'variable') {
      const alias = `m_${++this.counter}`;
      const where = HOUSEHOLD_KEY_COLUMNS.map((k) => `${alias}.${k} = ${this.h}.${k}`);
      return { kind: 'rel', from: `${this.memberTable} ${alias}`, where, elem: { kind: 'row', alias } };
    }
    if (e.kind === 'field') return { kind: 'array', sql: this.expr(e) };
    if (e.kind === 'list') return { kind: 'literal', items: e.items.map((i) => this.expr(i)) };
    if (e.kind === 'macro' && (e.macro === 'filter' || e.macro === 'map')) {
      const rel = this.relation(e.range);
      this.bindings.set(e.varId, rel.elem);
      const where = e.predicate ? [...rel.where, `(${this.expr(e.predicate)})`] : rel.where;
      let elem: Binding = rel.elem;
      if (e.macro === 'map') {
        const t = e.transform!;
        if (!(t.kind === 'iterVar' && t.id === e.varId)) elem = { kind: 'value', sql: this.expr(t) };
      }
      return { kind: 'rel', from: rel.from, where, elem };
    }
    throw new Error(`not a list expression: ${e.kind}`);
  }

  /** A list as a relation (array columns and literals through unnest). */
  private relation(e: RuleExpr): ListSql & { kind: 'rel' } {
    const l = this.list(e);
    if (l.kind === 'rel') return l;
    const alias = `u_${++this.counter}`;
    if (l.kind === 'array') return { kind: 'rel', from: `unnest(${l.sql}) ${alias}(v)`, where: [], elem: { kind: 'value', sql: `${alias}.v` } };
    const elemType = e.type.kind === 'list' ? e.type.elem : null;
    return {
      kind: 'rel',
      from: `unnest(ARRAY[${l.items.join(', ')}]::${pgType(elemType)}[]) ${alias}(v)`,
      where: [],
      elem: { kind: 'value', sql: `${alias}.v` },
    };
  }

  private macroBool(e: RuleExpr & { kind: 'macro' }): string {
    const rel = this.relation(e.range);
    this.bindings.set(e.varId, rel.elem);
    const p = this.expr(e.predicate!);
    switch (e.macro) {
      case 'exists':
        return `EXISTS (SELECT 1 FROM ${rel.from} WHERE ${this.where([...rel.where, `(${p})`])})`;
      case 'all':
        return `(NOT EXISTS (SELECT 1 FROM ${rel.from} WHERE ${this.where([...rel.where, `(${p}) IS NOT TRUE`])}))`;
      case 'exists_one':
        return `((SELECT count(*) FROM ${rel.from} WHERE ${this.where([...rel.where, `(${p})`])}) = 1)`;
      default:
        throw new Error(`${e.macro}() is a list, not a value`);
    }
  }
}

/**
 * The SQL boolean expression of a checked rule (see the module comment for the tables and aliases it
 * expects). Throws only on invalid options; every checked rule translates.
 */
export function compileSql(rule: CheckedRule, options: SqlCompileOptions = {}): CompiledSql {
  const c = new SqlCompiler(options);
  const sql = c.expr(rule.ast);
  return { sql, params: c.params };
}
