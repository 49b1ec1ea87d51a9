import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILT_IN_RULES, compileRule, evaluateExpression, evaluateRule, RuleEvaluationError, type RuleFacts, type RuleValue,
} from '../src/index';
import { child, facts, income, member } from './rules-fixtures';

const value = (source: string, f: RuleFacts = facts()): RuleValue => evaluateExpression(compileRule(source, { requireBool: false }), f);
const matches = (source: string, f: RuleFacts = facts()): boolean => evaluateRule(compileRule(source), f);

test('literals, fields and arithmetic with CEL int semantics', () => {
  assert.equal(value('42'), 42n);
  assert.equal(value('-9223372036854775808'), -9223372036854775808n);
  assert.equal(value('household.size'), 2n);
  assert.equal(value('income.perCapitaNet'), 12000);
  assert.equal(value('policy.compulsoryAgeMax'), 15n);
  assert.equal(value('-7 / 2'), -3n, 'int division truncates toward zero');
  assert.equal(value('-7 % 2'), -1n, 'remainder takes the sign of the dividend');
  assert.equal(value('7 % -2'), 1n);
  assert.equal(value('1.0 / 4.0'), 0.25);
  assert.equal(value('0.1 + 0.2'), 0.30000000000000004, 'IEEE doubles, as float8');
  assert.equal(value('int(-2.7)'), -2n);
  assert.equal(value('int(2.7)'), 2n);
  assert.equal(value('double(household.size) / 4.0'), 0.5);
  assert.equal(value('household.householdNo + "-" + household.villageCode'), '2112041012000001-211204101200');
  assert.equal(value('size("脱贫😀")'), 3n, 'size counts characters (code points)');
  assert.equal(value('household.monitored ? "m" : "n"'), 'n');
});

test('division and remainder by zero are null, overflow is an error', () => {
  assert.equal(value('7 / 0'), null);
  assert.equal(value('7 % 0'), null);
  assert.equal(value('1.0 / 0.0'), null);
  assert.equal(value('1.0 / -0.0'), null);
  assert.equal(matches('7 / 0 == 0 || 7 / 0 != 0'), false);
  for (const source of ['9223372036854775807 + 1 > 0', '-9223372036854775808 - 1 < 0', '-9223372036854775808 / -1 > 0', '-(-9223372036854775808) > 0',
    '3037000500 * 3037000500 > 0', '1e308 * 10.0 > 0.0', '1e-200 * 1e-200 > 0.0', '1e-300 / 1e300 > 0.0', 'int(1e19) > 0']) {
    assert.throws(() => matches(source), RuleEvaluationError, source);
  }
  assert.equal(value('-9223372036854775808 % -1'), 0n);
});

test('int(): CEL\'s range -2^63 < x < 2^63, truncation toward zero', () => {
  for (const source of ['int(-9223372036854775808.0)', 'int(9223372036854775807.0)', 'int(9223372036854775808.0)', 'int(1e99)', 'int(-1e99)',
    'int(double(-9223372036854775808))', 'int(double(9223372036854775807))']) {
    assert.throws(() => value(source), RuleEvaluationError, source);
  }
  // the doubles next to ±2^63 are in range
  assert.equal(value('int(9223372036854774784.0)'), 9223372036854774784n);
  assert.equal(value('int(-9223372036854774784.0)'), -9223372036854774784n);
  assert.equal(value('int(-0.5)'), 0n);
  assert.equal(value('int(double(36028797018963969))'), 36028797018963968n);
});

