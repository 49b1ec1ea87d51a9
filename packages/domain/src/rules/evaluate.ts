/**
 * Evaluation of a checked rule on one household's facts, in TypeScript (instant feedback on forms, the
 * dry run of one household). It implements exactly the semantics of the SQL translation (compile-sql.ts);
 * see environment.ts for the null semantics. Ints are 64-bit (BigInt), doubles IEEE 754 as in
 * PostgreSQL's double precision; strings compare by code point (the SQL uses COLLATE "C").
 *
 * Errors (integer overflow, int() out of range, double overflow or underflow) follow CEL: `false && x` and
 * `x && false` are false and `true || x` and `x || true` are true even when x is an error (the error is
 * absorbed in either order); the branch of `?:` that is not taken is not evaluated; `exists` is true when one
 * element is true and `all` false when one is not true, whatever the other elements give; the transform of
 * a three-argument `map` is evaluated only for the kept elements. Any other error is the rule's value (the
 * call throws RuleEvaluationError). The SQL translation gives the same answers (compile-sql.ts, where the one
 * case SQL cannot follow is described). Facts of the wrong shape are never absorbed (RuleFactsError).
 */
import type { CheckedRule, RuleExpr } from './ast';
import { RULE_VARIABLES, type RuleFacts, type RuleField } from './environment';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A message value: the facts object of a household, member, income record or the policy. */
interface MessageValue {
  readonly message: true;
  readonly data: Readonly<Record<string, unknown>>;
}

export type RuleValue = null | boolean | bigint | number | string | readonly RuleValue[] | MessageValue;

export class RuleEvaluationError extends Error {
  constructor(
    readonly messageZh: string,
    readonly messageEn: string,
    readonly offset: number,
  ) {
    super(`${messageZh} (${messageEn})`);
    this.name = 'RuleEvaluationError';
  }
}

/** The facts do not have the declared shape: a programming error, never absorbed by && / ||. */
export class RuleFactsError extends RuleEvaluationError {
  constructor(messageZh: string, messageEn: string, offset: number) {
    super(messageZh, messageEn, offset);
    this.name = 'RuleFactsError';
  }
}

/** Whether an error thrown by a sub-expression may be absorbed (CEL's commutative && / ||). */
function absorbable(e: unknown): e is RuleEvaluationError {
  return e instanceof RuleEvaluationError && !(e instanceof RuleFactsError);
}

/** A sub-expression's value, or the evaluation error it raised. */
type Outcome = { ok: true; value: RuleValue } | { ok: false; error: RuleEvaluationError };

function msg(data: unknown): MessageValue {
  return { message: true, data: (data ?? {}) as Record<string, unknown> };
}

function isMessage(v: RuleValue): v is MessageValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as MessageValue).message === true;
}

function readField(data: Readonly<Record<string, unknown>>, f: RuleField, at: number): RuleValue {
  const raw = data[f.name];
  if (raw === undefined || raw === null) {
    if (f.type === 'list<string>') return [];
    if (f.nullable) return null;
    throw new RuleFactsError(`事实数据缺少必填字段“${f.name}”`, `The facts lack the required field '${f.name}'`, at);
  }
  const bad = () => new RuleFactsError(`事实字段“${f.name}”的值类型不对`, `The fact field '${f.name}' has a value of the wrong type`, at);
  switch (f.type) {
    case 'int':
      if (typeof raw === 'bigint') return raw;
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return BigInt(raw);
      throw bad();
    case 'double':
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      if (typeof raw === 'bigint') return Number(raw);
      throw bad();
    case 'string':
      if (typeof raw === 'string') return raw;
      throw bad();
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      throw bad();
    case 'list<string>':
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw as string[];
      throw bad();
  }
}

/** Compares strings by Unicode code point, as PostgreSQL does under COLLATE "C" (UTF-8 byte order). */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  return 0;
}

function checkInt(v: bigint, at: number): bigint {
  if (v < INT64_MIN || v > INT64_MAX) throw new RuleEvaluationError('整数运算溢出', 'Integer overflow', at);
  return v;
}

function overflow(at: number): never {
  throw new RuleEvaluationError('小数运算超出范围', 'Double value out of range', at);
}

