import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkElimination, checkPolicyRanges, checkPolicyValue, checkRule, evaluateRule, incomeLineOf, POLICY_DEFAULTS, POLICY_DEFINITIONS, POLICY_FIELDS, policyDefaultFor,
  policyDefaults, resolvePolicy, type PolicyValueRow,
} from '../../src/index';
import { facts, income } from '../rules-fixtures';

const NATION = '000000000000';
const LIAONING = '210000000000';
const TIELING = '211200000000';
const QINGHE = '211204000000';
const VILLAGE = '211204101200';
const JILIN = '220000000000';

const row = (id: number, regionCode: string, year: number, key: string, value: number): PolicyValueRow => ({ id, regionCode, year, key, value });

test('every definition has a default inside its own bounds, unique keys and a basis', () => {
  assert.equal(new Set(POLICY_DEFINITIONS.map((d) => d.key)).size, POLICY_DEFINITIONS.length);
  for (const d of POLICY_DEFINITIONS) {
    assert.equal(checkPolicyValue(d.key, d.default), null, d.key);
    assert.ok(d.basis.length > 4, d.key);
  }
  assert.equal(checkPolicyRanges(POLICY_DEFAULTS), null);
  assert.equal(POLICY_DEFAULTS.exitUnstableLine, 5000);
  assert.equal(POLICY_DEFAULTS.publicityDays, 5);
  assert.equal(POLICY_DEFAULTS.identificationDays, 15);
});

test('resolvePolicy: defaults, then the latest year on the chain, then the deepest region', () => {
  const rows = [
    row(1, NATION, 2021, 'monitoringLine', 6000),
    row(2, LIAONING, 2022, 'monitoringLine', 7260),
    row(3, QINGHE, 2022, 'monitoringLine', 8000),
    row(4, TIELING, 2023, 'monitoringLine', 7500),
    row(5, JILIN, 2024, 'monitoringLine', 9999),
    row(6, LIAONING, 2022, 'publicityDays', 7),
  ];
  // 2020: the monitoring line did not exist yet (2021 on): absent, not today's default
  assert.equal(resolvePolicy(rows, VILLAGE, 2020).values.monitoringLine, null);
  assert.deepEqual(resolvePolicy(rows, VILLAGE, 2020).sources.monitoringLine, { id: null, regionCode: null, year: null });
  assert.equal(resolvePolicy(rows, VILLAGE, 2021).values.monitoringLine, 6000);
  // 2022: province and county both set; the county (deeper) wins for its villages
  assert.equal(resolvePolicy(rows, VILLAGE, 2022).values.monitoringLine, 8000);
  assert.equal(resolvePolicy(rows, '211202000000', 2022).values.monitoringLine, 7260);
  // 2023: the city's newer value beats the county's older override
  const r = resolvePolicy(rows, VILLAGE, 2025);
  assert.equal(r.values.monitoringLine, 7500);
  assert.deepEqual(r.sources.monitoringLine, { id: 4, regionCode: TIELING, year: 2023 });
  // other provinces' rows never apply
  assert.equal(resolvePolicy(rows, LIAONING, 2024).values.monitoringLine, 7260);
  assert.equal(resolvePolicy(rows, VILLAGE, 2025).values.publicityDays, 7);
  assert.equal(resolvePolicy(rows, VILLAGE, 2025).values.povertyLine, POLICY_DEFAULTS.povertyLine);
});

test('checkPolicyValue names the setting in Chinese', () => {
  assert.equal(checkPolicyValue('publicityDays', 2.5), '公示天数（不少于）应为整数');
  assert.equal(checkPolicyValue('monitoringLine', -5), '防返贫监测标准应在 0 到 100000 之间');
  assert.equal(checkPolicyValue('monitoringLine', Number.NaN), '防返贫监测标准应为数字');
  assert.equal(checkPolicyValue('incomeDropShare', 0.12345), '收入骤减比例最多保留四位小数');
  assert.equal(checkPolicyValue('nope', 1), '没有名为“nope”的政策参数');
  assert.equal(checkPolicyValue('monitoringLine', 7260.5), null);
});

