import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  medicalInsuranceFromFlags, validateHousehold, validateIncome, validateMember, validateYearStatus,
} from '../../src/index';
import type { Household, Member, ValidationProblem } from '../../src/index';
import { breakCheck, DAUGHTER_ID, family, HEAD_ID, household, income, makeId, member, REF, yearStatus } from './fixtures';

const opts = { referenceDate: REF };

/** The problems as "field:check:severity" strings, sorted, for exact comparison. */
function keys(problems: ValidationProblem[]): string[] {
  return problems.map((p) => `${p.field}:${p.check}:${p.severity}`).sort();
}
const hh = (over: Partial<Household>) => keys(validateHousehold(household(over), opts));
const mm = (over: Partial<Member>, extra: { regionCode?: string } = {}) => keys(validateMember(member(over), { ...opts, ...extra }));

test('a valid household and family have no problems', () => {
  assert.deepEqual(validateHousehold(household(), opts), []);
  for (const m of family()) assert.deepEqual(validateMember(m, opts), [], m.name);
  assert.deepEqual(validateIncome(income(), opts), []);
  assert.deepEqual(validateYearStatus(yearStatus(), opts), []);
});

test('household: required fields and formats', () => {
  assert.deepEqual(hh({ householdNo: '' }), ['householdNo:required:error']);
  assert.deepEqual(hh({ householdNo: '12 34' }), ['householdNo:format:error']);
  assert.deepEqual(hh({ villageCode: '2112041012' }), ['villageCode:format:error']);
  assert.deepEqual(hh({ villageCode: '211204101000' }), ['villageCode:format:error'], 'a township code is not a village');
  assert.deepEqual(hh({ villageCode: '211202101200' }), ['villageCode:region_mismatch:error']);
  assert.deepEqual(hh({ countyCode: '2112' }), ['countyCode:format:error']);
  assert.deepEqual(hh({ attribute: null }), ['attribute:required:error']);
  assert.deepEqual(hh({ attribute: '贫困户' as never }), ['attribute:code:error']);
  assert.deepEqual(hh({ phone: '12345' }), ['phone:phone_format:warning']);
  assert.deepEqual(hh({ phone: '0410-7654321' }), []);
  const messages = validateHousehold(household({ householdNo: '' }), opts).map((p) => p.message);
  assert.deepEqual(messages, ['户编号不能为空']);
});

test('household: years, causes and code values', () => {
  assert.deepEqual(hh({ identifiedYear: null }), ['identifiedYear:required:error'], 'required for a registered poor household');
  assert.deepEqual(hh({ attribute: 'none', identifiedYear: null, exitYear: null, mainCause: null }), []);
  assert.deepEqual(hh({ identifiedYear: 2012 }), ['identifiedYear:year_range:error']);
  assert.deepEqual(hh({ identifiedYear: 2026, exitYear: null }), [], 'current year + 1 allowed');
  assert.deepEqual(hh({ identifiedYear: 2027, exitYear: null }), ['identifiedYear:year_range:error']);
  assert.deepEqual(hh({ identifiedYear: 2014.5 }), ['identifiedYear:year_range:error']);
  assert.deepEqual(hh({ exitYear: 2013 }), ['exitYear:year_order:error']);
  assert.deepEqual(hh({ attribute: 'none' }), ['exitYear:exit_without_registration:warning']);
  assert.deepEqual(hh({ mainCause: null }), ['mainCause:required:error']);
  assert.deepEqual(hh({ otherCauses: ['lack_funds', 'lack_skills', 'disaster'] }), ['otherCauses:max_other_causes:error']);
  assert.deepEqual(hh({ otherCauses: ['illness'] }), ['otherCauses:duplicate:error']);
  assert.deepEqual(hh({ otherCauses: ['lack_funds', 'lack_funds'] }), ['otherCauses:duplicate:error']);
  assert.deepEqual(hh({ otherCauses: ['nope' as never] }), ['otherCauses.0:code:error']);
  assert.deepEqual(hh({ fuel: 'wood' as never, roadType: '硬化路' as never }), ['fuel:code:error', 'roadType:code:error']);
});

