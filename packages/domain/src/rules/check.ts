/**
 * Type-checking of a rule when it is saved: parse the CEL source (with @marcbachmann/cel-js's parser, which
 * keeps the source range of every node), check every node against the environment (environment.ts), and
 * produce the checked tree (ast.ts) that evaluate() and compileSql() work on.
 *
 * The checker accepts exactly the constructs both evaluators implement. A construct that is valid CEL but
 * has no faithful SQL translation (map literals, index access, regular expressions, bytes, uint, timestamps,
 * optional fields, list equality …) is refused here with "本平台无法在全区域批量执行此写法：…" (the messages are
 * read by clerks: plain words, no CEL/SQL), so a saved rule is never evaluated differently in TypeScript and in
 * SQL. Every error carries the position it refers to.
 *
 * Code fields know their code table (environment.ts): comparing one with a string (==, !=, in a list, or a
 * code looked up in a list field such as m.health) that is not one of its codes is refused, with the code
 * suggested when the string is a label (`household.status == '已脱贫户'` → 应写 'exited'), since such a rule
 * type-checks but silently matches nothing.
 *
 * Typing follows CEL's type-checker: int and double do not mix in arithmetic, equality or `in` (write
 * double(x)); they may be ordered against each other (<, <=, >, >=; the int is converted to double).
 * `null` may only be compared with `==` / `!=`.
 */
import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import {
  RULE_MESSAGES, RULE_VARIABLES, ruleField, type RuleField, type RuleFieldType,
} from './environment';
import { codeByLabel, type CodeTable } from '../registry/codes';
import {
  isNumeric, isScalar, T_BOOL, T_DOUBLE, T_INT, T_NULL, T_STRING, typeName,
  type ArithOp, type CheckedRule, type CompareOp, type MacroName, type RuleExpr, type RuleType,
} from './ast';

export interface RulePosition {
  /** UTF-16 offset into the source */
  offset: number;
  /** 1-based */
  line: number;
  /** 1-based, in characters */
  column: number;
}

export interface RuleError {
  /** Chinese */
  message: string;
  messageEn: string;
  position: RulePosition;
  /** where the offending part ends (exclusive), for highlighting */
  end: RulePosition;
}

export type CheckResult =
  | { ok: true; ast: RuleExpr; returnType: string; rule: CheckedRule }
  | { ok: false; errors: RuleError[] };

export interface CheckOptions {
  /** Require a bool result (a rule). Default true; false checks any expression (previews, tests). */
  requireBool?: boolean;
}

/** Longest rule source accepted. */
export const MAX_RULE_LENGTH = 4000;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const parserEnv = new Environment({
  unlistedVariablesAreDyn: true,
  limits: { maxAstNodes: 2000, maxDepth: 64, maxListElements: 200, maxMapEntries: 50, maxCallArguments: 8 },
});

/** Offset → line and column (1-based; columns count characters, not UTF-16 units). */
export function positionAt(source: string, offset: number): RulePosition {
  const o = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < o; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: o, line, column: [...source.slice(lineStart, o)].length + 1 };
}

const UNTRANSLATABLE_ZH = '本平台无法在全区域批量执行此写法：';
const UNTRANSLATABLE_EN = 'The platform cannot run this form over a whole region: ';

/** Standard CEL functions and methods that rules cannot use (no faithful SQL translation). */
const UNSUPPORTED_FUNCTIONS: Record<string, [string, string]> = {
  matches: ['不支持正则表达式 matches()', 'regular expressions (matches()) are not supported'],
  string: ['不支持转换为字符串 string()', 'string() conversion is not supported'],
  bytes: ['不支持字节串 bytes()', 'bytes() is not supported'],
  uint: ['不支持无符号整数 uint()', 'uint() is not supported'],
  bool: ['不支持 bool() 转换', 'bool() conversion is not supported'],
  dyn: ['不支持 dyn()', 'dyn() is not supported'],
  type: ['不支持 type()', 'type() is not supported'],
  timestamp: ['不支持时间戳 timestamp()', 'timestamp() is not supported'],
  duration: ['不支持时长 duration()', 'duration() is not supported'],
  lowerAscii: ['不支持 lowerAscii()', 'lowerAscii() is not supported'],
  upperAscii: ['不支持 upperAscii()', 'upperAscii() is not supported'],
  trim: ['不支持 trim()', 'trim() is not supported'],
  replace: ['不支持 replace()', 'replace() is not supported'],
  split: ['不支持 split()', 'split() is not supported'],
  substring: ['不支持 substring()', 'substring() is not supported'],
  indexOf: ['不支持 indexOf()', 'indexOf() is not supported'],
  lastIndexOf: ['不支持 lastIndexOf()', 'lastIndexOf() is not supported'],
  charAt: ['不支持 charAt()', 'charAt() is not supported'],
  join: ['不支持 join()', 'join() is not supported'],
  getField: ['不支持 getField()', 'getField() is not supported'],
  bind: ['不支持 cel.bind()', 'cel.bind() is not supported'],
  sort: ['不支持 sort()', 'sort() is not supported'],
  min: ['不支持 min()', 'min() is not supported'],
  max: ['不支持 max()', 'max() is not supported'],
  sum: ['不支持 sum()', 'sum() is not supported'],
  transformList: ['不支持 transformList()', 'transformList() is not supported'],
  transformMap: ['不支持 transformMap()', 'transformMap() is not supported'],
};

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

