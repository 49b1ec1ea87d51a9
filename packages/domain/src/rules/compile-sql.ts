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
 * whatever standard_conforming_strings is) or passed as parameters ($1, $2 …, exactly those the returned
 * SQL references, numbered in order of appearance); iteration variable names never reach the SQL.
 *
 * Errors follow CEL as the TypeScript evaluation does (evaluate.ts). An operation that can fail (int + - * /
 * and negation overflow, int() out of range, double overflow or underflow: `mayFail`) raises a PostgreSQL
 * error. PostgreSQL evaluates AND / OR left to right and stops at the deciding value, evaluates only the
 * taken branch of a CASE, and never evaluates a subquery's target list for a row its WHERE refuses; so:
 *   - `a && b` where only one side can fail is written with the side that cannot fail first, inside a CASE
 *     so that the planner cannot split it into separately ordered WHERE conditions:
 *     (CASE s WHEN FALSE THEN FALSE ELSE (s AND f) END) — false when s is false, whatever f gives;
 *   - an operation that can fail on constant operands only would be folded (and raise) while the statement
 *     is planned, before the deciding side or the CASE test is looked at; one operand is therefore wrapped
 *     in a CASE on the household key that the planner cannot fold, so it is evaluated (and fails) only
 *     where it is reached;
 *   - int() checks CEL's range -2^63 < x < 2^63 by converting the negated value (PostgreSQL's float8 → int8
 *     accepts -2^63);
 *   - a macro's predicate or transform that can fail reads the element (a CASE on it), so it is evaluated per
 *     element and never for an empty list, as in CEL.
 * What SQL cannot do is catch an error: when BOTH sides of && / || can fail, or a macro's predicate can fail
 * on one element while another decides, SQL raises the error where CEL (and the TypeScript evaluation) may
 * absorb it. No real rule does arithmetic near 2^63 or 1e308; such a rule fails in the warning run rather
 * than giving another answer.
 */
import { isScalar, type CheckedRule, type RuleExpr, type RuleType } from './ast';
import { HOUSEHOLD_KEY_COLUMNS, MEMBER_FACTS_TABLE, RULE_VARIABLES } from './environment';
import { constantFails } from './evaluate';

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

/** The sub-expressions of a node. */
function children(e: RuleExpr): RuleExpr[] {
  switch (e.kind) {
    case 'literal':
    case 'variable':
    case 'iterVar':
      return [];
    case 'field':
      return [e.target];
    case 'not':
    case 'neg':
    case 'isNull':
    case 'size':
    case 'convert':
      return [e.arg];
    case 'has':
      return [e.arg];
    case 'and':
    case 'or':
    case 'compare':
    case 'arith':
    case 'concat':
      return [e.left, e.right];
    case 'cond':
      return [e.test, e.then, e.otherwise];
    case 'in':
      return [e.elem, e.list];
    case 'list':
      return [...e.items];
    case 'stringTest':
      return [e.target, e.arg];
    case 'macro':
      return [e.range, ...(e.predicate ? [e.predicate] : []), ...(e.transform ? [e.transform] : [])];
  }
}

/** Whether this operation itself can raise an error (overflow, range), in CEL and in PostgreSQL. */
function failingOp(e: RuleExpr): boolean {
  if (e.kind === 'arith') return !(e.op === '%' && isScalar(e.type, 'int'));
  if (e.kind === 'neg') return isScalar(e.type, 'int');
  if (e.kind === 'convert') return e.to === 'int' && isScalar(e.arg.type, 'double');
  return false;
}

/** Whether evaluating the expression can raise an error (some operation in it can fail). */
export function mayFail(e: RuleExpr): boolean {
  return failingOp(e) || children(e).some(mayFail);
}

/** Whether the expression reads no facts and no iteration variable (PostgreSQL would fold it while planning). */
function isConstant(e: RuleExpr): boolean {
  return e.kind !== 'variable' && e.kind !== 'iterVar' && e.kind !== 'field' && children(e).every(isConstant);
}

/** Marks a string parameter in the SQL being built; replaced by $n at the end (NUL never occurs in SQL text). */
// eslint-disable-next-line no-control-regex -- NUL delimits the markers precisely because no SQL text contains it
const PARAM_MARK = /\u0000(\d+)\u0000/g;

function pgType(t: RuleType | null): string {
  if (t?.kind === 'scalar') {
    return { bool: 'boolean', int: 'bigint', double: 'float8', string: 'text' }[t.name];
  }
  throw new Error(`no SQL type for ${JSON.stringify(t)}`);
}

