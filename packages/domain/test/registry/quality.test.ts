import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateIdNumbers, maskIdsInParams, renderMessage, QUALITY_CHECKS, QUALITY_DEFAULTS, qualityCheckById, qualityCheckLabel, runQualityChecks } from '../../src/index';
import type { Member, MessageRef, QualityContext, QualityIssue } from '../../src/index';
import { breakCheck, DAUGHTER_ID, family, HEAD_ID, household, income, makeId, REF, SON_ID, SPOUSE_ID, yearStatus } from './fixtures';

function ctx(over: Partial<QualityContext> = {}, edit?: (members: Member[]) => void): QualityContext {
  const members = family();
  edit?.(members);
  return {
    household: household(), members, income: income(), yearStatus: yearStatus(), referenceDate: REF,
    hasDevelopmentMeasure: true, monitoredSince: '2024-10-01', ...over,
  };
}

function run(id: string, c: QualityContext): QualityIssue[] {
  const check = qualityCheckById(id);
  assert.ok(check, `check ${id} exists`);
  const issues = check.run(c);
  for (const i of issues) {
    assert.equal(i.check, id);
    assert.equal(i.severity, check.severity);
  }
  return issues;
}

/** Summary of issues: "memberIndex:field". */
const where = (issues: QualityIssue[]) => issues.map((i) => `${i.memberIndex ?? 'household'}:${i.field}`);

test('the valid family passes every check', () => {
  assert.deepEqual(runQualityChecks(ctx()), []);
});

test('the registry: unique ids, both labels, DOMAIN §11 covered', () => {
  const ids = QUALITY_CHECKS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of [
    'age_labour_mismatch', 'minor_with_labour', 'lack_labour_risk_with_labour', 'illness_risk_without_sick',
    'employment_risk_without_worker', 'compulsory_school_dropout', 'work_income_out_of_range', 'public_welfare_post_age',
    'monitored_without_development_measure', 'duplicate_id_in_household', 'medical_insurance_not_one', 'household_head_count',
    'id_birth_sex_mismatch',
  ]) assert.ok(ids.includes(id), id);
  for (const c of QUALITY_CHECKS) assert.ok(c.zh && c.en && (c.scope === 'member' || c.scope === 'household'));
  assert.equal(qualityCheckLabel('minor_with_labour'), '未满16周岁却有劳动能力');
  assert.equal(qualityCheckLabel('nope'), null);
});

test('age_labour_mismatch: healthy 16–59 with weak or no labour', () => {
  const hit = run('age_labour_mismatch', ctx({}, (m) => { m[0]!.labour = 'none'; }));
  assert.deepEqual(where(hit), ['0:labour']);
  assert.equal(hit[0]!.idNumber, HEAD_ID);
  assert.equal(hit[0]!.message, '王建国：45岁、身体健康、非在校生，劳动技能却为“无劳动力”，请核实');
  assert.deepEqual(where(run('age_labour_mismatch', ctx({}, (m) => { m[0]!.labour = 'weak'; }))), ['0:labour']);
  // the spouse is weak labour but chronically ill; the 17-year-old is a student
  assert.deepEqual(run('age_labour_mismatch', ctx()), []);
  // a 60-year-old is outside working age
  const old = makeId('211204', '19650101', '011');
  assert.deepEqual(run('age_labour_mismatch', ctx({}, (m) => { Object.assign(m[0]!, { idNumber: old, birthDate: '1965-01-01', labour: 'none' }); })), []);
  // the son leaves school: now he is flagged
  assert.deepEqual(where(run('age_labour_mismatch', ctx({}, (m) => { m[2]!.schoolStatus = 'not_in_school'; }))), ['2:labour']);
});

