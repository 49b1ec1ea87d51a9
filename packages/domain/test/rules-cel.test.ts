/**
 * The rule evaluator is CEL: on facts without nulls (where CEL and our null semantics cannot differ) and
 * without division by zero, it gives the same values as @marcbachmann/cel-js's own evaluator. (One known
 * deviation of that library is not exercised: it orders strings by UTF-16 unit, the CEL specification and
 * this engine by code point.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluate as celEvaluate } from '@marcbachmann/cel-js';
import { checkRule, evaluateExpression, RuleEvaluationError, type RuleFacts } from '../src/index';
import { child, facts, income, member } from './rules-fixtures';

const FACTS: RuleFacts = facts({
  household: { exitYear: 2019, identifiedYear: 2015, status: 'exited', attribute: 'general_poor', housingRating: 'C', riskTypes: ['illness', 'housing'] },
  members: [member({ age: 44 }), member({ relation: 'spouse', sex: 'female', age: 41, health: ['chronic'] }), child(9)],
  income: income(6123.45, { operating: -1200.5, medicalSelfPay: 3000 }),
  lastIncome: income(9800, { operating: 2000, medicalSelfPay: 0 }),
});

/** The same facts as cel-js expects them: ints as BigInt. */
function celContext(f: RuleFacts): Record<string, unknown> {
  const INT_FIELDS = new Set(['year', 'exitYear', 'identifiedYear', 'size', 'labourCount', 'age', 'workMonths', 'publicWelfareMonths', 'compulsoryAgeMin', 'compulsoryAgeMax', 'developmentMeasureMonths']);
  const conv = (o: object | null) =>
    Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, INT_FIELDS.has(k) && typeof v === 'number' ? BigInt(v) : v]));
  return { household: conv(f.household), members: f.members.map(conv), income: conv(f.income), lastIncome: conv(f.lastIncome), policy: conv(f.policy) };
}

/**
 * Compares the two evaluators on one expression: the same value, or both raise an error. Returns false,
 * comparing nothing, where the reference library is known to differ from the CEL specification (it does not
 * raise on -(-2^63), -2^63 / -1 and int() out of range; the conformance test checks those against the spec).
 */