test('checkPolicyRanges: an age range turned upside down is refused', () => {
  assert.equal(checkPolicyRanges({ ...POLICY_DEFAULTS, labourAgeMin: 20, labourAgeMax: 18 }), '劳动年龄下限（20）不能大于劳动年龄上限（18）');
  assert.equal(checkPolicyRanges({ ...POLICY_DEFAULTS, compulsoryAgeMin: 10, compulsoryAgeMax: 10 }), null);
});

const CURRENT_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

test('defaults carry the year they start from: the monitoring line from 2021 (6,000, then 7,260 from 2022), absent before', () => {
  assert.equal(policyDefaultFor('monitoringLine', 2019), null);
  assert.equal(policyDefaultFor('monitoringLine', 2020), null);
  assert.equal(policyDefaultFor('monitoringLine', 2021), 6000);
  assert.equal(policyDefaultFor('monitoringLine', 2022), 7260);
  assert.equal(policyDefaultFor('monitoringLine', CURRENT_YEAR), POLICY_DEFAULTS.monitoringLine);
  // the 2020 exit standard, 4,400, for 2020 and the years before it (and kept after as the exit standard)
  for (const y of [2014, 2016, 2020, CURRENT_YEAR]) assert.equal(policyDefaultFor('povertyLine', y), 4400, String(y));
  // with nothing stored, resolution gives the defaults of the year asked
  assert.deepEqual(resolvePolicy([], VILLAGE, 2020).values, policyDefaults(2020));
  assert.equal(resolvePolicy([], VILLAGE, 2021).values.monitoringLine, 6000);
  assert.equal(resolvePolicy([], VILLAGE, CURRENT_YEAR).values.monitoringLine, 7260);
  // a value stored for a year the setting did not exist in never applies
  assert.equal(resolvePolicy([row(9, QINGHE, 2019, 'monitoringLine', 5000)], VILLAGE, 2020).values.monitoringLine, null);
  assert.equal(resolvePolicy([row(9, QINGHE, 2019, 'monitoringLine', 5000)], VILLAGE, 2021).values.monitoringLine, 6000);
  // every period's default is inside the bounds, in order, and the last one is the default of today
  for (const d of POLICY_DEFINITIONS) {
    const periods = 'defaults' in d ? d.defaults : [];
    for (const p of periods) assert.equal(checkPolicyValue(d.key, p.value), null, d.key);
    for (let i = 1; i < periods.length; i++) assert.ok(periods[i]!.from > periods[i - 1]!.from, d.key);
    if (periods.length) assert.equal(periods[periods.length - 1]!.value, d.default, d.key);
  }
});

test('the line that matters for a year: the monitoring line from 2021, the exit standard before', () => {
  assert.deepEqual(incomeLineOf(policyDefaults(2020)), { key: 'povertyLine', value: 4400 });
  assert.deepEqual(incomeLineOf(policyDefaults(2021)), { key: 'monitoringLine', value: 6000 });
  assert.deepEqual(incomeLineOf(policyDefaults(CURRENT_YEAR)), { key: 'monitoringLine', value: 7260 });
});

test('an absent setting is not applicable: a rule on it does not match, an elimination cannot be judged on it', () => {
  assert.equal(POLICY_FIELDS.find((f) => f.name === 'monitoringLine')!.nullable, true);
  assert.equal(POLICY_FIELDS.find((f) => f.name === 'povertyLine')!.nullable, false);
  const rule = checkRule('!household.monitored && income.perCapitaNet < policy.monitoringLine');
  assert.ok(rule.ok, JSON.stringify(rule));
  if (!rule.ok) return;
  assert.equal(evaluateRule(rule.rule, facts({ income: income(3000), policy: policyDefaults(2021) })), true);
  assert.equal(evaluateRule(rule.rule, facts({ income: income(3000), policy: policyDefaults(2020) })), false, '2020: no monitoring line, no match');
  const check = checkElimination({
    household: {}, members: [], income: null, lastIncome: null, identifiedOn: '2020-01-10', referenceDate: '2020-12-31', policy: policyDefaults(2020),
  } as unknown as Parameters<typeof checkElimination>[0]);
  assert.match(check.blockers.map((b) => b.detail).join(' '), /尚无防返贫监测标准/);
});