test('minor_with_labour: under 16 with labour capacity (error)', () => {
  const hit = run('minor_with_labour', ctx({}, (m) => { m[3]!.labour = 'weak'; }));
  assert.deepEqual(where(hit), ['3:labour']);
  assert.equal(hit[0]!.severity, 'error');
  assert.equal(hit[0]!.idNumber, DAUGHTER_ID);
  assert.deepEqual(run('minor_with_labour', ctx()), []);
  // 16 on the reference date is no longer a minor
  const sixteen = makeId('211204', '20090630', '031');
  assert.deepEqual(run('minor_with_labour', ctx({}, (m) => { Object.assign(m[2]!, { idNumber: sixteen, birthDate: '2009-06-30', labour: 'ordinary' }); })), []);
  const fifteen = makeId('211204', '20090701', '031');
  assert.deepEqual(where(run('minor_with_labour', ctx({}, (m) => { Object.assign(m[2]!, { idNumber: fifteen, birthDate: '2009-07-01', labour: 'ordinary' }); }))), ['2:labour']);
});

test('lack_labour_risk_with_labour: more than a quarter ordinary or skilled', () => {
  const risky = yearStatus({ riskTypes: ['lack_labour'] });
  // 1 of 4 ordinary = exactly a quarter: fine
  assert.deepEqual(run('lack_labour_risk_with_labour', ctx({ yearStatus: risky })), []);
  // 2 of 4
  const hit = run('lack_labour_risk_with_labour', ctx({ yearStatus: risky }, (m) => { m[1]!.labour = 'skilled'; }));
  assert.deepEqual(where(hit), ['household:riskTypes']);
  assert.equal(hit[0]!.message, '风险类型为“缺劳动力”，但4人中有2人为普通或技能劳动力，请核实');
  // no such risk
  assert.deepEqual(run('lack_labour_risk_with_labour', ctx({}, (m) => { m[1]!.labour = 'skilled'; })), []);
  // the share is a setting
  assert.deepEqual(run('lack_labour_risk_with_labour', ctx({ yearStatus: risky, settings: { lackLabourShareMax: 0.5 } }, (m) => { m[1]!.labour = 'skilled'; })), []);
});

test('illness_risk_without_sick', () => {
  const healthy = (m: Member[]) => { m[1]!.health = ['healthy']; };
  assert.deepEqual(where(run('illness_risk_without_sick', ctx({}, healthy))), ['household:riskTypes']);
  assert.deepEqual(run('illness_risk_without_sick', ctx()), [], 'the spouse is chronically ill');
  assert.deepEqual(run('illness_risk_without_sick', ctx({}, (m) => { healthy(m); m[0]!.health = ['serious_illness']; })), []);
  assert.deepEqual(run('illness_risk_without_sick', ctx({ yearStatus: yearStatus({ riskTypes: ['disability'] }) }, healthy)), []);
  assert.deepEqual(run('illness_risk_without_sick', ctx({ yearStatus: null }, healthy)), []);
});

test('employment_risk_without_worker', () => {
  const risky = yearStatus({ riskTypes: ['unstable_employment'] });
  const noWork = (m: Member[]) => { Object.assign(m[0]!, { workMonths: 0, workPlace: null, monthlyWorkIncome: null }); };
  assert.deepEqual(where(run('employment_risk_without_worker', ctx({ yearStatus: risky }, noWork))), ['household:riskTypes']);
  assert.deepEqual(run('employment_risk_without_worker', ctx({ yearStatus: risky })), []);
  assert.deepEqual(run('employment_risk_without_worker', ctx({}, noWork)), []);
});

test('compulsory_school_dropout: 6–15 not in school without a reason (error)', () => {
  const hit = run('compulsory_school_dropout', ctx({}, (m) => { m[3]!.schoolStatus = 'not_in_school'; }));
  assert.deepEqual(where(hit), ['3:dropoutReason']);
  assert.equal(hit[0]!.severity, 'error');
  assert.deepEqual(where(run('compulsory_school_dropout', ctx({}, (m) => { m[3]!.schoolStatus = null; }))), ['3:dropoutReason']);
  assert.deepEqual(where(run('compulsory_school_dropout', ctx({}, (m) => { m[3]!.schoolStatus = 'preschool'; }))), ['3:dropoutReason'], '10 and still preschool');
  assert.deepEqual(run('compulsory_school_dropout', ctx({}, (m) => { m[3]!.schoolStatus = 'not_in_school'; m[3]!.dropoutReason = 'disability'; })), []);
  assert.deepEqual(run('compulsory_school_dropout', ctx()), []);
  // 17-year-old out of school is past compulsory age
  assert.deepEqual(run('compulsory_school_dropout', ctx({}, (m) => { m[2]!.schoolStatus = 'not_in_school'; })), []);
  // a 6-year-old still in 学龄前 is normal
  const six = makeId('211204', '20190101', '042');
  assert.deepEqual(run('compulsory_school_dropout', ctx({}, (m) => { Object.assign(m[3]!, { idNumber: six, birthDate: '2019-01-01', schoolStatus: 'preschool' }); })), []);
});