test('household: areas, housing, water, social security', () => {
  const land = { cultivated: -1, forest: 0, returnedForest: null, orchard: Number.NaN, pasture: 0, waterSurface: 0 };
  assert.deepEqual(hh({ land }), ['land.cultivated:range:error', 'land.orchard:number:error']);
  assert.deepEqual(hh({ housingArea: -5 }), ['housingArea:range:error']);
  assert.deepEqual(hh({ roadDistanceKm: -0.1 }), ['roadDistanceKm:range:error']);
  assert.deepEqual(hh({ relocationKeysReceived: true }), ['relocationKeysReceived:relocation:error']);
  assert.deepEqual(hh({ relocated: true, relocationKeysReceived: true }), []);
  assert.deepEqual(hh({ safeWater: false }), ['waterProblem:water_problem_required:error']);
  assert.deepEqual(hh({ safeWater: false, waterProblem: 'quality' }), []);
  assert.deepEqual(hh({ safeWater: true, waterProblem: 'quality' }), ['waterProblem:water_problem_unexpected:warning']);
  assert.deepEqual(hh({ electricity: 'yes' as never }), ['electricity:type:error']);
  assert.deepEqual(hh({ attribute: 'dibao_poor' }), ['dibao:attribute_dibao_mismatch:warning']);
  assert.deepEqual(hh({ attribute: 'dibao_poor', dibao: 'rural' }), []);
  assert.deepEqual(hh({ attribute: 'wubao', tekun: 'none' }), ['tekun:attribute_tekun_mismatch:warning']);
});

test('member: ID number via parseIdNumber, with its messages', () => {
  const bad = validateMember(member({ idNumber: breakCheck(HEAD_ID) }), opts);
  assert.deepEqual(keys(bad), ['idNumber:id_number:error']);
  assert.equal(bad[0]!.message, `校验位错误（应为${HEAD_ID[17]}）`);
  assert.deepEqual(mm({ idNumber: '' }), ['idNumber:required:error']);
  assert.deepEqual(mm({ idNumber: HEAD_ID.toLowerCase() }), []);
  assert.deepEqual(mm({ idNumber: `${HEAD_ID}42` }), ['health:disability_cert_health:error', 'idNumber:id_type_mismatch:error']);
  assert.deepEqual(mm({ idType: 'disability_cert' }), ['idNumber:id_type_mismatch:error']);
  assert.deepEqual(mm({ idType: 'passport' as never }), ['idType:code:error']);
  assert.deepEqual(mm({ idNumber: '211204800315011' }), ['idNumber:id_15_digit:warning']);
});

test('member: region prefix only warns', () => {
  assert.deepEqual(mm({}, { regionCode: '211204' }), []);
  assert.deepEqual(mm({}, { regionCode: '211202' }), ['idNumber:id_region:warning']);
});

test('member: birth date and sex must match the ID number', () => {
  const r = validateMember(member({ birthDate: '1980-03-16' }), opts);
  assert.deepEqual(keys(r), ['birthDate:id_birth_mismatch:error']);
  assert.equal(r[0]!.message, '出生日期与证件号码不符（证件号码中为1980-03-15）');
  const s = validateMember(member({ sex: 'female' }), opts);
  assert.deepEqual(keys(s), ['sex:id_sex_mismatch:error']);
  assert.equal(s[0]!.message, '性别与证件号码不符（证件号码第17位表示男）');
  assert.deepEqual(mm({ birthDate: '1980-02-30' }), ['birthDate:date:error']);
  assert.deepEqual(mm({ birthDate: null }), ['birthDate:required:error']);
});

test('member: required fields', () => {
  assert.deepEqual(mm({ name: ' ' }), ['name:required:error']);
  assert.deepEqual(mm({ name: '王2' }), ['name:format:error']);
  assert.deepEqual(mm({ relation: null }), ['relation:required:error']);
  assert.deepEqual(mm({ sex: null }), ['sex:required:error']);
  assert.deepEqual(mm({ ethnicity: null }), ['ethnicity:required:error']);
  assert.deepEqual(mm({ ethnicity: '满族' as never }), ['ethnicity:code:error']);
  assert.deepEqual(mm({ labour: null }), ['labour:required:error']);
  assert.deepEqual(mm({ education: null }), ['education:required:error'], 'adults need 文化程度');
  assert.deepEqual(mm({ schoolStatus: null }), ['schoolStatus:required:error']);
  assert.deepEqual(mm({ health: [] }), ['health:required:error']);
});