test('errors follow CEL: absorbed by the deciding side of && and || in either order, untaken branches not evaluated', () => {
  const overflow = '9223372036854775807 + 1 > 0';
  const f = facts({ household: { exitYear: null } });
  assert.equal(value(`false && ${overflow}`), false);
  assert.equal(value(`${overflow} && false`), false);
  assert.equal(value(`true || ${overflow}`), true);
  assert.equal(value(`${overflow} || true`), true);
  assert.equal(value(`household.monitored && ${overflow}`), false, 'the facts decide (monitored is false)');
  for (const source of [`true && ${overflow}`, `${overflow} && true`, `false || ${overflow}`, `${overflow} || false`,
    `${overflow} && household.exitYear > 2000`, `household.exitYear > 2000 || ${overflow}`, `!(${overflow})`, `(${overflow}) == true`,
    `${overflow} && int(1e99) > 0`]) {
    assert.throws(() => value(source, f), RuleEvaluationError, source);
  }
  // both sides fail: the error is the rule's value
  assert.throws(() => value(`${overflow} || int(1e99) > 0`), RuleEvaluationError);
  // ?: evaluates the taken branch only; an unknown test gives unknown without evaluating either
  assert.equal(value(`true ? 1 : 9223372036854775807 + 1`), 1n);
  assert.equal(value(`false ? int(1e99) : 2`), 2n);
  assert.equal(value(`household.exitYear > 2000 ? int(1e99) : int(-1e99)`, f), null);
  assert.throws(() => value(`(${overflow}) ? 1 : 2`), RuleEvaluationError);
  // macros: exists / all decided by one element whatever the others give; the others propagate the error
  assert.equal(value('[9223372036854775807, 1].exists(x, x == 1)'), true);
  assert.equal(value('[9223372036854775807, 1].exists(x, x + 1 == 2)'), true);
  assert.equal(value('[9223372036854775807, 1].all(x, x + 1 == 3)'), false);
  assert.throws(() => value('[9223372036854775807, 1].all(x, x + 1 == 2)'), RuleEvaluationError);
  assert.throws(() => value('[9223372036854775807, 1].exists(x, x + 1 == 0)'), RuleEvaluationError);
  assert.throws(() => value('[9223372036854775807, 1].exists_one(x, x + 1 == 2)'), RuleEvaluationError);
  // map(x, p, t): the transform only for the kept elements
  assert.deepEqual(value('[9223372036854775807, 1].map(x, x < 10, x + 1)'), [2n]);
  assert.equal(value('[0, 5].map(x, x > 0, 10 / x).exists(y, y == 2)'), true);
  assert.throws(() => value('[9223372036854775807, 1].map(x, x > 0, x + 1)'), RuleEvaluationError);
  assert.deepEqual(value('[9223372036854775807, 1].filter(x, x < 10)'), [1n]);
  // the household page's answer is the run's: a rule with a guarded failing part matches
  assert.equal(matches(`household.size == 2 || ${overflow}`), true);
});

test('comparisons: int with double, strings by code point, bools by equality', () => {
  assert.equal(value('household.size > 1.5'), true);
  assert.equal(value('household.size >= 2.0 && household.size <= 2.0'), true);
  assert.equal(value('9007199254740993 <= 9007199254740992.0'), true, 'the int is converted to double, as in PostgreSQL');
  assert.equal(value('"\uFFFF" < "😀"'), true, 'code point order, not UTF-16 order');
  assert.equal(value('"B" < "a"'), true);
  assert.equal(value('"ab" < "abc"'), true);
  assert.equal(value('household.monitored == false'), true);
});

test('null semantics: unknown propagates, three-valued logic, only true matches', () => {
  const f = facts({ household: { exitYear: null }, income: null });
  assert.equal(value('household.exitYear > 2020', f), null);
  assert.equal(value('!(household.exitYear > 2020)', f), null);
  assert.equal(matches('household.exitYear > 2020', f), false);
  assert.equal(matches('!(household.exitYear > 2020)', f), false);
  assert.equal(value('household.exitYear + 1', f), null);
  assert.equal(value('false && household.exitYear > 2020', f), false);
  assert.equal(value('true && household.exitYear > 2020', f), null);
  assert.equal(value('true || household.exitYear > 2020', f), true);
  assert.equal(value('false || household.exitYear > 2020', f), null);
  assert.equal(value('household.exitYear > 2020 ? 1 : 2', f), null);
  assert.equal(value('household.exitYear == null', f), true);
  assert.equal(value('household.exitYear != null', f), false);
  assert.equal(value('has(household.exitYear)', f), false);
  assert.equal(value('has(income.perCapitaNet)', f), false, 'no income record: every income field is null');
  assert.equal(value('income.perCapitaNet < 100.0', f), null);
  assert.equal(value('has(household.riskTypes)', f), true);
  assert.equal(value('size(household.riskTypes)', f), 0n);
  const withExit = facts({ household: { exitYear: 2019 } });
  assert.equal(value('has(household.exitYear) && household.exitYear == 2019', withExit), true);
});