test('work_income_out_of_range: above 30,000 or below 100 a month', () => {
  const high = run('work_income_out_of_range', ctx({}, (m) => { m[0]!.monthlyWorkIncome = 30001; }));
  assert.deepEqual(where(high), ['0:monthlyWorkIncome']);
  assert.equal(high[0]!.message, '王建国：月务工收入30001元高于30000元，请核实');
  assert.deepEqual(where(run('work_income_out_of_range', ctx({}, (m) => { m[0]!.monthlyWorkIncome = 99; }))), ['0:monthlyWorkIncome']);
  assert.deepEqual(where(run('work_income_out_of_range', ctx({}, (m) => { m[0]!.monthlyWorkIncome = 0; }))), ['0:monthlyWorkIncome'], 'worked 8 months for nothing');
  assert.deepEqual(run('work_income_out_of_range', ctx({}, (m) => { m[0]!.monthlyWorkIncome = 30000; })), []);
  assert.deepEqual(run('work_income_out_of_range', ctx({}, (m) => { m[0]!.monthlyWorkIncome = 100; })), []);
  assert.deepEqual(run('work_income_out_of_range', ctx({}, (m) => { m[1]!.monthlyWorkIncome = 0; })), [], 'no work, no income');
});

test('public_welfare_post_age: under 16 or 70 and over', () => {
  const seventy = makeId('211204', '19550630', '011');
  const hit = run('public_welfare_post_age', ctx({}, (m) => { Object.assign(m[0]!, { idNumber: seventy, birthDate: '1955-06-30', publicWelfareMonths: 6 }); }));
  assert.deepEqual(where(hit), ['0:publicWelfareMonths']);
  assert.deepEqual(where(run('public_welfare_post_age', ctx({}, (m) => { m[3]!.publicWelfareMonths = 3; }))), ['3:publicWelfareMonths']);
  const sixtyNine = makeId('211204', '19550701', '011');
  assert.deepEqual(run('public_welfare_post_age', ctx({}, (m) => { Object.assign(m[0]!, { idNumber: sixtyNine, birthDate: '1955-07-01', publicWelfareMonths: 6 }); })), []);
  assert.deepEqual(run('public_welfare_post_age', ctx({}, (m) => { m[0]!.publicWelfareMonths = 12; })), []);
  assert.deepEqual(run('public_welfare_post_age', ctx({}, (m) => { Object.assign(m[0]!, { idNumber: seventy, birthDate: '1955-06-30', publicWelfareMonths: 0 }); })), []);
});

test('monitored_without_development_measure: after 6 months with labour capacity', () => {
  const lacking = { hasDevelopmentMeasure: false, monitoredSince: '2024-12-30' };
  const hit = run('monitored_without_development_measure', ctx(lacking));
  assert.deepEqual(where(hit), ['household:assistance']);
  assert.equal(hit[0]!.message, '2024-12-30纳入监测已满6个月，家中有劳动能力但未落实产业或就业等开发式帮扶措施');
  assert.deepEqual(run('monitored_without_development_measure', ctx({ ...lacking, monitoredSince: '2025-01-01' })), [], 'not yet 6 months');
  assert.deepEqual(run('monitored_without_development_measure', ctx({ ...lacking, hasDevelopmentMeasure: true })), []);
  assert.deepEqual(run('monitored_without_development_measure', ctx({ ...lacking, hasDevelopmentMeasure: undefined })), [], 'unknown');
  assert.deepEqual(run('monitored_without_development_measure', ctx({ ...lacking, monitoredSince: null })), [], 'unknown start');
  assert.deepEqual(run('monitored_without_development_measure', ctx({ ...lacking, yearStatus: yearStatus({ monitored: false, monitoredType: null, riskTypes: [] }) })), []);
  const noLabour = (m: Member[]) => { m[0]!.labour = 'lost'; m[1]!.labour = 'none'; };
  assert.deepEqual(run('monitored_without_development_measure', ctx(lacking, noLabour)), []);
  assert.deepEqual(run('monitored_without_development_measure', ctx({ ...lacking, settings: { developmentMeasureMonths: 9 } })), []);
});

