import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessExit, checkElimination, POLICY_DEFAULTS, renderMessage, type AssessmentInput, type EliminationInput } from '../../src/index';

const TODAY = '2026-11-30';
const member = (name: string, birthDate: string, over: Partial<AssessmentInput['members'][number]> = {}): AssessmentInput['members'][number] => ({
  name, birthDate, idNumber: '', idType: 'resident_id', schoolStatus: 'not_in_school', dropoutReason: null, medicalInsurance: 'resident', labour: 'ordinary', ...over,
});
const base = (): AssessmentInput => ({
  household: { housingRating: 'B', relocated: false, relocationKeysReceived: null, safeWater: true, wholeNoLabour: false },
  members: [member('王大山', '1975-03-01'), member('李秀兰', '1978-05-01'), member('王小明', '2014-09-01', { schoolStatus: 'junior_7', labour: 'none' })],
  income: { otherWage: 30000, operatingIncome: 6000, operatingExpense: 2000 }, // 34,000 / 3 = 11,333.33
  policy: { ...POLICY_DEFAULTS, povertyLine: 4400, monitoringLine: 7260 },
  referenceDate: TODAY,
});

test('assessExit: a household meeting every item', () => {
  const r = assessExit(base());
  assert.deepEqual(r, { meets: true, perCapitaNetIncome: 11333.33, unmet: [] });
});

test('assessExit: lists every unmet item with details', () => {
  const i = base();
  i.income = { otherWage: 9000, operatingIncome: -1000, operatingExpense: 0 }; // 8,000 / 3 = 2,666.67
  i.members[2] = member('王小明', '2014-09-01', { schoolStatus: 'not_in_school', dropoutReason: 'weariness', labour: 'none' });
  i.members[1] = member('李秀兰', '1978-05-01', { medicalInsurance: 'none' });
  i.household = { housingRating: 'C', relocated: false, relocationKeysReceived: null, safeWater: false, wholeNoLabour: false };
  const r = assessExit(i);
  assert.equal(r.meets, false);
  assert.deepEqual(r.unmet.map((u) => u.code), ['income', 'education', 'medical', 'housing', 'water']);
  assert.match(r.unmet[0]!.detail, /人均纯收入 2,666.67 元，未超过脱贫标准 4,400 元/);
  assert.match(r.unmet[1]!.detail, /王小明/);
  assert.match(r.unmet[2]!.detail, /李秀兰 未参加基本医疗保险/);
  assert.match(r.unmet[3]!.detail, /C 级/);
  // each detail by code, its Chinese text rendered from the catalogue, and in English
  assert.deepEqual(r.unmet.map((u) => u.detailCode), ['exit.unmet.incomeBelowLine', 'exit.unmet.education', 'exit.unmet.medical', 'exit.unmet.housingRating', 'exit.unmet.waterUnsafe']);
  for (const u of r.unmet) assert.equal(renderMessage({ code: u.detailCode, params: u.detailParams }, 'zh'), u.detail);
  assert.equal(renderMessage({ code: r.unmet[2]!.detailCode, params: r.unmet[2]!.detailParams }, 'en'), '李秀兰: no basic medical insurance');
});

test('assessExit: boundary and odd values', () => {
  const i = base();
  i.income = { otherWage: 13200 }; // exactly 4,400 per person: not ABOVE the line
  assert.deepEqual(assessExit(i).unmet.map((u) => u.code), ['income']);
  i.income = null;
  assert.match(assessExit(i).unmet[0]!.detail, /没有本年度收入信息/);
  // a child out of school for health reasons, a relocated household with its keys, and a 5-year-old (below school age)
  const j = base();
  j.members.push(member('王小花', '2021-01-01', { schoolStatus: 'not_in_school', labour: 'none' }));
  j.members[2] = member('王小明', '2014-09-01', { schoolStatus: 'not_in_school', dropoutReason: 'illness', labour: 'none' });
  j.household = { housingRating: 'D', relocated: true, relocationKeysReceived: true, safeWater: true, wholeNoLabour: false };
  j.income = { otherWage: 40000 };
  assert.deepEqual(assessExit(j), { meets: true, perCapitaNetIncome: 10000, unmet: [] });
  // the school-age range is a setting
  j.policy = { ...j.policy, compulsoryAgeMin: 5 };
  assert.deepEqual(assessExit(j).unmet.map((u) => u.code), ['education']);
});

const elim = (over: Partial<EliminationInput> = {}): EliminationInput => ({ ...base(), lastIncome: { otherWage: 25000 }, formerPoor: true, identifiedOn: '2026-01-10', ...over });