class SqlCompiler {
  /** string parameters by marker number, also those of sub-expressions left out of the SQL */
  private readonly params: string[] = [];
  private counter = 0;
  private readonly bindings = new Map<number, Binding>();
  private readonly h: string;
  private readonly memberTable: string;
  private readonly inline: boolean;
  private readonly firstParam: number;

  constructor(options: SqlCompileOptions) {
    this.h = options.householdAlias ?? 'h';
    this.memberTable = options.memberTable ?? MEMBER_FACTS_TABLE;
    if (!IDENT.test(this.h) || this.h.includes('.') || /^[mux]_\d+(_x)?$/.test(this.h)) throw new Error(`invalid household alias: ${this.h}`);
    if (!IDENT.test(this.memberTable)) throw new Error(`invalid member table: ${this.memberTable}`);
    this.inline = (options.literals ?? 'inline') === 'inline';
    this.firstParam = options.firstParam ?? 1;
  }

  private stringLiteral(value: string): string {
    if (this.inline) return `(${sqlStringLiteral(value)}::text)`;
    // A marker, numbered at the end: a sub-expression may be compiled and then left out ('a' in []).
    this.params.push(value);
    return `(\u0000${this.params.length - 1}\u0000::text)`;
  }

  /** The final SQL and its parameters: exactly the markers left in it, numbered densely in order of appearance. */
  finish(sql: string): CompiledSql {
    const numbers = new Map<number, number>();
    const params: string[] = [];
    const out = sql.replace(PARAM_MARK, (_, i: string) => {
      const k = Number(i);
      let n = numbers.get(k);
      if (n === undefined) {
        n = this.firstParam + params.length;
        numbers.set(k, n);
        params.push(this.params[k]!);
      }
      return `$${n}`;
    });
    return { sql: out, params };
  }

  /**
   * The SQL of an operand of an operation that can fail: when the operation is constant and fails, the
   * first operand is wrapped in a CASE on the household key, which PostgreSQL cannot fold while planning.
   */
  private failingOperand(e: RuleExpr, op: RuleExpr, operands: readonly RuleExpr[]): string {
    const sql = this.expr(e);
    if (e !== operands[0] || !isConstant(op) || !constantFails(op)) return sql;
    return `(CASE WHEN ${this.h}.${HOUSEHOLD_KEY_COLUMNS[1]} IS NULL THEN NULL ELSE ${sql} END)`;
  }

