/**
 * The official CEL conformance tests (google/cel-spec "simple" suite, commit 508bd98, files in
 * test/cel-spec/ with their licence) on the TypeScript evaluator. The same cases run on the SQL translation
 * in apps/server/test/cel-conformance.test.ts.
 *
 * Every test of the copied files is either run (and must give the spec's value, or an error where the spec
 * expects one), or refused by checkRule for one of the documented reasons (cel-spec/conformance.ts,
 * REFUSALS: constructs the product deliberately leaves out), or skipped because the product's documented
 * semantics deliberately differ (cel-spec/conformance.ts, SKIPPED: division by zero is null, double overflow
 * is an error). The table below pins how many tests each reason covers, so that nothing moves silently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRule, evaluateExpression, RuleEvaluationError } from '../src/index';
import { CEL_SPEC_FILES, differs, loadConformanceCases, REFUSALS, SKIPPED } from './cel-spec/conformance';
import { facts } from './rules-fixtures';

const cases = loadConformanceCases();

/** Outcome → number of tests (refused and skipped by reason). */
const EXPECTED_COUNTS: Record<string, number> = {
  run: 268,
  "refused: uint (unsigned integers)": 108,
  "refused: bytes": 30,
  "refused: maps": 53,
  "refused: variables of the test's own (the product's environment is fixed: household, members, income, lastIncome, policy)": 21,
  "refused: unknown function (refused when the rule is saved; CEL reports it when evaluated)": 2,
  "refused: dyn(), type() and bool(): the product is statically typed, rules are bool-valued": 151,
  "skipped: NaN is written 0.0/0.0: division or remainder by zero is null (unknown) in the product, an error in CEL": 3,
  "refused: list equality, concatenation and lists of lists": 21,
  "refused: null inside lists": 3,
  "refused: lists mixing element types (dyn lists): a list has one element type in the product": 12,
  "refused: int and double mixed in == or in one list (write double(x))": 1,
  "refused: protocol-buffer message literals": 72,
  "refused: ordering of bools (false < true)": 12,
  "refused: ordering null (null < null): no such overload in CEL either; the product tests null with == / != only": 4,
  "refused: a type error (CEL's own checker refuses it; the spec test disables checking to test the runtime, the product checks every rule)": 15,
  "refused: a double literal without a leading digit (.99): the parser (@marcbachmann/cel-js) does not read it": 1,
  "refused: conversions to and from strings (string(), int('…'), double('…'))": 20,
  "refused: timestamps and durations": 3,
  "skipped: division or remainder by zero is null (unknown) in the product, an error in CEL": 14,
  "skipped: double overflow is an error in the product (as PostgreSQL's float8), CEL gives ±Infinity": 2,
  "refused: index access": 9,
  "refused: macros over the empty list literal (no element type)": 5,
  "refused: two-variable macros (cel.expr macros2 extension)": 28,
  "refused: regular expressions (matches())": 9,
};

function countsOf(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of cases) {
    const k = c.outcome === 'run' ? 'run' : `${c.outcome}: ${c.reason}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

test('every conformance test is run, refused by the checker for a documented reason, or skipped with a reason', () => {
  assert.equal(CEL_SPEC_FILES.length, 11);
  const unexpected = cases.filter((c) => c.reason.startsWith('UNEXPECTED'));
  assert.deepEqual(unexpected.map((c) => `${c.id}: ${c.expr}: ${c.reason}`), []);
  assert.deepEqual(countsOf(), EXPECTED_COUNTS);
  for (const id of Object.keys(SKIPPED)) assert.ok(cases.some((c) => c.id === id && c.outcome === 'skipped'), `skip list names an unknown or refused test: ${id}`);
  for (const r of REFUSALS) assert.ok(cases.some((c) => c.reason === r.reason), `unused refusal reason: ${r.reason}`);
});

test('refused tests are refused by checkRule (not skipped)', () => {
  for (const c of cases.filter((x) => x.outcome === 'refused')) {
    const checked = checkRule(c.expr, { requireBool: false });
    assert.equal(checked.ok, false, c.id);
    if (!checked.ok) assert.ok(checked.errors.length > 0 && checked.errors.every((e) => e.message.length > 0), c.id);
  }
});

test('the TypeScript evaluator gives the spec\'s value or error on every included test', () => {
  const failures: string[] = [];
  let passed = 0;
  for (const c of cases.filter((x) => x.outcome === 'run')) {
    let problem: string | null;
    try {
      const v = evaluateExpression(c.rule!, facts());
      problem = 'value' in c.expected ? differs(v, c.expected.value) : `the spec expects an error (${c.expected.error}), got ${String(v)}`;
    } catch (e) {
      if (!(e instanceof RuleEvaluationError)) throw e;
      problem = 'error' in c.expected ? null : `unexpected error ${e.messageEn}`;
    }
    if (problem) failures.push(`${c.id}: ${c.expr}: ${problem}`);
    else passed++;
  }
  assert.deepEqual(failures, []);
  assert.equal(passed, EXPECTED_COUNTS.run);
});
