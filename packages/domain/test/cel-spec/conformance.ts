/**
 * The official CEL conformance tests ("simple" suite of google/cel-spec, tests/simple/testdata, commit
 * 508bd98efda47d85bcf1b9930dd5f35fa37e9a18, Apache License 2.0: see LICENSE and README.md here) for the
 * product's subset of CEL, as cases for both rule paths: the TypeScript evaluator
 * (packages/domain/test/rules-cel-conformance.test.ts) and the SQL translation on PostgreSQL
 * (apps/server/test/cel-conformance.test.ts).
 *
 * Every test of the copied files gets exactly one outcome:
 *   - run:     the checker accepts it; both paths must give the spec's value or an error where the spec
 *              expects one;
 *   - refused: checkRule must refuse it, for one of the reasons of REFUSALS (constructs the product
 *              deliberately leaves out, docs/architecture.md "Rules (CEL)"); a refusal for any other reason
 *              fails the test;
 *   - skipped: accepted by the checker, but the product's documented semantics deliberately differ from
 *              CEL's (SKIPPED, by test, with the reason).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRule, type CheckedRule, type RuleValue } from '../../src/index';
import { message, messages, parseTextproto, scalar, str, type TextMessage } from './textproto';

export const CEL_SPEC_COMMIT = '508bd98efda47d85bcf1b9930dd5f35fa37e9a18';
export const CEL_SPEC_FILES = ['basic', 'comparisons', 'conversions', 'fp_math', 'integer_math', 'lists', 'logic', 'macros', 'macros2', 'plumbing', 'string'];

/** An expected value, as the spec writes it. */
export type Expected =
  | { type: 'int'; value: bigint }
  | { type: 'double'; value: number }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null' }
  | { type: 'list'; items: Expected[] }
  | { type: 'other'; what: string };

export interface ConformanceCase {
  /** file/section/test */
  id: string;
  expr: string;
  /** the spec's answer: a value, or an evaluation error (message as the spec words it) */
  expected: { value: Expected } | { error: string };
  outcome: 'run' | 'refused' | 'skipped';
  /** why refused or skipped */
  reason: string;
  /** the checked rule (outcome run) */
  rule: CheckedRule | null;
}

/**
 * Refusals by the checker's (English) message. Each is a construct the product deliberately leaves out
 * because it has no faithful SQL translation or no place in the rules' fixed environment.
 */
export const REFUSALS: readonly { pattern: RegExp; reason: string }[] = [
  { pattern: /unsigned integers \(uint\)|uint\(\) is not supported/, reason: 'uint (unsigned integers)' },
  { pattern: /bytes are not supported|bytes\(\) is not supported/, reason: 'bytes' },
  { pattern: /map literals are not supported|transformMap/, reason: 'maps' },
  { pattern: /index access is not supported/, reason: 'index access' },
  { pattern: /matches\(\)/, reason: 'regular expressions (matches())' },
  { pattern: /string\(\) conversion|converting a string with/, reason: 'conversions to and from strings (string(), int(\'…\'), double(\'…\'))' },
  { pattern: /timestamp\(\)|duration\(\)/, reason: 'timestamps and durations' },
  { pattern: /list concatenation|cannot compare list|list elements must be simple values/, reason: 'list equality, concatenation and lists of lists' },
  { pattern: /lists cannot contain null/, reason: 'null inside lists' },
  { pattern: /dyn\(\) is not supported|type\(\) is not supported|bool\(\) conversion/, reason: 'dyn(), type() and bool(): the product is statically typed, rules are bool-valued' },
  { pattern: /transformList|supported with 2 arguments only|Unknown method 'existsOne'/, reason: 'two-variable macros (cel.expr macros2 extension)' },
  { pattern: /cannot be used on an empty list/, reason: 'macros over the empty list literal (no element type)' },
  { pattern: /Unknown variable/, reason: 'variables of the test\'s own (the product\'s environment is fixed: household, members, income, lastIncome, policy)' },
  { pattern: /Unknown function/, reason: 'unknown function (refused when the rule is saved; CEL reports it when evaluated)' },
  { pattern: /Syntax error: (Unexpected character: '\{'|Expected RPAREN, got LBRACE)/, reason: 'protocol-buffer message literals' },
  { pattern: /Syntax error: Unexpected token: DOT/, reason: 'a double literal without a leading digit (.99): the parser (@marcbachmann/cel-js) does not read it' },
  { pattern: /bool values can only be compared with == or !=/, reason: 'ordering of bools (false < true)' },
  { pattern: /Cannot compare (int and double|double and int) with|must have one type: (int and double|double and int)/, reason: 'int and double mixed in == or in one list (write double(x))' },
  { pattern: /List elements must have one type/, reason: 'lists mixing element types (dyn lists): a list has one element type in the product' },
  { pattern: /null can only be compared with == or !=|Cannot compare null/, reason: 'ordering null (null < null): no such overload in CEL either; the product tests null with == / != only' },
  // What CEL's own checker refuses: the spec test disables checking (disable_check) to test the runtime.
  {
    pattern: /must be bool|Cannot compare|have different types|applies to numbers only|applies to bool only|applies to int only/,
    reason: 'a type error (CEL\'s own checker refuses it; the spec test disables checking to test the runtime, the product checks every rule)',
  },
];

/**
 * Accepted by the checker but deliberately evaluated otherwise by the product (docs/architecture.md
 * "Null semantics"); by test id, with the reason.
 */