function suggest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = levenshtein(name, c);
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function fieldType(f: RuleField): RuleType {
  const map: Record<RuleFieldType, RuleType> = {
    bool: T_BOOL,
    int: T_INT,
    double: T_DOUBLE,
    string: T_STRING,
    'list<string>': { kind: 'list', elem: T_STRING },
  };
  return map[f.type];
}

const TYPE_ZH: Record<string, string> = { bool: '布尔值', int: '整数', double: '小数', string: '字符串', null_type: 'null' };
function typeZh(t: RuleType | null): string {
  const n = typeName(t);
  if (TYPE_ZH[n]) return `${TYPE_ZH[n]}（${n}）`;
  if (t?.kind === 'message') return `${RULE_MESSAGES[t.name].zh}（${n}）`;
  if (t?.kind === 'list') return `列表（${n}）`;
  return n;
}

interface FieldCodes {
  readonly field: RuleField;
  readonly codes: CodeTable;
}

/**
 * The code table whose codes an expression's string values are: a code field (household.status, m.labour), a code
 * list field (m.health: its elements), or a map() of members onto a code field (members.map(m, m.labour)).
 */
function codesOf(e: RuleExpr): FieldCodes | null {
  if (e.kind === 'field' && e.field.codes) return { field: e.field, codes: e.field.codes };
  if (e.kind === 'macro' && e.macro === 'map' && e.transform) return codesOf(e.transform);
  return null;
}

interface ScopeEntry {
  readonly name: string;
  readonly type: RuleType;
  readonly id: number;
  readonly parent: ScopeEntry | null;
}

type Node = ASTNode;

/** Syntax error messages of the parser, in Chinese. */
function translateSyntax(summary: string): string {
  const tokens: Record<string, string> = {
    EOF: '规则条件结尾', RPAREN: '右括号 )', LPAREN: '左括号 (', RBRACKET: '右方括号 ]', LBRACKET: '左方括号 [', RBRACE: '右花括号 }',
    COLON: '冒号 :', COMMA: '逗号 ,', IDENTIFIER: '名称', DOT: '点 .', QUESTION: '问号 ?',
  };
  const tok = (t: string) => tokens[t] ?? t;
  let m = /^Expected (\w+), got (\w+)/.exec(summary);
  if (m) return `此处应为${tok(m[1]!)}，实际是${tok(m[2]!)}`;
  m = /^Unexpected token: EOF/.exec(summary);
  if (m) return '规则条件不完整';
  m = /^Unexpected token: (\w+)/.exec(summary);
  if (m) return `此处不应出现${tok(m[1]!)}`;
  if (/^Unterminated/.test(summary)) return '字符串缺少结束引号';
  m = /^Unexpected character: '(.*)'/.exec(summary);
  if (m) return `无法识别的字符“${m[1]}”`;
  if (/limit|exceed/i.test(summary)) return '规则条件过长或嵌套过深';
  if (/Invalid (integer|number)|out of range/i.test(summary)) return '数字格式错误或超出范围';
  if (/macro|argument/i.test(summary)) return `函数参数错误（${summary}）`;
  return `语法错误（${summary}）`;
}

class Checker {
  readonly errors: RuleError[] = [];
  private nextId = 1;

  constructor(private readonly source: string) {}

  error(start: number, end: number, zh: string, en: string): null {
    this.errors.push({ message: zh, messageEn: en, position: positionAt(this.source, start), end: positionAt(this.source, Math.max(end, start)) });
    return null;
  }

  untranslatable(node: Node, zh: string, en: string): null {
    return this.error(node.start, node.end, UNTRANSLATABLE_ZH + zh, UNTRANSLATABLE_EN + en);
  }

