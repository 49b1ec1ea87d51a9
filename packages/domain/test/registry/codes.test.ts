import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  codeByLabel, DISABILITY_CATEGORIES, EDUCATION_LEVELS, ETHNICITIES, HEALTH_CONDITIONS, HOUSEHOLD_ATTRIBUTES, HOUSING_RATINGS,
  isCode, label, LABOUR_SKILLS, MEDICAL_INSURANCES, POVERTY_CAUSES, REGISTRY_CODE_TABLES, RELATIONS, RISK_TYPES,
  SCHOOL_STATUSES, SEXES, WORK_PLACES,
} from '../../src/index';

test('every table has unique ASCII codes and unique Chinese labels', () => {
  for (const [name, table] of Object.entries(REGISTRY_CODE_TABLES)) {
    const codes = table.map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length, `${name}: duplicate code`);
    for (const c of codes) assert.match(c, /^[A-Za-z0-9_]+$/, `${name}: code ${c}`);
    const zh = table.map((e) => e.zh);
    assert.equal(new Set(zh).size, zh.length, `${name}: duplicate label`);
    for (const e of table) assert.ok(e.en.length > 0 && e.zh.length > 0, `${name}: ${e.code} labels`);
    // an alias must not resolve to another entry's label
    for (const e of table) for (const a of ('aliases' in e ? e.aliases : []) ?? []) assert.equal(codeByLabel(table, a), e.code, `${name}: alias ${a}`);
  }
});

test('table sizes follow DOMAIN.md', () => {
  assert.equal(HOUSEHOLD_ATTRIBUTES.length, 6);
  assert.equal(POVERTY_CAUSES.length, 12);
  assert.equal(RISK_TYPES.length, 11);
  assert.equal(RELATIONS.length, 11); // DOMAIN §4's ten and 之孙女, which real registers use
  assert.equal(codeByLabel(RELATIONS, '之孙女'), 'granddaughter');
  assert.equal(EDUCATION_LEVELS.length, 6);
  assert.equal(SCHOOL_STATUSES.length, 18);
  assert.equal(HEALTH_CONDITIONS.length, 4);
  assert.equal(DISABILITY_CATEGORIES.length, 7);
  assert.equal(LABOUR_SKILLS.length, 5);
  assert.equal(WORK_PLACES.length, 5);
  assert.equal(MEDICAL_INSURANCES.length, 3);
});

test('ethnicities: 56 groups with GB 3304 codes plus 97 and 98', () => {
  assert.equal(ETHNICITIES.length, 58);
  const codes: string[] = ETHNICITIES.map((e) => e.code);
  for (let i = 1; i <= 56; i++) assert.ok(codes.includes(String(i).padStart(2, '0')));
  assert.equal(label(ETHNICITIES, '01'), '汉族');
  assert.equal(label(ETHNICITIES, '11'), '满族');
  assert.equal(label(ETHNICITIES, '46'), '德昂族');
  assert.equal(label(ETHNICITIES, '56'), '基诺族');
  assert.equal(label(ETHNICITIES, '98'), '外国血统中国籍人士');
});

test('label in both languages, null for unknown or missing', () => {
  assert.equal(label(HOUSEHOLD_ATTRIBUTES, 'dibao_poor'), '低保贫困户');
  assert.equal(label(HOUSEHOLD_ATTRIBUTES, 'dibao_poor', 'en'), 'Poor household on minimum living allowance');
  assert.equal(label(SEXES, 'female', 'zh'), '女');
  assert.equal(label(SEXES, 'x'), null);
  assert.equal(label(SEXES, null), null);
  assert.equal(label(SEXES, undefined), null);
});

test('codeByLabel accepts codes, Chinese labels, aliases and spreadsheet noise', () => {
  assert.equal(codeByLabel(HOUSEHOLD_ATTRIBUTES, '低保贫困户'), 'dibao_poor');
  assert.equal(codeByLabel(HOUSEHOLD_ATTRIBUTES, 'dibao_poor'), 'dibao_poor');
  assert.equal(codeByLabel(HOUSEHOLD_ATTRIBUTES, ' \u3000低保贫困户\t'), 'dibao_poor');
  assert.equal(codeByLabel(HOUSEHOLD_ATTRIBUTES, '特困供养贫困户'), 'tekun_poor');
  assert.equal(codeByLabel(ETHNICITIES, '满族'), '11');
  assert.equal(codeByLabel(ETHNICITIES, '满'), '11');
  assert.equal(codeByLabel(ETHNICITIES, '11'), '11');
  assert.equal(codeByLabel(ETHNICITIES, '1'), '01', 'leading zero lost in a spreadsheet');
  assert.equal(codeByLabel(ETHNICITIES, '崩龙族'), '46');
  assert.equal(codeByLabel(ETHNICITIES, 'Manchu'), '11');
  assert.equal(codeByLabel(HOUSING_RATINGS, 'c'), 'C');
  assert.equal(codeByLabel(HOUSING_RATINGS, 'Ｄ级'), 'D', 'full-width letter');
  assert.equal(codeByLabel(SCHOOL_STATUSES, '初一'), 'junior_7');
  assert.equal(codeByLabel(SCHOOL_STATUSES, '非在校'), 'not_in_school');
  assert.equal(codeByLabel(LABOUR_SKILLS, '弱劳动力'), 'weak');
  assert.equal(codeByLabel(RISK_TYPES, '缺劳动力'), 'lack_labour');
  assert.equal(codeByLabel(POVERTY_CAUSES, '缺劳力'), 'lack_labour');
  assert.equal(codeByLabel(DISABILITY_CATEGORIES, '4'), '4');
  assert.equal(codeByLabel(DISABILITY_CATEGORIES, '肢体'), '4');
  assert.equal(codeByLabel(SEXES, '未知'), null);
  assert.equal(codeByLabel(SEXES, ''), null);
  assert.equal(codeByLabel(SEXES, null), null);
});

test('isCode is an exact check', () => {
  assert.ok(isCode(SEXES, 'male'));
  assert.ok(!isCode(SEXES, '男'));
  assert.ok(!isCode(SEXES, 1));
  assert.ok(!isCode(HOUSING_RATINGS, 'a'));
});