  /** `a && b` / `a || b` with CEL's absorption of an error by the deciding value on either side. */
  private logical(e: RuleExpr & { kind: 'and' | 'or' }): string {
    const op = e.kind === 'and' ? 'AND' : 'OR';
    const decisive = e.kind === 'and' ? 'FALSE' : 'TRUE';
    const lf = mayFail(e.left);
    const rf = mayFail(e.right);
    if (lf === rf) return `(${this.expr(e.left)} ${op} ${this.expr(e.right)})`;
    const safe = this.expr(lf ? e.right : e.left);
    const failing = this.expr(lf ? e.left : e.right);
    return `(CASE ${safe} WHEN ${decisive} THEN ${decisive} ELSE (${safe} ${op} ${failing}) END)`;
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
        return 'NULL';
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
      case 'or':
        return this.logical(e);
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
        return `(-${failingOp(e) ? this.failingOperand(e.arg, e, [e.arg]) : this.expr(e.arg)})`;
      case 'arith': {
        const operands = failingOp(e) ? [e.left, e.right] : [];
        const l = this.failingOperand(e.left, e, operands);
        const r = this.failingOperand(e.right, e, operands);
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
        const from = e.arg.type.kind === 'scalar' ? e.arg.type.name : '';
        if (e.to === from) return this.expr(e.arg);
        if (e.to === 'double') return `(${this.expr(e.arg)}::float8)`;
        // float8 → int8 accepts [-2^63, 2^63); through the negation it accepts (-2^63, 2^63], and the int8
        // negation back refuses 2^63: CEL's open range (-2^63, 2^63). NaN is refused by the cast.
        return `(-((-trunc(${this.failingOperand(e.arg, e, [e.arg])}))::bigint))`;
      }
      case 'size': {
        if (e.arg.type.kind === 'scalar') return `(char_length(${this.expr(e.arg)})::bigint)`;
        // The whole member list: the household's size, which the facts define as that count (no per-household count).
        if (e.arg.kind === 'variable') return `${this.h}.size`;
        const l = this.list(e.arg);
        if (l.kind === 'array') return `(cardinality(${l.sql})::bigint)`;
        if (l.kind === 'literal') {
          // the items are evaluated (and may fail) as in CEL; otherwise the count is a constant
          if (e.arg.kind === 'list' && e.arg.items.some(mayFail)) return `(cardinality(${this.listValue(e.arg)})::bigint)`;
          return `('${l.items.length}'::bigint)`;
        }
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

  /** A list-valued expression as an array (in the list's order). */
  listValue(e: RuleExpr): string {
    const l = this.list(e);
    const elemType = e.type.kind === 'list' ? e.type.elem : null;
    if (l.kind === 'array') return l.sql;
    if (l.kind === 'literal') return `(ARRAY[${l.items.join(', ')}]::${elemType ? pgType(elemType) : 'text'}[])`;
    if (l.elem.kind !== 'value') throw new Error('a list of records has no SQL value');
    return `(ARRAY(SELECT ${l.elem.sql} FROM ${l.from} WHERE ${this.where(l.where)}))`;
  }

  /**
   * A macro's predicate or transform. One that can fail is made to read the element, so that PostgreSQL
   * evaluates it per element (CEL evaluates it for no element of an empty list), never once beforehand as a
   * one-time filter or a condition pushed down to the household.
   */
  private perElement(elem: Binding, e: RuleExpr): string {
    const sql = this.expr(e);
    if (!mayFail(e)) return sql;
    const never = elem.kind === 'row' ? `${elem.alias}.${HOUSEHOLD_KEY_COLUMNS[1]} IS NULL` : `(${elem.sql} IS NULL) IS NULL`;
    return `(CASE WHEN ${never} THEN NULL ELSE ${sql} END)`;
  }

  private where(conds: readonly string[]): string {
    return conds.length === 0 ? 'TRUE' : conds.join(' AND ');
  }

  private inList(e: RuleExpr & { kind: 'in' }): string {
    const x = this.expr(e.elem);
    const l = this.list(e.list);
    if (l.kind === 'literal') {
      // PostgreSQL turns `x IN (a, b)` with column items into `x = a OR …`, which stops at a match; when an
      // item can fail, ARRAY[…] evaluates every item first, as CEL builds the whole list.
      if (l.items.length > 0 && (e.list.kind === 'list' && e.list.items.some(mayFail))) return `(${x} = ANY(${this.listValue(e.list)}))`;
      if (l.items.length > 0) return `(${x} IN (${l.items.join(', ')}))`;
      // `x in []` is false, but x is evaluated (and may fail) as in CEL
      return mayFail(e.elem) ? `(CASE WHEN ${x} IS NULL THEN FALSE ELSE FALSE END)` : 'FALSE';
    }
    if (l.kind === 'array') return `(${x} = ANY(${l.sql}))`;
    if (l.elem.kind !== 'value') throw new Error('cannot look up a value among records');
    if (!mayFail(e)) return `(${x} IN (SELECT ${l.elem.sql} FROM ${l.from} WHERE ${this.where(l.where)}))`;
    // IN (SELECT …) stops at the first match and may not evaluate x for an empty list; where something can
    // fail, x is evaluated once (OFFSET 0 keeps it from being inlined) and an aggregate reads every element,
    // as CEL evaluates x and builds the whole list: true on a match, else null if a null took part, else false.
    const a = `x_${++this.counter}`;
    return `(SELECT CASE WHEN bool_or(${a}.c) THEN TRUE WHEN count(*) > count(${a}.c) THEN NULL ELSE FALSE END FROM (SELECT ${x} AS v OFFSET 0) ${a}_x CROSS JOIN LATERAL (SELECT (${a}_x.v = ${l.elem.sql}) AS c FROM ${l.from} WHERE ${this.where(l.where)}) ${a})`;
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
      const where = e.predicate ? [...rel.where, `(${this.perElement(rel.elem, e.predicate)})`] : rel.where;
      let elem: Binding = rel.elem;
      if (e.macro === 'map') {
        const t = e.transform!;
        if (!(t.kind === 'iterVar' && t.id === e.varId)) elem = { kind: 'value', sql: this.perElement(rel.elem, t) };
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
    const p = this.perElement(rel.elem, e.predicate!);
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
  return c.finish(c.expr(rule.ast));
}

/**
 * The SQL of the value of any checked expression (previews, tests): a scalar as compileSql gives it, a list
 * of simple values as an array in the list's order, the null literal as NULL.
 */
export function compileSqlValue(rule: CheckedRule, options: SqlCompileOptions = {}): CompiledSql {
  const c = new SqlCompiler(options);
  return c.finish(rule.ast.type.kind === 'list' ? c.listValue(rule.ast) : c.expr(rule.ast));
}