  check(node: Node, scope: ScopeEntry | null): RuleExpr | null {
    const base = { start: node.start, end: node.end };
    switch (node.op) {
      case 'value':
        return this.literal(node, node.args);
      case 'id': {
        const name = node.args;
        for (let s = scope; s; s = s.parent) if (s.name === name) return { ...base, kind: 'iterVar', name, id: s.id, type: s.type };
        const v = RULE_VARIABLES.find((x) => x.name === name);
        if (v) {
          const message: RuleType = { kind: 'message', name: v.message };
          return { ...base, kind: 'variable', name: v.name, type: v.list ? { kind: 'list', elem: message } : message };
        }
        if (name === 'cel') return this.untranslatable(node, '不支持 cel 命名空间', 'the cel namespace is not supported');
        const s = suggest(name, [...RULE_VARIABLES.map((x) => x.name), ...this.scopeNames(scope)]);
        return this.error(node.start, node.end,
          `未知变量“${name}”${s ? `，是否应为“${s}”？` : ''}（可用：${RULE_VARIABLES.map((x) => x.name).join('、')}）`,
          `Unknown variable '${name}'${s ? `; did you mean '${s}'?` : ''} (available: ${RULE_VARIABLES.map((x) => x.name).join(', ')})`);
      }
      case '.': {
        const [targetNode, fieldName] = node.args;
        const target = this.check(targetNode, scope);
        if (!target) return null;
        const fieldStart = node.pos;
        const fieldEnd = fieldStart + fieldName.length;
        if (target.type.kind === 'message') {
          const msg = target.type.name;
          const f = ruleField(msg, fieldName);
          if (!f) {
            const s = suggest(fieldName, RULE_MESSAGES[msg].fields.map((x) => x.name));
            return this.error(fieldStart, fieldEnd,
              `${RULE_MESSAGES[msg].zh}（${msg}）没有字段“${fieldName}”${s ? `，是否应为“${s}”？` : ''}`,
              `${msg} has no field '${fieldName}'${s ? `; did you mean '${s}'?` : ''}`);
          }
          return { ...base, kind: 'field', target, field: f, type: fieldType(f) };
        }
        if (target.type.kind === 'list') {
          return this.error(fieldStart, fieldEnd,
            `${typeZh(target.type)}没有字段“${fieldName}”；请对列表使用 exists、all 等，例如 members.exists(m, m.${fieldName} …)`,
            `${typeName(target.type)} has no field '${fieldName}'; use exists, all …, e.g. members.exists(m, m.${fieldName} …)`);
        }
        return this.error(fieldStart, fieldEnd, `${typeZh(target.type)}没有字段“${fieldName}”`, `${typeName(target.type)} has no field '${fieldName}'`);
      }
      case '.?':
      case '[?]':
        return this.untranslatable(node, '不支持可选字段访问', 'optional field access is not supported');
      case '[]':
        return this.untranslatable(node, '不支持下标访问；请使用 in、exists 或 all', 'index access is not supported; use in, exists or all');
      case 'map':
        return this.untranslatable(node, '不支持映射（map）字面量', 'map literals are not supported');
      case 'list':
        return this.listLiteral(node, node.args, scope);
      case 'call':
        return this.call(node, node.args[0], node.args[1], scope);
      case 'rcall':
        return this.methodCall(node, node.args[0], node.args[1], node.args[2], scope);
      case '?:': {
        const [t, a, b] = node.args;
        const test = this.check(t, scope);
        const then = this.check(a, scope);
        const otherwise = this.check(b, scope);
        if (!test || !then || !otherwise) return null;
        if (!isScalar(test.type, 'bool')) {
          return this.error(t.start, t.end, `条件表达式的条件必须是布尔值，实际是${typeZh(test.type)}`, `The condition of ?: must be bool, got ${typeName(test.type)}`);
        }
        if (!isScalar(then.type) || !isScalar(otherwise.type)) {
          return this.untranslatable(node, '条件表达式的两个分支必须是简单值（布尔、整数、小数或字符串）', 'both branches of ?: must be simple values (bool, int, double or string)');
        }
        if (then.type.name !== otherwise.type.name) {
          return this.error(node.start, node.end,
            `条件表达式两个分支的类型不同：${typeZh(then.type)} 和 ${typeZh(otherwise.type)}${isNumeric(then.type) && isNumeric(otherwise.type) ? '；可用 double(…) 转换' : ''}`,
            `The branches of ?: have different types: ${typeName(then.type)} and ${typeName(otherwise.type)}${isNumeric(then.type) && isNumeric(otherwise.type) ? '; use double(…)' : ''}`);
        }
        return { ...base, kind: 'cond', test, then, otherwise, type: then.type };
      }
      case '&&':
      case '||': {
        const left = this.check(node.args[0], scope);
        const right = this.check(node.args[1], scope);
        if (!left || !right) return null;
        const op = node.op;
        for (const [e, n] of [[left, node.args[0]], [right, node.args[1]]] as const) {
          if (!isScalar(e.type, 'bool')) {
            return this.error(n.start, n.end, `${op} 的操作数必须是布尔值，实际是${typeZh(e.type)}`, `The operands of ${op} must be bool, got ${typeName(e.type)}`);
          }
        }
        return { ...base, kind: op === '&&' ? 'and' : 'or', left, right, type: T_BOOL };
      }
      case '!_': {
        const arg = this.check(node.args, scope);
        if (!arg) return null;
        if (!isScalar(arg.type, 'bool')) return this.error(node.start, node.end, `! 只能用于布尔值，实际是${typeZh(arg.type)}`, `! applies to bool only, got ${typeName(arg.type)}`);
        return { ...base, kind: 'not', arg, type: T_BOOL };
      }
      case '-_': {
        const inner = node.args;
        if (inner.op === 'value' && typeof inner.args === 'bigint') {
          return this.intLiteral(node, -inner.args);
        }
        const arg = this.check(inner, scope);
        if (!arg) return null;
        if (!isNumeric(arg.type)) return this.error(node.start, node.end, `负号只能用于数字，实际是${typeZh(arg.type)}`, `Unary minus applies to numbers only, got ${typeName(arg.type)}`);
        return { ...base, kind: 'neg', arg, type: arg.type };
      }
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.compare(node, node.op, node.args[0], node.args[1], scope);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.arith(node, node.op, node.args[0], node.args[1], scope);
      case 'in':
        return this.inList(node, node.args[0], node.args[1], scope);
      default:
        return this.untranslatable(node, `不支持的写法（${String((node as { op: string }).op)}）`, `unsupported construct (${String((node as { op: string }).op)})`);
    }
  }