test('duplicate_id_in_household (error), across 15/18 digits and certificates', () => {
  const dup = run('duplicate_id_in_household', ctx({}, (m) => { m[3]!.idNumber = SON_ID; }));
  assert.deepEqual(where(dup), ['3:idNumber']);
  assert.equal(dup[0]!.message, '王丽：证件号码与王磊重复');
  assert.equal(dup[0]!.severity, 'error');
  const asCert = run('duplicate_id_in_household', ctx({}, (m) => { m[1]!.idNumber = `${HEAD_ID.toLowerCase()}42`; }));
  assert.deepEqual(where(asCert), ['1:idNumber']);
  const as15 = run('duplicate_id_in_household', ctx({}, (m) => { m[1]!.idNumber = '211204800315011'; }));
  assert.deepEqual(where(as15), ['1:idNumber']);
  assert.deepEqual(run('duplicate_id_in_household', ctx()), []);
});

test('medical_insurance_not_one (error)', () => {
  const hit = run('medical_insurance_not_one', ctx({}, (m) => { m[1]!.medicalInsurance = 'none'; m[2]!.medicalInsurance = null; }));
  assert.deepEqual(where(hit), ['1:medicalInsurance', '2:medicalInsurance']);
  assert.equal(hit[0]!.message, '李秀兰：未参加基本医疗保险');
  assert.deepEqual(run('medical_insurance_not_one', ctx({}, (m) => { m[0]!.medicalInsurance = 'employee'; })), []);
});

test('household_head_count: exactly one head (error)', () => {
  assert.deepEqual(where(run('household_head_count', ctx({}, (m) => { m[0]!.relation = 'other'; }))), ['household:relation']);
  const two = run('household_head_count', ctx({}, (m) => { m[1]!.relation = 'head'; }));
  assert.equal(two[0]!.message, '户内有2个户主，只能有一个');
  assert.equal(run('household_head_count', ctx({ members: [] }))[0]!.message, '户内没有户主');
  assert.deepEqual(run('household_head_count', ctx()), []);
});

test('id_birth_sex_mismatch (error)', () => {
  const hit = run('id_birth_sex_mismatch', ctx({}, (m) => { m[1]!.birthDate = '1982-07-21'; m[1]!.sex = 'male'; }));
  assert.deepEqual(where(hit), ['1:birthDate', '1:sex']);
  assert.equal(hit[0]!.idNumber, SPOUSE_ID);
  assert.equal(hit[1]!.message, '李秀兰：性别“男”与证件号码（女）不符');
  assert.deepEqual(run('id_birth_sex_mismatch', ctx()), []);
  assert.deepEqual(run('id_birth_sex_mismatch', ctx({}, (m) => { m[1]!.idNumber = breakCheck(SPOUSE_ID); m[1]!.sex = 'male'; })), [], 'an invalid ID is reported by invalid_id_number');
});

test('invalid_id_number (error)', () => {
  const hit = run('invalid_id_number', ctx({}, (m) => { m[2]!.idNumber = breakCheck(SON_ID); }));
  assert.deepEqual(where(hit), ['2:idNumber']);
  assert.equal(hit[0]!.message, `王磊：校验位错误（应为${SON_ID[17]}）`);
  assert.deepEqual(run('invalid_id_number', ctx()), []);
});

test('public_welfare_income_mismatch', () => {
  assert.deepEqual(where(run('public_welfare_income_mismatch', ctx({ income: income({ publicWelfareWage: 6000 }) }))), ['household:publicWelfareWage']);
  assert.deepEqual(where(run('public_welfare_income_mismatch', ctx({}, (m) => { m[0]!.publicWelfareMonths = 6; }))), ['household:publicWelfareWage']);
  assert.deepEqual(run('public_welfare_income_mismatch', ctx({ income: income({ publicWelfareWage: 6000 }) }, (m) => { m[0]!.publicWelfareMonths = 6; })), []);
  assert.deepEqual(run('public_welfare_income_mismatch', ctx({ income: null })), []);
});