const DIVISION_BY_ZERO = 'division or remainder by zero is null (unknown) in the product, an error in CEL';
const DOUBLE_OVERFLOW = 'double overflow is an error in the product (as PostgreSQL\'s float8), CEL gives ±Infinity';
export const SKIPPED: Readonly<Record<string, string>> = {
  'comparisons/eq_literal/not_eq_double_nan': `NaN is written 0.0/0.0: ${DIVISION_BY_ZERO}`,
  'comparisons/ne_literal/not_ne_double_nan': `NaN is written 0.0/0.0: ${DIVISION_BY_ZERO}`,
  'comparisons/ne_literal/ne_double_nan': `NaN is written 0.0/0.0: ${DIVISION_BY_ZERO}`,
  'fp_math/fp_math/divide_zero': DIVISION_BY_ZERO,
  'fp_math/fp_math/fp_overflow_positive': DOUBLE_OVERFLOW,
  'fp_math/fp_math/fp_overflow_negative': DOUBLE_OVERFLOW,
  'integer_math/int64_math/mod_zero': DIVISION_BY_ZERO,
  'integer_math/int64_math/divide_zero': DIVISION_BY_ZERO,
  'logic/conditional/error_case': DIVISION_BY_ZERO,
  'logic/AND/error_right': DIVISION_BY_ZERO,
  'logic/AND/error_left': DIVISION_BY_ZERO,
  'logic/OR/error_right': DIVISION_BY_ZERO,
  'logic/OR/error_left': DIVISION_BY_ZERO,
  'macros/exists/list_elem_exists_error': DIVISION_BY_ZERO,
  'macros/all/list_elem_error_exhaustive': DIVISION_BY_ZERO,
  'macros/exists_one/list_no_shortcircuit': DIVISION_BY_ZERO,
  'macros/map/list_error': DIVISION_BY_ZERO,
  'macros/filter/list_no_shortcircuit': DIVISION_BY_ZERO,
  'plumbing/eval_results/error_result': DIVISION_BY_ZERO,
};

function expectedOf(v: TextMessage): Expected {
  const s = (name: string) => scalar(v, name);
  const int = s('int64_value');
  if (int) return { type: 'int', value: BigInt(int.kind === 'number' ? int.text : '0') };
  const dbl = s('double_value');
  if (dbl && dbl.kind === 'number') {
    const t = dbl.text.toLowerCase();
    const value = /^[-+]?inf/.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : /nan/.test(t) ? NaN : Number(t);
    return { type: 'double', value };
  }
  if (v.fields.has('string_value')) return { type: 'string', value: str(v, 'string_value') ?? '' };
  const b = s('bool_value');
  if (b) return { type: 'bool', value: b.kind === 'ident' && b.text === 'true' };
  if (v.fields.has('null_value')) return { type: 'null' };
  const list = message(v, 'list_value');
  if (list) return { type: 'list', items: messages(list, 'values').map(expectedOf) };
  return { type: 'other', what: [...v.fields.keys()].join(',') };
}

const DIR = path.dirname(fileURLToPath(import.meta.url));

/** Every test of the copied files, classified. */
export function loadConformanceCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const file of CEL_SPEC_FILES) {
    const doc = parseTextproto(fs.readFileSync(path.join(DIR, `${file}.textproto`), 'utf8'));
    for (const section of messages(doc, 'section')) {
      for (const t of messages(section, 'test')) {
        const id = `${file}/${str(section, 'name')}/${str(t, 'name')}`;
        const expr = str(t, 'expr')!;
        const err = message(t, 'eval_error');
        const value = message(t, 'value');
        const expected = err
          ? { error: messages(err, 'errors').map((e) => str(e, 'message') ?? '').join('; ') }
          : { value: value ? expectedOf(value) : { type: 'bool' as const, value: true } };
        const checked = checkRule(expr, { requireBool: false });
        if (!checked.ok) {
          const messageEn = checked.errors.map((e) => e.messageEn).join(' | ');
          const refusal = REFUSALS.find((r) => r.pattern.test(messageEn));
          out.push({ id, expr, expected, outcome: 'refused', reason: refusal ? refusal.reason : `UNEXPECTED REFUSAL: ${messageEn}`, rule: null });
          continue;
        }
        const skip = SKIPPED[id];
        if (skip) out.push({ id, expr, expected, outcome: 'skipped', reason: skip, rule: null });
        else out.push({ id, expr, expected, outcome: 'run', reason: '', rule: checked.rule });
      }
    }
  }
  return out;
}

/** Compares a value of either path with the spec's expected value; returns a description of the difference or null. */
export function differs(actual: RuleValue, expected: Expected): string | null {
  const show = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  const bad = () => `expected ${show(expected)}, got ${show(actual)}`;
  switch (expected.type) {
    case 'int':
      return actual === expected.value ? null : bad();
    case 'double':
      if (typeof actual !== 'number') return bad();
      if (Number.isNaN(expected.value)) return Number.isNaN(actual) ? null : bad();
      return Object.is(actual, expected.value) ? null : bad();
    case 'string':
    case 'bool':
      return actual === expected.value ? null : bad();
    case 'null':
      return actual === null ? null : bad();
    case 'list': {
      if (!Array.isArray(actual) || actual.length !== expected.items.length) return bad();
      for (const [i, item] of expected.items.entries()) if (differs((actual as RuleValue[])[i]!, item) !== null) return bad();
      return null;
    }
    case 'other':
      return `cannot compare with ${expected.what}`;
  }
}