  /** The operator's own position between two operands (for errors about the operator). */
  private opError(l: Node, r: Node, op: string, zh: string, en: string): null {
    const between = this.source.slice(l.end, r.start);
    const i = between.indexOf(op);
    const start = i >= 0 ? l.end + i : l.end;
    return this.error(start, start + op.length, zh, en);
  }

  private scopeNames(scope: ScopeEntry | null): string[] {
    const names: string[] = [];
    for (let s = scope; s; s = s.parent) names.push(s.name);
    return names;
  }

  /**
   * A string literal compared with a code field must be one of the field's codes. False (with an error at the
   * literal) when it is not: the code is suggested when the literal is a label or alias, else the nearest codes.
   */
  private codeLiteral(e: RuleExpr, c: FieldCodes): boolean {
    if (e.kind !== 'literal' || typeof e.value !== 'string') return true;
    const value = e.value;
    if (c.codes.some((x) => x.code === value)) return true;
    // the field's name without its explanation in brackets (户状态, not 户状态（本年度；…）)
    const what = c.field.zh.replace(/（.*）$/, '');
    const whatEn = c.field.en.replace(/ \(.*\)$/, '');
    const byLabel = codeByLabel(c.codes, value);
    if (byLabel) {
      const entry = c.codes.find((x) => x.code === byLabel)!;
      this.error(e.start, e.end,
        `“${value}”不是${what}的代码，规则中要写代码：应写 '${byLabel}'（${entry.zh}）`,
        `'${value}' is not a code of ${whatEn}: rules use codes, write '${byLabel}' (${entry.en})`);
      return false;
    }
    const near = suggest(value, c.codes.map((x) => x.code));
    const list = c.codes.length <= 12 ? c.codes.map((x) => `'${x.code}'（${x.zh}）`).join('、') : null;
    const listEn = c.codes.length <= 12 ? c.codes.map((x) => `'${x.code}' (${x.en})`).join(', ') : null;
    this.error(e.start, e.end,
      `“${value}”不是${what}的代码${near ? `，是否应为 '${near}'（${c.codes.find((x) => x.code === near)!.zh}）？` : ''}${list ? `（可用：${list}）` : '（代码见字段说明）'}`,
      `'${value}' is not a code of ${whatEn}${near ? `; did you mean '${near}'?` : ''}${listEn ? ` (codes: ${listEn})` : ' (see the field help for its codes)'}`);
    return false;
  }

  private intLiteral(node: Node, value: bigint): RuleExpr | null {
    if (value < INT64_MIN || value > INT64_MAX) return this.error(node.start, node.end, '整数超出 64 位范围', 'Integer out of the 64-bit range');
    return { start: node.start, end: node.end, kind: 'literal', value, type: T_INT };
  }