test('checkElimination: allowed when every condition holds; quick eliminations are flagged', () => {
  assert.deepEqual(checkElimination(elim()), { allowed: true, blockers: [], quick: false, perCapitaNetIncome: 11333.33 });
  const quick = checkElimination(elim({ identifiedOn: '2026-10-15' }));
  assert.equal(quick.allowed, true); // last year's income was above the line too
  assert.equal(quick.quick, true);
});

test('checkElimination: refuses naming each reason', () => {
  const i = elim({ identifiedOn: '2026-09-01', lastIncome: { otherWage: 6000 } });
  i.income = { otherWage: 21000, compliantOutOfPocket: 12000 }; // 7,000 per person: below 7,260
  i.members = [member('张老汉', '1950-01-01', { labour: 'lost' }), member('张老太', '1952-01-01', { labour: 'none', medicalInsurance: 'none' }), member('张孙', '2012-01-01', { labour: 'none', schoolStatus: 'not_in_school' })];
  i.household = { ...i.household, housingRating: null, safeWater: null };
  const r = checkElimination(i);
  assert.equal(r.allowed, false);
  assert.deepEqual(r.blockers.map((b) => b.code), ['income_below_line', 'rigid_spending', 'education', 'medical', 'housing', 'water', 'no_labour']);
  assert.match(r.blockers[1]!.detail, /合规自付支出 12,000 元，超过 10,000 元（上年农村居民人均可支配收入的 50%）/);
  assert.match(r.blockers[4]!.detail, /住房未鉴定安全等级/);
  assert.deepEqual(r.blockers.map((b) => b.detailCode), [
    'monitoring.blocker.incomeBelowLine', 'monitoring.blocker.rigidSpending', 'exit.unmet.education', 'exit.unmet.medical', 'exit.unmet.housingUnrated',
    'exit.unmet.waterUnknown', 'monitoring.blocker.noLabourMember',
  ]);
  for (const b of r.blockers) assert.equal(renderMessage({ code: b.detailCode, params: b.detailParams }, 'zh'), b.detail);
  assert.deepEqual(r.blockers[1]!.detailParams, { amount: '12,000', threshold: '10,000', percent: 50 });
});

test('checkElimination: income above the line but not yet stable for half a year', () => {
  const r = checkElimination(elim({ identifiedOn: '2026-08-01', lastIncome: { otherWage: 15000 } })); // last year 5,000 per person
  assert.deepEqual(r.blockers.map((b) => b.code), ['income_below_line']);
  assert.match(r.blockers[0]!.detail, /纳入监测不足 6 个月，且上年人均纯收入 5,000 元未超过监测标准/);
  assert.equal(r.blockers[0]!.detailCode, 'monitoring.blocker.notStableLastBelow');
  // monitored for six months: this year's income suffices
  assert.equal(checkElimination(elim({ identifiedOn: '2026-05-30', lastIncome: null })).allowed, true);
  assert.equal(checkElimination(elim({ identifiedOn: '2026-06-01', lastIncome: null })).allowed, false);
  // the others' threshold is higher (100%)
  const others = elim({ formerPoor: false });
  others.income = { otherWage: 40000, compliantOutOfPocket: 15000 };
  assert.equal(checkElimination(others).allowed, true);
});

test('checkElimination: labour capacity is the recorded one, not age (issue 10 item 3)', () => {
  // the only worker is 61, 普通劳动力, works 8 months; 19,342 yuan per person
  const i = elim({ identifiedOn: '2025-06-01', lastIncome: { otherWage: 30000 } });
  i.members = [
    member('刘长顺', '1965-03-01', { labour: 'ordinary' }),
    member('刘妻', '1963-05-01', { labour: 'lost' }),
  ];
  i.income = { otherWage: 38684 };
  const r = checkElimination(i);
  assert.equal(r.perCapitaNetIncome, 19342);
  assert.deepEqual(r.blockers, []);
  assert.equal(r.allowed, true);
  // a working-age member recorded without labour capacity does not count as labour
  i.members = [member('刘长顺', '1980-03-01', { labour: 'none' }), member('刘妻', '1982-05-01', { labour: 'lost' })];
  const none = checkElimination(i);
  assert.deepEqual(none.blockers.map((b) => b.code), ['no_labour']);
  assert.match(none.blockers[0]!.detail, /没有登记为有劳动能力/);
  // a weak labourer counts as labour capacity, as in the rule facts' labourCount
  i.members = [member('刘长顺', '1950-03-01', { labour: 'weak' })];
  i.income = { otherWage: 19342 };
  assert.equal(checkElimination(i).allowed, true);
  // 整户无劳动能力兜底保障户 stays monitored whatever is recorded for the members
  i.household = { ...i.household, wholeNoLabour: true };
  assert.match(checkElimination(i).blockers[0]!.detail, /整户无劳动能力兜底保障户/);
});