test('runQualityChecks collects issues from several checks, and can run a subset', () => {
  const c = ctx({}, (m) => { m[3]!.labour = 'ordinary'; m[3]!.schoolStatus = 'not_in_school'; m[0]!.relation = 'son'; });
  const all = runQualityChecks(c);
  assert.deepEqual(all.map((i) => i.check).sort(), ['compulsory_school_dropout', 'household_head_count', 'minor_with_labour']);
  assert.deepEqual(runQualityChecks(c, { only: ['minor_with_labour'] }).map((i) => i.memberIndex), [3]);
  assert.throws(() => runQualityChecks(ctx({ referenceDate: 'today' })), /invalid reference date/);
  assert.equal(QUALITY_DEFAULTS.workIncomeMonthlyMax, 30000);
});

test('ages come from the reference date passed in', () => {
  const c = ctx({}, (m) => { m[2]!.labour = 'ordinary'; });
  assert.deepEqual(runQualityChecks({ ...c, referenceDate: '2024-01-09' }, { only: ['minor_with_labour'] }).map((i) => i.memberIndex), [2]);
  assert.deepEqual(runQualityChecks({ ...c, referenceDate: '2024-01-10' }, { only: ['minor_with_labour'] }), []);
});

test('findDuplicateIdNumbers: the same person in two households', () => {
  const out = findDuplicateIdNumbers([
    { householdNo: 'A', idNumber: HEAD_ID },
    { householdNo: 'B', idNumber: '211204800315011' },
    { householdNo: 'B', idNumber: SON_ID },
    { householdNo: 'C', idNumber: `${SON_ID}42` },
    { householdNo: 'C', idNumber: DAUGHTER_ID },
    { householdNo: 'C', idNumber: DAUGHTER_ID },
  ], REF);
  assert.deepEqual(out, [
    { personKey: HEAD_ID, householdNos: ['A', 'B'] },
    { personKey: SON_ID, householdNos: ['B', 'C'] },
  ].sort((a, b) => (a.personKey < b.personKey ? -1 : 1)));
  assert.deepEqual(findDuplicateIdNumbers([{ householdNo: 'A', idNumber: HEAD_ID }]), []);
});

test('findings carry their catalogue code and params: the member (name, else 第N位成员) and the problem nested', () => {
  const hit = run('medical_insurance_not_one', ctx({}, (m) => { m[1]!.medicalInsurance = 'none'; m[2]!.medicalInsurance = null; m[2]!.name = ''; }));
  assert.equal(hit[0]!.code, 'quality.finding.member');
  assert.deepEqual((hit[0]!.params!.problem as MessageRef).code, 'quality.finding.medicalInsuranceNone');
  assert.equal(hit[0]!.message, renderMessage(hit[0] as MessageRef, 'zh'));
  assert.match(hit[0]!.message, /：未参加基本医疗保险$/);
  // without a name: 第3位成员 / Member 3
  assert.deepEqual(hit[1]!.params!.who, { code: 'quality.memberNo', params: { n: 3 } });
  assert.equal(renderMessage(hit[1] as MessageRef, 'en'), 'Member 3: Basic medical insurance not recorded (resident or employee; exactly one)');
  assert.equal(hit[1]!.message, '第3位成员：未填写基本医疗保险（城乡居民或职工，应参加且只参加一种）');
  // a household-level finding: the check's own code
  const heads = run('household_head_count', ctx({}, (m) => { m[0]!.relation = 'spouse'; }));
  assert.equal(heads[0]!.code, 'quality.finding.noHead');
  // ID numbers in params are masked as in the text
  const masked = maskIdsInParams({ who: '张三', problem: { code: 'registry.check.id15', params: { normalized: HEAD_ID } } });
  assert.doesNotMatch(JSON.stringify(masked), new RegExp(HEAD_ID));
});
