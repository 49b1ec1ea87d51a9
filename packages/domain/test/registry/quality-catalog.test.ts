import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  QUALITY_CHECKS, qualityFieldLabel, qualityRuleLabel, VALIDATION_CHECK_LABELS, VALIDATION_CHECKS_COVERED_BY_QUALITY,
} from '../../src/index';

const validateSource = readFileSync(fileURLToPath(new URL('../../src/registry/validate.ts', import.meta.url)), 'utf8');

/** Every check name that validate.ts can report. */
function reportedChecks(): Set<string> {
  const names = new Set<string>(['range', 'required', 'code']); // defaults of checkNumber / checkCode
  for (const m of validateSource.matchAll(/c\.(?:error|warning|add)\(\s*[^,]+,\s*'([a-z0-9_]+)'/g)) names.add(m[1]!);
  for (const m of validateSource.matchAll(/check: '([a-z0-9_]+)'/g)) names.add(m[1]!);
  return names;
}

test('every check name of the field validations has a label or is reported by a quality check instead', () => {
  const names = reportedChecks();
  assert.ok(names.size > 30, `found only ${names.size} check names`);
  const missing = [...names].filter((n) => !VALIDATION_CHECK_LABELS[n] && !VALIDATION_CHECKS_COVERED_BY_QUALITY.includes(n));
  assert.deepEqual(missing, []);
});

test('rule labels: quality checks by id, field validations under validate.*', () => {
  assert.equal(qualityRuleLabel('minor_with_labour'), '未满16周岁却有劳动能力');
  assert.equal(qualityRuleLabel('minor_with_labour', 'en'), 'Member under 16 recorded with labour capacity');
  assert.equal(qualityRuleLabel('validate.required'), '字段校验：必填项为空');
  assert.equal(qualityRuleLabel('validate.phone_format', 'en'), 'Field check: Wrong phone number format');
  assert.equal(qualityRuleLabel('validate.nonexistent'), 'validate.nonexistent');
  for (const c of QUALITY_CHECKS) assert.notEqual(qualityRuleLabel(c.id), c.id);
});

test('field labels: member fields for members, household, income and status fields otherwise', () => {
  assert.equal(qualityFieldLabel('labour', true), '劳动技能');
  assert.equal(qualityFieldLabel('phone', true), '联系电话');
  assert.equal(qualityFieldLabel('health.1', true), '健康状况');
  assert.equal(qualityFieldLabel('land.cultivated', false), '耕地面积（亩）');
  assert.equal(qualityFieldLabel('publicWelfareWage', false), '公益性岗位收入（元）');
  assert.equal(qualityFieldLabel('riskTypes.0', false), '风险类型');
  assert.equal(qualityFieldLabel('relation', false), '与户主关系');
  assert.equal(qualityFieldLabel('assistance', false), '帮扶措施');
  assert.equal(qualityFieldLabel('somethingElse', false), 'somethingElse');
});