test('in: true on a match, otherwise null when a null takes part, otherwise false', () => {
  const m = (dropoutReason: string | null) => facts({ members: [child(10, { dropoutReason })] });
  assert.equal(value("members.map(m, m.dropoutReason).exists(r, r in ['illness', 'disability'])", m('illness')), true);
  assert.equal(value("members.exists(m, m.dropoutReason in ['illness'])", m(null)), false);
  assert.equal(value("household.attribute in ['dibao', 'wubao']", facts({ household: { attribute: null } })), null);
  assert.equal(value("household.attribute in []", facts({ household: { attribute: null } })), false);
  assert.equal(value("'dibao' in [household.attribute, 'none']", facts({ household: { attribute: null } })), null);
  assert.equal(value("'none' in [household.attribute, 'none']", facts({ household: { attribute: null } })), true);
  assert.equal(value('2.0 in [1.0, 2.0]'), true);
  assert.equal(value("'female' in members.map(m, m.sex)"), true);
  // (a code no member has: a string that is not a code of the field is refused when the rule is checked)
  assert.equal(value("'skilled' in members.map(m, m.labour)"), false);
  assert.equal(value("'skilled' in members.map(m, m.labour)", facts({ members: [member(), member({ labour: null })] })), null);
  assert.equal(value("'male' in members.map(m, m.sex)", facts({ members: [member(), member({ sex: null })] })), true);
});

test('macros count only elements whose predicate is true', () => {
  const f = facts({ members: [member({ age: 40 }), member({ relation: 'spouse', age: null }), child(8)] });
  assert.equal(value('members.exists(m, m.age > 30)', f), true);
  assert.equal(value('members.exists(m, m.age > 50)', f), false, 'an unknown age does not count');
  assert.equal(value('members.all(m, m.age >= 0)', f), false, 'an unknown predicate fails all()');
  assert.equal(value('members.all(m, m.insured)', f), true);
  assert.equal(value('members.exists_one(m, m.age < 18)', f), true);
  assert.equal(value('members.exists_one(m, m.age >= 0)', f), false);
  assert.equal(value('members.filter(m, m.age >= 18).size()', f), 1n);
  assert.equal(value('size(members)', f), 3n);
  assert.deepEqual(value('members.map(m, m.age)', f), [40n, null, 8n]);
  assert.deepEqual(value('members.map(m, m.age != null, m.age * 2)', f), [80n, 16n]);
  assert.equal(value('members.exists(m, members.exists(n, n.age > m.age))', f), true);
  assert.equal(value('[1, 2, 3].exists(x, x == household.size)', f), true);
  assert.equal(value('household.riskTypes.all(r, false)', f), true, 'all() of an empty list is true');
  assert.equal(value('members.exists(m, m.health.exists(h, h == "healthy"))', f), true);
  const empty = facts({ members: [] });
  assert.equal(value('members.exists(m, true)', empty), false);
  assert.equal(value('members.all(m, false)', empty), true);
  assert.equal(value('size(members)', empty), 0n);
});

test('string functions', () => {
  assert.equal(value('household.villageCode.startsWith("211204")'), true);
  assert.equal(value('household.villageCode.endsWith("1200")'), true);
  assert.equal(value('household.householdNo.contains("0120")'), true);
  assert.equal(value('household.householdNo.contains("")'), true);
  assert.equal(value('household.attribute.startsWith("d")', facts({ household: { attribute: null } })), null);
});

test('facts of the wrong shape are refused', () => {
  const bad = facts();
  (bad.household as Record<string, unknown>).size = 2.5;
  assert.throws(() => value('household.size > 1', bad), RuleEvaluationError);
  const missing = facts();
  delete (missing.household as Record<string, unknown>).monitored;
  assert.throws(() => value('household.monitored', missing), /缺少必填字段“monitored”/);
  assert.equal(value('household.size', facts({ household: { size: 3n } })), 3n, 'ints may be given as bigint');
});