/** Three-way comparison of two non-null simple values of compatible types. */
function compareValues(a: RuleValue, b: RuleValue): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const x = Number(a as number | bigint);
  const y = Number(b as number | bigint);
  return x < y ? -1 : x > y ? 1 : 0;
}

function kleeneEquals(a: RuleValue, b: RuleValue): boolean | null {
  if (a === null || b === null) return null;
  return compareValues(a, b) === 0;
}

class Evaluator {
  private readonly vars = new Map<number, RuleValue>();
  private readonly globals: Record<string, RuleValue>;

  constructor(facts: RuleFacts) {
    this.globals = {};
    for (const v of RULE_VARIABLES) {
      if (v.list) this.globals[v.name] = (facts[v.name as 'members'] ?? []).map((m) => msg(m));
      else this.globals[v.name] = msg(facts[v.name as 'household' | 'income' | 'lastIncome' | 'policy']);
    }
  }

  eval(e: RuleExpr): RuleValue {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'variable':
        return this.globals[e.name]!;
      case 'iterVar':
        return this.vars.get(e.id)!;
      case 'field': {
        const t = this.eval(e.target);
        if (!isMessage(t)) throw new RuleFactsError('字段访问的对象不是记录', 'Field access on a non-record', e.start);
        return readField(t.data, e.field, e.start);
      }
      case 'not': {
        const v = this.eval(e.arg);
        return v === null ? null : !v;
      }
      case 'and':
      case 'or': {
        // CEL: the deciding value (false for &&, true for ||) wins over an error on either side.
        const decisive = e.kind === 'or';
        const l = this.attempt(e.left);
        if (l.ok && l.value === decisive) return decisive;
        const r = this.attempt(e.right);
        if (r.ok && r.value === decisive) return decisive;
        if (!l.ok) throw l.error;
        if (!r.ok) throw r.error;
        if (l.value === null || r.value === null) return null;
        return !decisive;
      }
      case 'cond': {
        const t = this.eval(e.test);
        if (t === null) return null;
        return t ? this.eval(e.then) : this.eval(e.otherwise);
      }
      case 'isNull': {
        const v = this.eval(e.arg);
        return (v === null) !== e.negated;
      }
      case 'has': {
        const v = this.eval(e.arg);
        return v !== null;
      }
      case 'compare': {
        const l = this.eval(e.left);
        const r = this.eval(e.right);
        if (l === null || r === null) return null;
        const c = compareValues(l, r);
        return e.op === '==' ? c === 0 : e.op === '!=' ? c !== 0 : e.op === '<' ? c < 0 : e.op === '<=' ? c <= 0 : e.op === '>' ? c > 0 : c >= 0;
      }
      case 'neg': {
        const v = this.eval(e.arg);
        if (v === null) return null;
        if (typeof v === 'bigint') return checkInt(-v, e.start);
        return -(v as number);
      }
      case 'arith':
        return this.arith(e);
      case 'concat': {
        const l = this.eval(e.left);
        const r = this.eval(e.right);
        return l === null || r === null ? null : (l as string) + (r as string);
      }
      case 'in': {
        const x = this.eval(e.elem);
        const list = this.eval(e.list) as readonly RuleValue[];
        let unknown = false;
        for (const item of list) {
          const eq = kleeneEquals(x, item);
          if (eq === true) return true;
          if (eq === null) unknown = true;
        }
        return unknown ? null : false;
      }
      case 'list':
        return e.items.map((i) => this.eval(i));
      case 'size': {
        const v = this.eval(e.arg);
        if (v === null) return null;
        if (typeof v === 'string') return BigInt([...v].length);
        return BigInt((v as readonly RuleValue[]).length);
      }
      case 'stringTest': {
        const s = this.eval(e.target);
        const a = this.eval(e.arg);
        if (s === null || a === null) return null;
        const str = s as string;
        const arg = a as string;
        return e.fn === 'startsWith' ? str.startsWith(arg) : e.fn === 'endsWith' ? str.endsWith(arg) : str.includes(arg);
      }
      case 'convert': {
        const v = this.eval(e.arg);
        if (v === null) return null;
        if (e.to === 'double') return Number(v as number | bigint);
        if (typeof v === 'bigint') return v;
        const t = Math.trunc(v as number);
        // CEL's range: -2^63 < t < 2^63 (both doubles nearest the bounds, ±2^63, are refused; NaN too)
        if (!(t > -9223372036854775808 && t < 9223372036854775808)) {
          throw new RuleEvaluationError('int() 的值超出整数范围', 'int() value out of the integer range', e.start);
        }
        return BigInt(t);
      }
      case 'macro':
        return this.macro(e);
    }
  }

  private arith(e: RuleExpr & { kind: 'arith' }): RuleValue {
    const l = this.eval(e.left);
    const r = this.eval(e.right);
    if (l === null || r === null) return null;
    if (typeof l === 'bigint' && typeof r === 'bigint') {
      switch (e.op) {
        case '+': return checkInt(l + r, e.start);
        case '-': return checkInt(l - r, e.start);
        case '*': return checkInt(l * r, e.start);
        case '/': return r === 0n ? null : checkInt(l / r, e.start);
        case '%': return r === 0n ? null : l % r;
      }
    }
    const a = l as number;
    const b = r as number;
    let v: number;
    switch (e.op) {
      case '+':
        v = a + b;
        break;
      case '-':
        v = a - b;
        break;
      case '*':
        v = a * b;
        if (v === 0 && a !== 0 && b !== 0) overflow(e.start);
        break;
      case '/':
        if (b === 0) return null;
        v = a / b;
        if (v === 0 && a !== 0) overflow(e.start);
        break;
      default:
        throw new RuleEvaluationError('% 只能用于整数', '% applies to int only', e.start);
    }
    if (!Number.isFinite(v)) overflow(e.start);
    return v;
  }

  /** Evaluates a sub-expression, catching an evaluation error that && / || / a macro may absorb. */
  private attempt(e: RuleExpr): Outcome {
    try {
      return { ok: true, value: this.eval(e) };
    } catch (x) {
      if (absorbable(x)) return { ok: false, error: x };
      throw x;
    }
  }

  private macro(e: RuleExpr & { kind: 'macro' }): RuleValue {
    const items = this.eval(e.range) as readonly RuleValue[];
    try {
      if (e.macro === 'exists' || e.macro === 'all') {
        // CEL folds these with || and &&: one deciding element wins over errors of the others.
        // (all: an element whose predicate is not true — false or unknown — decides.)
        let error: RuleEvaluationError | null = null;
        for (const item of items) {
          this.vars.set(e.varId, item);
          const o = this.attempt(e.predicate!);
          if (!o.ok) error ??= o.error;
          else if (e.macro === 'exists' ? o.value === true : o.value !== true) return e.macro === 'exists';
        }
        if (error) throw error;
        return e.macro === 'all';
      }
      const kept: RuleValue[] = [];
      for (const item of items) {
        this.vars.set(e.varId, item);
        if (e.predicate && this.eval(e.predicate) !== true) continue;
        kept.push(e.macro === 'map' ? this.eval(e.transform!) : item);
      }
      if (e.macro === 'exists_one') return kept.length === 1;
      return kept;
    } finally {
      this.vars.delete(e.varId);
    }
  }
}

/**
 * The value of a checked expression for one household: true/false, null (unknown), a number (int as
 * bigint), a string or a list. Throws RuleEvaluationError on overflow or facts of the wrong shape.
 */
export function evaluateExpression(rule: CheckedRule, facts: RuleFacts): RuleValue {
  return new Evaluator(facts).eval(rule.ast);
}

/** Whether a sub-expression that reads no facts raises an evaluation error (used by the SQL translation). */
export function constantFails(e: RuleExpr): boolean {
  try {
    new Evaluator({ household: {}, members: [], income: null, lastIncome: null, policy: {} } as unknown as RuleFacts).eval(e);
    return false;
  } catch (x) {
    if (absorbable(x)) return true;
    throw x;
  }
}

/** Whether the rule matches the household: its value is true (null — unknown — does not match). */
export function evaluateRule(rule: CheckedRule, facts: RuleFacts): boolean {
  return evaluateExpression(rule, facts) === true;
}