  private literal(node: Node, value: unknown): RuleExpr | null {
    const base = { start: node.start, end: node.end, kind: 'literal' as const };
    if (typeof value === 'bigint') return this.intLiteral(node, value);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return this.error(node.start, node.end, '小数超出范围', 'Double out of range');
      return { ...base, value, type: T_DOUBLE };
    }
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return this.untranslatable(node, '字符串不能包含 \\0 字符', 'strings cannot contain the \\0 character');
      return { ...base, value, type: T_STRING };
    }
    if (typeof value === 'boolean') return { ...base, value, type: T_BOOL };
    if (value === null) return { ...base, value: null, type: T_NULL };
    if (value instanceof Uint8Array) return this.untranslatable(node, '不支持字节串（bytes）', 'bytes are not supported');
    return this.untranslatable(node, '不支持无符号整数（uint），请去掉 u 后缀', 'unsigned integers (uint) are not supported; drop the u suffix');
  }

  private listLiteral(node: Node, items: readonly Node[], scope: ScopeEntry | null): RuleExpr | null {
    const checked = items.map((i) => this.check(i, scope));
    if (checked.some((c) => c === null)) return null;
    const exprs = checked as RuleExpr[];
    let elem: RuleType | null = null;
    for (const [i, e] of exprs.entries()) {
      if (!isScalar(e.type)) {
        const n = items[i]!;
        return e.type.kind === 'null'
          ? this.untranslatable(n, '列表中不能有 null', 'lists cannot contain null')
          : this.untranslatable(n, `列表元素只能是简单值，不能是${typeZh(e.type)}`, `list elements must be simple values, not ${typeName(e.type)}`);
      }
      if (elem === null) elem = e.type;
      else if (!isScalar(elem, e.type.name)) {
        const n = items[i]!;
        return this.error(n.start, n.end, `列表元素类型必须一致：${typeZh(elem)} 和 ${typeZh(e.type)}`, `List elements must have one type: ${typeName(elem)} and ${typeName(e.type)}`);
      }
    }
    return { start: node.start, end: node.end, kind: 'list', items: exprs, type: { kind: 'list', elem } };
  }

  private compare(node: Node, op: CompareOp, l: Node, r: Node, scope: ScopeEntry | null): RuleExpr | null {
    const base = { start: node.start, end: node.end };
    const left = this.check(l, scope);
    const right = this.check(r, scope);
    if (!left || !right) return null;
    const lNull = left.type.kind === 'null';
    const rNull = right.type.kind === 'null';
    if (lNull || rNull) {
      if (op !== '==' && op !== '!=') return this.opError(l, r, op, `null 只能用 == 或 != 比较`, `null can only be compared with == or !=`);
      if (lNull && rNull) return { ...base, kind: 'literal', value: op === '==', type: T_BOOL };
      const other = lNull ? right : left;
      if (!isScalar(other.type)) {
        return this.untranslatable(node, `${typeZh(other.type)}不能与 null 比较；列表为空请用 size(…) == 0`, `${typeName(other.type)} cannot be compared with null; use size(…) == 0 for an empty list`);
      }
      return { ...base, kind: 'isNull', arg: other, negated: op === '!=', type: T_BOOL };
    }
    if (!isScalar(left.type) || !isScalar(right.type)) {
      return this.untranslatable(node, `不能比较${typeZh(left.type)}和${typeZh(right.type)}（只能比较简单值）`, `cannot compare ${typeName(left.type)} with ${typeName(right.type)} (only simple values)`);
    }
    const mixed = isNumeric(left.type) && isNumeric(right.type) && left.type.name !== right.type.name;
    if (mixed && (op === '==' || op === '!=')) {
      // CEL's type-checker has no int == double overload (ordering across them is defined)
      return this.opError(l, r, op, `不能用 ${op} 比较整数和小数；请用 double(…) 转换`, `Cannot compare int and double with ${op}; convert with double(…)`);
    }
    if (left.type.name !== right.type.name && !mixed) {
      return this.opError(l, r, op, `不能用 ${op} 比较${typeZh(left.type)}和${typeZh(right.type)}`, `Cannot compare ${typeName(left.type)} with ${typeName(right.type)} using ${op}`);
    }
    if (left.type.name === 'bool' && op !== '==' && op !== '!=') {
      return this.opError(l, r, op, `布尔值只能用 == 或 != 比较`, `bool values can only be compared with == or !=`);
    }
    if (op === '==' || op === '!=') {
      const lc = codesOf(left);
      const rc = codesOf(right);
      if ((lc && !this.codeLiteral(right, lc)) || (rc && !this.codeLiteral(left, rc))) return null;
    }
    return { ...base, kind: 'compare', op, left, right, mixed, type: T_BOOL };
  }

  private arith(node: Node, op: ArithOp, l: Node, r: Node, scope: ScopeEntry | null): RuleExpr | null {
    const base = { start: node.start, end: node.end };
    const left = this.check(l, scope);
    const right = this.check(r, scope);
    if (!left || !right) return null;
    if (op === '+' && isScalar(left.type, 'string') && isScalar(right.type, 'string')) {
      return { ...base, kind: 'concat', left, right, type: T_STRING };
    }
    if (op === '+' && left.type.kind === 'list' && right.type.kind === 'list') {
      return this.untranslatable(node, '不支持列表相加', 'list concatenation is not supported');
    }
    if (isNumeric(left.type) && isNumeric(right.type) && isScalar(left.type) && isScalar(right.type)) {
      if (left.type.name !== right.type.name) {
        return this.opError(l, r, op,
          `${op} 两边类型不同：${typeZh(left.type)} 和 ${typeZh(right.type)}；规则条件不会自动转换，请用 double(…) 或 int(…)`,
          `The operands of ${op} have different types: ${typeName(left.type)} and ${typeName(right.type)}; rule conditions do not convert implicitly, use double(…) or int(…)`);
      }
      if (op === '%' && left.type.name === 'double') {
        return this.opError(l, r, op, '% 只能用于整数', '% applies to int only');
      }
      return { ...base, kind: 'arith', op, left, right, type: left.type };
    }
    return this.opError(l, r, op, `不能对${typeZh(left.type)}和${typeZh(right.type)}使用 ${op}`, `Operator ${op} is not defined for ${typeName(left.type)} and ${typeName(right.type)}`);
  }

  private inList(node: Node, e: Node, l: Node, scope: ScopeEntry | null): RuleExpr | null {
    const elem = this.check(e, scope);
    const list = this.check(l, scope);
    if (!elem || !list) return null;
    if (list.type.kind !== 'list') {
      return list.type.kind === 'scalar' && list.type.name === 'string'
        ? this.error(l.start, l.end, 'in 的右边必须是列表；判断包含子串请用 contains()', 'The right side of in must be a list; use contains() for substrings')
        : this.error(l.start, l.end, `in 的右边必须是列表，实际是${typeZh(list.type)}`, `The right side of in must be a list, got ${typeName(list.type)}`);
    }
    if (!isScalar(elem.type)) {
      return elem.type.kind === 'null'
        ? this.error(e.start, e.end, 'null 不能用于 in；请用 == null', 'null cannot be used with in; use == null')
        : this.untranslatable(e, `不能判断${typeZh(elem.type)}是否在列表中`, `cannot test whether a ${typeName(elem.type)} is in a list`);
    }
    const le = list.type.elem;
    if (le === null) return { start: node.start, end: node.end, kind: 'in', elem, list, type: T_BOOL };
    if (!isScalar(le)) return this.untranslatable(l, `不能在${typeZh(list.type)}中查找简单值`, `cannot look for a simple value in ${typeName(list.type)}`);
    if (elem.type.name !== le.name) {
      return this.opError(e, l, 'in', `${typeZh(elem.type)}不能在${typeZh(list.type)}中查找`, `A ${typeName(elem.type)} cannot be looked up in ${typeName(list.type)}`);
    }
    // a code looked up in a code list ('x' in m.health), or a code field in a list of strings (household.status in ['…'])
    const listCodes = codesOf(list);
    if (listCodes && !this.codeLiteral(elem, listCodes)) return null;
    const elemCodes = codesOf(elem);
    // every element is checked (each wrong one gets its own error)
    if (elemCodes && list.kind === 'list' && list.items.map((i) => this.codeLiteral(i, elemCodes)).includes(false)) return null;
    return { start: node.start, end: node.end, kind: 'in', elem, list, type: T_BOOL };
  }

  private call(node: Node, name: string, args: readonly Node[], scope: ScopeEntry | null): RuleExpr | null {
    const base = { start: node.start, end: node.end };
    const arity = (n: number) =>
      args.length === n ? true : this.error(node.start, node.end, `${name}() 需要 ${n} 个参数`, `${name}() takes ${n} argument(s)`) ?? false;
    switch (name) {
      case 'size': {
        if (!arity(1)) return null;
        return this.size(node, args[0]!, scope);
      }
      case 'has': {
        if (!arity(1)) return null;
        const a = args[0]!;
        if (a.op !== '.') return this.error(a.start, a.end, 'has() 的参数必须是字段，例如 has(income.perCapitaNet)', "has() takes a field, e.g. has(income.perCapitaNet)");
        const arg = this.check(a, scope);
        if (!arg) return null;
        if (arg.kind !== 'field') return this.error(a.start, a.end, 'has() 的参数必须是字段', 'has() takes a field');
        return { ...base, kind: 'has', arg, type: T_BOOL };
      }
      case 'int':
      case 'double': {
        if (!arity(1)) return null;
        const arg = this.check(args[0]!, scope);
        if (!arg) return null;
        if (isScalar(arg.type, 'string')) {
          return this.untranslatable(node, `不支持把字符串转换为${name === 'int' ? '整数' : '小数'}`, `converting a string with ${name}() is not supported`);
        }
        if (!isNumeric(arg.type)) return this.error(node.start, node.end, `${name}() 不能用于${typeZh(arg.type)}`, `${name}() is not defined for ${typeName(arg.type)}`);
        return { ...base, kind: 'convert', to: name, arg, type: name === 'int' ? T_INT : T_DOUBLE };
      }
      default: {
        const unsupported = UNSUPPORTED_FUNCTIONS[name];
        if (unsupported) return this.untranslatable(node, unsupported[0], unsupported[1]);
        return this.error(node.start, node.end, `未知函数“${name}”`, `Unknown function '${name}'`);
      }
    }
  }

  private size(node: Node, a: Node, scope: ScopeEntry | null): RuleExpr | null {
    const arg = this.check(a, scope);
    if (!arg) return null;
    if (isScalar(arg.type, 'string') || arg.type.kind === 'list') {
      return { start: node.start, end: node.end, kind: 'size', arg, type: T_INT };
    }
    return this.error(node.start, node.end, `size() 只能用于字符串或列表，实际是${typeZh(arg.type)}`, `size() applies to strings and lists, got ${typeName(arg.type)}`);
  }

  private methodCall(node: Node, name: string, receiver: Node, args: readonly Node[], scope: ScopeEntry | null): RuleExpr | null {
    const base = { start: node.start, end: node.end };
    if (name === 'exists' || name === 'all' || name === 'exists_one' || name === 'filter' || name === 'map') {
      return this.macro(node, name, receiver, args, scope);
    }
    if (name === 'size') {
      if (args.length !== 0) return this.error(node.start, node.end, '.size() 不需要参数', '.size() takes no arguments');
      return this.size(node, receiver, scope);
    }
    if (name === 'startsWith' || name === 'endsWith' || name === 'contains') {
      const target = this.check(receiver, scope);
      const checkedArgs = args.map((a) => this.check(a, scope));
      if (!target || checkedArgs.some((a) => a === null)) return null;
      if (args.length !== 1) return this.error(node.start, node.end, `${name}() 需要 1 个参数`, `${name}() takes 1 argument`);
      const arg = checkedArgs[0]!;
      if (!isScalar(target.type, 'string')) {
        return this.error(receiver.start, receiver.end, `${name}() 只能用于字符串，实际是${typeZh(target.type)}`, `${name}() applies to strings, got ${typeName(target.type)}`);
      }
      if (!isScalar(arg.type, 'string')) {
        return this.error(args[0]!.start, args[0]!.end, `${name}() 的参数必须是字符串，实际是${typeZh(arg.type)}`, `The argument of ${name}() must be a string, got ${typeName(arg.type)}`);
      }
      return { ...base, kind: 'stringTest', fn: name, target, arg, type: T_BOOL };
    }
    // point at the method's name
    const at = this.source.indexOf(name, receiver.end);
    const start = at >= 0 && at < node.end ? at : node.start;
    const end = start + name.length;
    const unsupported = UNSUPPORTED_FUNCTIONS[name];
    if (unsupported) return this.error(start, end, UNTRANSLATABLE_ZH + unsupported[0], UNTRANSLATABLE_EN + unsupported[1]);
    if (name === 'existsOne') return this.error(start, end, '未知方法“existsOne”，请写 exists_one', "Unknown method 'existsOne'; write exists_one");
    return this.error(start, end, `未知方法“${name}”`, `Unknown method '${name}'`);
  }

  private macro(node: Node, name: MacroName, receiver: Node, args: readonly Node[], scope: ScopeEntry | null): RuleExpr | null {
    const range = this.check(receiver, scope);
    if (!range) return null;
    const expected = name === 'map' ? [2, 3] : [2];
    if (!expected.includes(args.length)) {
      return this.untranslatable(node, `${name}() 只支持 ${expected.join(' 或 ')} 个参数的写法`, `${name}() is supported with ${expected.join(' or ')} arguments only`);
    }
    const varNode = args[0]!;
    if (varNode.op !== 'id') return this.error(varNode.start, varNode.end, `${name}() 的第一个参数必须是变量名`, `The first argument of ${name}() must be a variable name`);
    if (range.type.kind !== 'list') {
      return this.error(receiver.start, receiver.end, `${name}() 只能用于列表，实际是${typeZh(range.type)}`, `${name}() applies to lists, got ${typeName(range.type)}`);
    }
    if (range.type.elem === null) {
      return this.error(receiver.start, receiver.end, `不能对空列表使用 ${name}()`, `${name}() cannot be used on an empty list`);
    }
    const varName = varNode.args;
    const id = this.nextId++;
    const inner: ScopeEntry = { name: varName, type: range.type.elem, id, parent: scope };
    const base = { start: node.start, end: node.end, kind: 'macro' as const, macro: name, range, varName, varId: id };
    const checkPredicate = (n: Node): RuleExpr | null => {
      const p = this.check(n, inner);
      if (!p) return null;
      if (!isScalar(p.type, 'bool')) return this.error(n.start, n.end, `${name}() 的条件必须是布尔值，实际是${typeZh(p.type)}`, `The condition of ${name}() must be bool, got ${typeName(p.type)}`);
      return p;
    };
    if (name === 'map') {
      const predicate = args.length === 3 ? checkPredicate(args[1]!) : null;
      const tNode = args[args.length - 1]!;
      const transform = this.check(tNode, inner);
      if (!transform || (args.length === 3 && !predicate)) return null;
      const isSelf = transform.kind === 'iterVar' && transform.id === id;
      if (!isScalar(transform.type) && !isSelf) {
        return this.untranslatable(tNode, `map() 的结果只能是简单值，不能是${typeZh(transform.type)}`, `map() can only produce simple values, not ${typeName(transform.type)}`);
      }
      return { ...base, predicate, transform, type: { kind: 'list', elem: transform.type } };
    }
    const predicate = checkPredicate(args[1]!);
    if (!predicate) return null;
    if (name === 'filter') return { ...base, predicate, transform: null, type: range.type };
    return { ...base, predicate, transform: null, type: T_BOOL };
  }
}