test('member: age against school stage', () => {
  const kid = (birth: string, seq: string, schoolStatus: Member['schoolStatus'], over: Partial<Member> = {}) =>
    mm({
      idNumber: makeId('211204', birth.replaceAll('-', ''), seq), birthDate: birth, sex: 'male', relation: 'son',
      labour: 'none', education: null, workMonths: 0, workPlace: null, monthlyWorkIncome: null, schoolStatus, ...over,
    });
  assert.deepEqual(kid('2015-05-01', '011', 'primary_4'), [], '10 in grade 4');
  assert.deepEqual(kid('2022-01-01', '011', 'junior_7'), ['schoolStatus:age_school_mismatch:error'], '3 in junior high');
  assert.deepEqual(kid('2016-01-01', '011', 'primary_1'), ['schoolStatus:age_school_mismatch:warning'], '9 in grade 1');
  assert.deepEqual(kid('2019-01-01', '011', 'preschool'), [], '6 before school');
  assert.deepEqual(kid('2018-01-01', '011', 'preschool', { dropoutReason: 'illness' }), ['schoolStatus:age_school_mismatch:warning']);
  assert.deepEqual(mm({ schoolStatus: 'primary_3' }), ['schoolStatus:age_school_mismatch:error'], 'a 45-year-old in primary school');
  assert.deepEqual(mm({ schoolStatus: 'bachelor_plus' }), ['schoolStatus:age_school_mismatch:warning']);
  const problems = validateMember(member({ schoolStatus: 'primary_3' }), opts);
  assert.equal(problems[0]!.message, '45岁与在校生状况“小学三年级”明显不符');
});

// Out of school without a reason, and uninsured, are real situations the registry must be able to record (the
// quality checks and monitoring rules flag them); validation warns instead of refusing the record.
test('member: compulsory-school child out of school needs a reason', () => {
  const child = { idNumber: DAUGHTER_ID, birthDate: '2015-05-01', sex: 'female' as const, relation: 'daughter' as const,
    labour: 'none' as const, education: null, workMonths: 0, workPlace: null, monthlyWorkIncome: null };
  assert.deepEqual(mm({ ...child, schoolStatus: 'not_in_school' }), ['dropoutReason:dropout_reason_required:warning']);
  assert.deepEqual(mm({ ...child, schoolStatus: 'not_in_school', dropoutReason: 'illness' }), []);
  assert.deepEqual(mm({ ...child, schoolStatus: 'primary_4', dropoutReason: 'illness' }), ['dropoutReason:dropout_reason_unexpected:warning']);
});

test('member: labour against age', () => {
  const child = { idNumber: DAUGHTER_ID, birthDate: '2015-05-01', sex: 'female' as const, relation: 'daughter' as const,
    education: null, schoolStatus: 'primary_4' as const, workMonths: 0, workPlace: null, monthlyWorkIncome: null };
  assert.deepEqual(mm({ ...child, labour: 'weak' }), ['labour:minor_with_labour:error']);
  assert.deepEqual(mm({ ...child, labour: 'ordinary' }), ['labour:minor_with_labour:error']);
  assert.deepEqual(mm({ ...child, labour: 'none' }), []);
});

test('member: health set and disability', () => {
  assert.deepEqual(mm({ health: ['healthy', 'chronic'] }), ['health:health_exclusive:error']);
  assert.deepEqual(mm({ health: ['chronic', 'chronic'] }), ['health:duplicate:error']);
  assert.deepEqual(mm({ health: ['chronic', 'serious_illness'] }), []);
  assert.deepEqual(mm({ health: ['disabled'] }), ['disabilityCategory:required:error', 'disabilityGrade:required:error']);
  assert.deepEqual(mm({ health: ['disabled'], disabilityCategory: '4', disabilityGrade: '2' }), []);
  assert.deepEqual(mm({ disabilityCategory: '4' }), ['disabilityCategory:disability_without_health:error']);
  assert.deepEqual(mm({ health: ['disabled'], disabilityCategory: '8' as never, disabilityGrade: '2' }), ['disabilityCategory:code:error']);
  const cert = { idType: 'disability_cert' as const, idNumber: `${HEAD_ID}42` };
  assert.deepEqual(mm({ ...cert, health: ['disabled'], disabilityCategory: '4', disabilityGrade: '2' }), []);
  assert.deepEqual(mm({ ...cert, health: ['disabled'], disabilityCategory: '1', disabilityGrade: '3' }),
    ['disabilityCategory:disability_cert_mismatch:error', 'disabilityGrade:disability_cert_mismatch:error']);
  assert.deepEqual(mm({ ...cert }), ['health:disability_cert_health:error']);
});

test('member: months, income and work place', () => {
  assert.deepEqual(mm({ workMonths: 13 }), ['workMonths:range:error']);
  assert.deepEqual(mm({ workMonths: -1 }), ['workMonths:range:error']);
  assert.deepEqual(mm({ workMonths: 12 }), []);
  assert.deepEqual(mm({ workPlace: null }), ['workPlace:work_place_required:warning']);
  assert.deepEqual(mm({ workPlace: 'mars' as never }), ['workPlace:code:error']);
  assert.deepEqual(mm({ publicWelfareMonths: 12.5 }), ['publicWelfareMonths:range:error']);
  assert.deepEqual(mm({ monthlyWorkIncome: -1 }), ['monthlyWorkIncome:range:error']);
  assert.deepEqual(mm({ monthlyWorkIncome: '3000' as never }), ['monthlyWorkIncome:number:error']);
});