function same(source: string): boolean {
  const checked = checkRule(source, { requireBool: false });
  if (!checked.ok) assert.fail(`${source}: ${JSON.stringify(checked.errors)}`);
  let ours: unknown;
  let oursFailed = false;
  try {
    ours = evaluateExpression(checked.rule, FACTS);
  } catch (e) {
    if (!(e instanceof RuleEvaluationError)) throw e;
    oursFailed = true;
  }
  let theirs: unknown;
  let theirsFailed = false;
  try {
    theirs = celEvaluate(source, celContext(FACTS));
  } catch {
    theirsFailed = true;
  }
  if (oursFailed && !theirsFailed && /int\(|-\(|\/ *-|9223372036854775808/.test(source)) return false;
  assert.equal(oursFailed, theirsFailed, `${source}: ours ${oursFailed ? 'failed' : String(ours)}, reference ${theirsFailed ? 'failed' : String(theirs)}`);
  if (!oursFailed) assert.deepEqual(ours, theirs, source);
  return true;
}

test('hand-picked expressions give the values of the reference CEL evaluator', () => {
  for (const source of [
    '-7 / 2', '-7 % 2', '7 % -2', '1 < 1.5', '2.5 >= 2', 'int(-2.7)', 'int(2.7)', 'double(3) / 2.0', '0.1 + 0.2', '1e3',
    'size("脱贫😀")', '"ab" + "c"', '"abc".startsWith("ab")', '"abc".endsWith("bc")', '"abc".contains("d")', '"B" < "a"',
    'true ? 1 : 2', '!true || false && true',
    '[1, 2].exists(x, x > 1)', '[1, 2].exists_one(x, x > 0)', '[1, 2, 3].filter(x, x > 1).size()', '[1, 2].map(x, x * 2)',
    '[1, 2, 3].map(x, x > 1, x * 10)', '[1, 2].all(x, x > 0)', '2 in [1, 2]', '"c" in ["a", "b"]', 'size([1, 2, 3])',
    'household.size * 10 + household.labourCount', 'household.exitYear - household.identifiedYear', 'household.status == "exited"',
    'household.housingRating in ["C", "D"]', '"illness" in household.riskTypes', 'household.riskTypes.exists(r, r.startsWith("h"))',
    'income.perCapitaNet < policy.monitoringLine', 'income.operating / 3.0', 'lastIncome.perCapitaNet * (1.0 - policy.incomeDropShare)',
    'members.exists(m, m.age >= policy.compulsoryAgeMin && m.age <= policy.compulsoryAgeMax && m.schoolStatus == "not_in_school")',
    'members.all(m, m.insured)', 'members.filter(m, m.age >= 16).size()', 'members.map(m, m.age)', 'size(members)',
    'members.exists(m, "chronic" in m.health)', 'members.exists(m, members.exists(n, n.age > m.age + 30))',
    'household.monitored ? income.total : lastIncome.total', 'int(income.perCapitaNet) % 7', 'has(household.exitYear)',
  ]) {
    assert.ok(same(source), source);
  }
});

test('errors as in CEL: overflow absorbed by the deciding side of && / || in either order, untaken ?: branches', () => {
  const overflow = ['9223372036854775807 + 1 > 0', '3037000500 * 3037000500 > 0', '-9223372036854775807 - household.size > 0', 'household.size * 4611686018427387904 > 0'];
  for (const o of overflow) {
    for (const source of [`false && ${o}`, `${o} && false`, `true || ${o}`, `${o} || true`, `${o} && true`, `true && ${o}`, `${o} || false`, `false || ${o}`,
      `household.monitored && ${o}`, `${o} && household.monitored`, `!household.monitored || ${o}`, `${o} || !household.monitored`,
      `true ? 1 : (${o} ? 2 : 3)`, `false ? (${o} ? 2 : 3) : 4`, `(${o}) ? 1 : 2`, `!(${o})`, `${o} == true`,
      `[1, 2].exists(x, x == 1 || ${o})`, `[1, 2].all(x, x == 1 && ${o})`, `[1, 2].map(x, x > 5, x + 9223372036854775807).size() == 0`]) {
      assert.ok(same(source), source);
    }
  }
});

test('random expressions that can overflow, on either side of && / || and in ?:, give the reference value or error', () => {
  const big = fc.constantFrom('9223372036854775807', '4611686018427387904', '3037000500', '-9223372036854775807');
  const small = fc.oneof(fc.integer({ min: -3, max: 3 }).map(String), fc.constantFrom('household.size', 'household.labourCount'));
  const { intE, boolE } = fc.letrec<{ intE: string; boolE: string }>((tie) => ({
    intE: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      small,
      big,
      fc.tuple(tie('intE'), fc.constantFrom('+', '-', '*'), tie('intE')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      fc.tuple(tie('boolE'), tie('intE'), tie('intE')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    ),
    boolE: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('true', 'false', 'household.monitored', '!household.monitored'),
      fc.tuple(tie('intE'), fc.constantFrom('==', '<', '>='), tie('intE')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      fc.tuple(tie('boolE'), fc.constantFrom('&&', '||'), tie('boolE')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      tie('boolE').map((a) => `!(${a})`),
      fc.tuple(tie('boolE'), tie('boolE'), tie('boolE')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    ),
  }));
  let failed = 0;
  fc.assert(fc.property(fc.oneof(intE, boolE), (source) => {
    assert.ok(same(source), source);
    try {
      const checked = checkRule(source, { requireBool: false });
      if (checked.ok) evaluateExpression(checked.rule, FACTS);
    } catch {
      failed++;
    }
  }), { numRuns: 1000, seed: 11 });
  assert.ok(failed >= 40, `${failed} of 1000 raised an error`);
});

test('random arithmetic and logic over literals and facts give the reference values', () => {
  const int = fc.oneof(fc.integer({ min: -50, max: 50 }).map(String), fc.constantFrom('household.size', 'household.exitYear', 'policy.compulsoryAgeMax'));
  const dbl = fc.oneof(
    fc.integer({ min: -10000, max: 10000 }).map((c) => (c / 100).toFixed(2)),
    fc.constantFrom('income.perCapitaNet', 'income.operating', 'policy.monitoringLine'),
  );
  const nonZeroInt = fc.integer({ min: 1, max: 9 }).chain((n) => fc.constantFrom(String(n), `-${n}`));
  const nonZeroDbl = fc.integer({ min: 1, max: 900 }).map((c) => (c / 100).toFixed(2));
  const { intE, dblE, boolE } = fc.letrec<{ intE: string; dblE: string; boolE: string }>((tie) => ({
    intE: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      int,
      fc.tuple(tie('intE'), fc.constantFrom('+', '-', '*'), tie('intE')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      fc.tuple(tie('intE'), fc.constantFrom('/', '%'), nonZeroInt).map(([a, o, b]) => `(${a} ${o} ${b})`),
      tie('dblE').map((a) => `int(${a})`),
      fc.tuple(tie('boolE'), tie('intE'), tie('intE')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    ),
    dblE: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      dbl,
      fc.tuple(tie('dblE'), fc.constantFrom('+', '-', '*'), tie('dblE')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      fc.tuple(tie('dblE'), nonZeroDbl).map(([a, b]) => `(${a} / ${b})`),
      tie('intE').map((a) => `double(${a})`),
    ),
    boolE: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('true', 'false', 'household.monitored'),
      fc.tuple(tie('intE'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), tie('intE')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      fc.tuple(tie('dblE'), fc.constantFrom('<', '<=', '>', '>='), tie('intE')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      fc.tuple(tie('boolE'), fc.constantFrom('&&', '||'), tie('boolE')).map(([a, o, b]) => `(${a} ${o} ${b})`),
      tie('boolE').map((a) => `!(${a})`),
      // literal lists only: the reference evaluator refuses lists mixing literals and untyped variables
      fc.tuple(tie('intE'), fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 })).map(([a, l]) => `(${a} in [${l.join(', ')}])`),
      tie('boolE').map((p) => `members.exists(m, m.age > 10 && ${p})`),
    ),
  }));
  fc.assert(fc.property(fc.oneof(intE, dblE, boolE), (source) => fc.pre(same(source))), { numRuns: 500, seed: 7 });
});