const rule = (id: string) => {
  const r = BUILT_IN_RULES.find((x) => x.id === id);
  if (!r) throw new Error(id);
  return compileRule(r.expression);
};

test('built-in: income under the monitoring line (strictly under; monitored and unknown do not match)', () => {
  const r = rule('income_below_monitoring_line');
  const line = 7260;
  assert.equal(evaluateRule(r, facts({ income: income(line - 0.01) })), true);
  assert.equal(evaluateRule(r, facts({ income: income(line) })), false);
  assert.equal(evaluateRule(r, facts({ income: income(-500) })), true, 'negative income (operating losses)');
  assert.equal(evaluateRule(r, facts({ income: income(3000), household: { monitored: true } })), false);
  assert.equal(evaluateRule(r, facts({ income: null })), false);
  assert.equal(evaluateRule(r, facts({ income: income(8000), policy: { monitoringLine: 8700 } })), true, 'the line is a setting');
});

test('built-in: income fell by more than the set share', () => {
  const r = rule('income_sharp_drop');
  assert.equal(evaluateRule(r, facts({ lastIncome: income(10000), income: income(6999.99) })), true);
  assert.equal(evaluateRule(r, facts({ lastIncome: income(10000), income: income(7000) })), false);
  assert.equal(evaluateRule(r, facts({ lastIncome: null, income: income(100) })), false, 'no income last year');
  assert.equal(evaluateRule(r, facts({ lastIncome: income(0), income: income(-100) })), false);
  assert.equal(evaluateRule(r, facts({ lastIncome: income(10000), income: income(8000), policy: { incomeDropShare: 0.1 } })), true);
});

test('built-in: exited household under 5,000', () => {
  const r = rule('exited_below_unstable_line');
  const exited = { status: 'exited', exitYear: 2019 } as const;
  assert.equal(evaluateRule(r, facts({ household: exited, income: income(4999.99) })), true);
  assert.equal(evaluateRule(r, facts({ household: exited, income: income(5000) })), false);
  assert.equal(evaluateRule(r, facts({ household: { status: 'ordinary' }, income: income(3000) })), false);
  assert.equal(evaluateRule(r, facts({ household: { ...exited, monitored: true }, income: income(3000) })), false);
});

test('built-in: expected income under the dibao line and not on dibao', () => {
  const r = rule('expected_income_below_dibao_line');
  assert.equal(evaluateRule(r, facts({ income: income(4399) })), true);
  assert.equal(evaluateRule(r, facts({ income: income(4400) })), false);
  assert.equal(evaluateRule(r, facts({ income: income(3000), household: { dibao: 'rural' } })), false);
  assert.equal(evaluateRule(r, facts({ income: income(3000), household: { tekun: 'rural' } })), false);
});

test('built-in: a member without medical insurance', () => {
  const r = rule('member_uninsured');
  assert.equal(evaluateRule(r, facts()), false);
  assert.equal(evaluateRule(r, facts({ members: [member(), member({ medicalInsurance: 'none', insured: false })] })), true);
  assert.equal(evaluateRule(r, facts({ members: [member({ medicalInsurance: null, insured: false })] })), true, 'unrecorded counts as uninsured');
  assert.equal(evaluateRule(r, facts({ members: [] })), false);
});

test('built-in: a child of compulsory-school age out of school (ages 6 and 15 included, 5 and 16 not)', () => {
  const r = rule('child_out_of_school');
  const out = (age: number | null, over: Parameters<typeof child>[1] = {}) => facts({ members: [member(), child(age ?? 0, { age, schoolStatus: 'not_in_school', ...over })] });
  assert.equal(evaluateRule(r, out(6)), true);
  assert.equal(evaluateRule(r, out(15)), true);
  assert.equal(evaluateRule(r, out(5)), false);
  assert.equal(evaluateRule(r, out(16)), false);
  assert.equal(evaluateRule(r, out(null)), false, 'unknown age');
  assert.equal(evaluateRule(r, out(10, { dropoutReason: 'illness' })), false, 'health reasons are excused');
  assert.equal(evaluateRule(r, out(10, { dropoutReason: 'weariness' })), true);
  assert.equal(evaluateRule(r, facts({ members: [member(), child(10)] })), false, 'in school');
  assert.equal(evaluateRule(r, facts({ members: [member(), child(16, { schoolStatus: 'not_in_school' })], policy: { compulsoryAgeMax: 16 } })), true, 'the age range is a setting');
});