test('member: exactly one basic medical insurance', () => {
  assert.deepEqual(mm({ medicalInsurance: null }), ['medicalInsurance:medical_insurance:error']);
  assert.deepEqual(mm({ medicalInsurance: 'none' }), ['medicalInsurance:medical_insurance:warning']);
  assert.deepEqual(mm({ medicalInsurance: 'employee' }), []);
  assert.deepEqual(mm({ medicalInsurance: 'both' as never }), ['medicalInsurance:code:error']);
  assert.deepEqual(medicalInsuranceFromFlags(true, true), { ok: false, error: '同时参加城乡居民医保和职工医保，只能保留一种', problem: { code: 'registry.check.bothMedicalInsurances', params: {} } });
  assert.deepEqual(medicalInsuranceFromFlags(true, false), { ok: true, code: 'resident' });
  assert.deepEqual(medicalInsuranceFromFlags(null, true), { ok: true, code: 'employee' });
  assert.deepEqual(medicalInsuranceFromFlags(false, false), { ok: true, code: 'none' });
  assert.deepEqual(medicalInsuranceFromFlags(null, null), { ok: true, code: null });
});

test('member: a partial form as the user types', () => {
  const r = validateMember({ idNumber: HEAD_ID.slice(0, 10) }, opts);
  assert.ok(r.some((p) => p.field === 'idNumber' && p.message === '长度应为18位（当前10位）'));
  assert.ok(r.some((p) => p.field === 'name' && p.check === 'required'));
  assert.ok(r.every((p) => p.severity === 'error' || p.severity === 'warning'));
});

test('income: finite numbers, only operating income may be negative', () => {
  const ii = (over: Parameters<typeof income>[0]) => keys(validateIncome(income(over), opts));
  assert.deepEqual(ii({ operatingIncome: -5000 }), []);
  assert.deepEqual(ii({ otherWage: -1 }), ['otherWage:income_item:error']);
  assert.deepEqual(ii({ operatingExpense: -1 }), ['operatingExpense:income_item:error']);
  assert.deepEqual(ii({ pension: Number.NaN }), ['pension:number:error']);
  assert.deepEqual(ii({ pension: Number.POSITIVE_INFINITY }), ['pension:number:error']);
  assert.deepEqual(ii({ pension: null }), []);
  assert.deepEqual(ii({ pension: 0.285 }), ['pension:income_precision:warning']);
  assert.deepEqual(ii({ pension: 1234.56 }), []);
  assert.deepEqual(ii({ year: 2012 }), ['year:year_range:error']);
  assert.deepEqual(ii({ year: 2027 }), ['year:year_range:error']);
});

test('year status: monitoring fields and risk types', () => {
  const ys = (over: Parameters<typeof yearStatus>[0]) => keys(validateYearStatus(yearStatus(over), opts));
  assert.deepEqual(ys({ monitoredType: null }), ['monitoredType:required:error']);
  assert.deepEqual(ys({ monitored: false, monitoredType: null, riskTypes: [] }), []);
  assert.deepEqual(ys({ monitored: false }), ['monitoredType:monitored_type_unexpected:error', 'riskTypes:risk_unexpected:warning']);
  assert.deepEqual(ys({ riskTypes: [] }), ['riskTypes:risk_required:error']);
  assert.deepEqual(ys({ riskTypes: ['illness', 'disability', 'schooling', 'accident', 'housing', 'other'] }), ['riskTypes:max_risk_types:error']);
  assert.deepEqual(ys({ riskTypes: ['illness', 'illness'] }), ['riskTypes:duplicate:error']);
  assert.deepEqual(ys({ riskTypes: ['flood' as never] }), ['riskTypes.0:code:error']);
  assert.deepEqual(ys({ exitYear: null }), ['exitYear:required:error']);
  assert.deepEqual(ys({ year: 2018 }), ['exitYear:year_order:error']);
  assert.deepEqual(ys({ status: 'poor', exitYear: null }), ['monitoredType:monitored_type_status:warning']);
  assert.deepEqual(ys({ status: 'ordinary', exitYear: null, monitoredType: 'marginal' }), []);
  assert.deepEqual(ys({ status: 'exited', monitoredType: 'marginal' }), ['monitoredType:monitored_type_status:warning']);
});

test('an invalid reference date is a programming error', () => {
  assert.throws(() => validateMember(member(), { referenceDate: '2025-13-01' }), /invalid reference date/);
});
