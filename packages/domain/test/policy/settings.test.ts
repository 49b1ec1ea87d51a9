import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPolicyRanges, checkPolicyValue, POLICY_DEFAULTS, POLICY_DEFINITIONS, resolvePolicy, type PolicyValueRow } from '../../src/index';

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
  assert.equal(resolvePolicy(rows, VILLAGE, 2020).values.monitoringLine, POLICY_DEFAULTS.monitoringLine);
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