test('built-in: a C or D house, unless relocated with keys', () => {
  const r = rule('unsafe_housing');
  assert.equal(evaluateRule(r, facts({ household: { housingRating: 'C' } })), true);
  assert.equal(evaluateRule(r, facts({ household: { housingRating: 'D' } })), true);
  assert.equal(evaluateRule(r, facts({ household: { housingRating: 'B' } })), false);
  assert.equal(evaluateRule(r, facts({ household: { housingRating: null } })), false);
  assert.equal(evaluateRule(r, facts({ household: { housingRating: 'D', relocated: true, relocationKeysReceived: true } })), false);
  assert.equal(evaluateRule(r, facts({ household: { housingRating: 'D', relocated: true, relocationKeysReceived: false } })), true);
  assert.equal(evaluateRule(r, facts({ household: { housingRating: 'D', relocated: true, relocationKeysReceived: null } })), true);
});

test('built-in: medical self-pay above the share of disposable income (50% former poor, 100% others)', () => {
  const r = rule('medical_self_pay_high');
  const pay = (status: 'exited' | 'ordinary' | 'poor' | 'returned', amount: number | null) => facts({ household: { status }, income: income(9000, { medicalSelfPay: amount }) });
  assert.equal(evaluateRule(r, pay('exited', 10000.01)), true);
  assert.equal(evaluateRule(r, pay('exited', 10000)), false);
  assert.equal(evaluateRule(r, pay('poor', 15000)), true);
  assert.equal(evaluateRule(r, pay('ordinary', 15000)), false);
  assert.equal(evaluateRule(r, pay('ordinary', 20000.5)), true);
  assert.equal(evaluateRule(r, pay('returned', null)), false);
});

test('built-in: the whole household without labour capacity', () => {
  const r = rule('whole_household_no_labour');
  const noLabour = (labour: 'lost' | 'none' | null) => member({ labour, labourCapable: labour === null ? null : false, age: 75 });
  assert.equal(evaluateRule(r, facts({ members: [noLabour('lost'), noLabour('none')] })), true);
  assert.equal(evaluateRule(r, facts({ members: [noLabour('lost'), member({ labour: 'weak' })] })), false);
  assert.equal(evaluateRule(r, facts({ members: [noLabour('lost'), noLabour(null)] })), false, 'an unknown labour skill does not count');
  assert.equal(evaluateRule(r, facts({ members: [] })), false);
  // already covered by social security: nothing to warn about
  assert.equal(evaluateRule(r, facts({ members: [noLabour('none')], household: { wholeNoLabour: true } })), false);
  assert.equal(evaluateRule(r, facts({ members: [noLabour('none')], household: { dibao: 'rural' } })), false);
  assert.equal(evaluateRule(r, facts({ members: [noLabour('none')], household: { tekun: 'rural' } })), false);
});

test('built-in: no development measure 6 months after identification for a monitored household with labour', () => {
  const r = rule('no_development_measure');
  const mon = (months: number | null, over: Parameters<typeof facts>[0] = {}) =>
    facts({ ...over, household: { monitored: true, monitoredType: 'marginal', monthsMonitored: months, ...over.household } });
  assert.equal(evaluateRule(r, mon(6)), true);
  assert.equal(evaluateRule(r, mon(5)), false);
  assert.equal(evaluateRule(r, mon(12, { household: { hasDevelopmentMeasure: true } })), false);
  assert.equal(evaluateRule(r, mon(12, { household: { labourCount: 0 } })), false);
  assert.equal(evaluateRule(r, mon(null)), false);
  assert.equal(evaluateRule(r, facts({ household: { monitored: false, monthsMonitored: null } })), false);
});