/**
 * Parses and type-checks a rule against the environment. The errors (Chinese with English) point at the
 * position they refer to. A rule must return bool unless `requireBool` is false.
 */
export function checkRule(source: string, options: CheckOptions = {}): CheckResult {
  const requireBool = options.requireBool ?? true;
  const at = (o: number) => positionAt(source, o);
  if (source.length > MAX_RULE_LENGTH) {
    return { ok: false, errors: [{ message: `规则过长（最多 ${MAX_RULE_LENGTH} 个字符）`, messageEn: `The rule is too long (at most ${MAX_RULE_LENGTH} characters)`, position: at(MAX_RULE_LENGTH), end: at(source.length) }] };
  }
  if (source.trim() === '') {
    return { ok: false, errors: [{ message: '规则为空', messageEn: 'The rule is empty', position: at(0), end: at(source.length) }] };
  }
  let root: Node;
  try {
    root = parserEnv.parse(source).ast;
  } catch (e) {
    const err = e as { summary?: string; message?: string; range?: { start: number; end: number }; node?: { pos?: number; start?: number; end?: number } };
    const summary = err.summary ?? String(err.message ?? e).split('\n')[0]!;
    const start = err.range?.start ?? err.node?.start ?? err.node?.pos ?? 0;
    const end = err.range?.end ?? err.node?.end ?? start;
    return { ok: false, errors: [{ message: `语法错误：${translateSyntax(summary)}`, messageEn: `Syntax error: ${summary}`, position: at(start), end: at(end) }] };
  }
  const checker = new Checker(source);
  const ast = checker.check(root, null);
  if (ast && requireBool && !isScalar(ast.type, 'bool')) {
    checker.error(root.start, root.end,
      `规则的结果必须是布尔值（true/false），而不是${typeZh(ast.type)}`,
      `A rule must evaluate to bool (true/false), not ${typeName(ast.type)}`);
  }
  if (checker.errors.length > 0 || !ast) {
    checker.errors.sort((a, b) => a.position.offset - b.position.offset);
    return { ok: false, errors: checker.errors };
  }
  const returnType = typeName(ast.type);
  return { ok: true, ast, returnType, rule: { source, ast, returnType } };
}

/** Like checkRule, but throws an Error listing the messages when the rule is not valid. */
export function compileRule(source: string, options: CheckOptions = {}): CheckedRule {
  const r = checkRule(source, options);
  if (!r.ok) {
    const text = r.errors.map((e) => `${e.position.line}:${e.position.column} ${e.message}`).join('; ');
    throw new Error(`规则无效：${text}`);
  }
  return r.rule;
}

