/**
 * One standard, two evaluators: the unmet exit items of assessExit equal the exit criteria (CEL) evaluated by
 * evaluateRule on the same household, on hand-built and generated households.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  assessExit, checkRule, compileSql, DROPOUT_REASONS, evaluateRule, EXIT_CRITERIA, EXIT_ITEMS, exitCriteria, HOUSING_RATINGS, idCheckCharacter,
  MEDICAL_INSURANCES, memberAge, MEMBER_FACTS_TABLE, perCapitaNetIncome, POLICY_DEFAULTS, SCHOOL_STATUSES,
  type AssessmentInput, type HouseholdFacts, type MemberFacts, type RuleFacts,
} from '../../src/index';

const TODAY = '2026-11-30';
type InMember = AssessmentInput['members'][number];

/** The facts the server's fact tables hold for this household (rule-facts.repository.ts), built in memory. */
function toFacts(i: AssessmentInput): RuleFacts {
  const h = i.household;
  const household = {
    householdNo: 'T', villageCode: '211204101200', year: Number(i.referenceDate.slice(0, 4)), attribute: null, status: 'ordinary',
    identifiedYear: null, exitYear: null, monitored: false, monitoredType: null, riskTypes: [], monthsMonitored: null, hasDevelopmentMeasure: false,
    mainCause: null, isMilitaryFamily: false, housingRating: h.housingRating ?? null, housingArea: null, relocated: h.relocated ?? false,
    relocationKeysReceived: h.relocationKeysReceived ?? null, safeWater: h.safeWater ?? null, waterProblem: null, electricity: null, landCultivated: null,
    dibao: 'none', tekun: 'none', wholeNoLabour: h.wholeNoLabour ?? false, size: i.members.length, labourCount: 0,
  } satisfies HouseholdFacts;
  const members = i.members.map((m) => {
    const age = memberAge(m, i.referenceDate);
    return {
      relation: 'other', sex: null, age, education: null, schoolStatus: m.schoolStatus ?? null, dropoutReason: m.dropoutReason ?? null,
      inCompulsoryAge: age === null ? null : age >= i.policy.compulsoryAgeMin && age <= i.policy.compulsoryAgeMax,
      health: [], disabled: false, disabilityCategory: null, disabilityGrade: null, labour: m.labour ?? null, labourCapable: null, workMonths: null,
      workPlace: null, publicWelfareMonths: null, monthlyWorkIncome: null, medicalInsurance: m.medicalInsurance ?? null,
      insured: m.medicalInsurance === 'resident' || m.medicalInsurance === 'employee', criticalIllnessInsurance: false, pensionInsurance: false,
      medicalAid: false, dibao: 'none', tekun: 'none',
    } satisfies MemberFacts;
  });
  const income = i.income ? { perCapitaNet: i.members.length ? perCapitaNetIncome(i.income, i.members.length) : null } : null;
  return { household, members, income, lastIncome: null, policy: i.policy };
}

const byCel = (i: AssessmentInput) => exitCriteria().filter((c) => evaluateRule(c.rule, toFacts(i))).map((c) => c.code);
const byTs = (i: AssessmentInput) => assessExit(i).unmet.map((u) => u.code);

const member = (name: string, birthDate: string | null, over: Partial<InMember> = {}): InMember => ({
  name, birthDate, idNumber: '', idType: 'resident_id', schoolStatus: 'not_in_school', dropoutReason: null, medicalInsurance: 'resident', labour: 'ordinary', ...over,
});
const base = (): AssessmentInput => ({
  household: { housingRating: 'B', relocated: false, relocationKeysReceived: null, safeWater: true, wholeNoLabour: false },
  members: [member('王大山', '1975-03-01'), member('李秀兰', '1978-05-01'), member('王小明', '2014-09-01', { schoolStatus: 'junior_7', labour: 'none' })],
  income: { otherWage: 30000, operatingIncome: 6000, operatingExpense: 2000 },
  policy: { ...POLICY_DEFAULTS, povertyLine: 4400 },
  referenceDate: TODAY,
});

test('exit criteria: every item has a boolean CEL expression that type-checks and translates to SQL', () => {
  assert.deepEqual(Object.keys(EXIT_CRITERIA), EXIT_ITEMS.map((i) => i.code));
  for (const c of exitCriteria()) {
    const r = checkRule(c.expression);
    assert.ok(r.ok, `${c.code}: ${JSON.stringify(!r.ok && r.errors)}`);
    assert.equal(r.returnType, 'bool');
    assert.ok(compileSql(c.rule, { householdAlias: 'h', memberTable: MEMBER_FACTS_TABLE }).sql.length > 0);
  }
});

test('exit criteria agree with assessExit on hand-built households', () => {
  const cases: [string, (i: AssessmentInput) => void, string[]][] = [
    ['meets every item', () => {}, []],
    ['no income record', (i) => { i.income = null; }, ['income']],
    ['exactly on the line is not above it', (i) => { i.income = { otherWage: 13200 }; }, ['income']],
    ['a fen above the line', (i) => { i.income = { otherWage: 13200.03 }; }, []],
    ['negative income', (i) => { i.income = { operatingIncome: -500 }; }, ['income']],
    ['no members: income unknown, nothing else', (i) => { i.members = []; }, ['income']],
    ['no members, no income', (i) => { i.members = []; i.income = null; }, ['income']],
    ['child out of school (weariness)', (i) => { i.members[2] = member('王小明', '2014-09-01', { dropoutReason: 'weariness' }); }, ['education']],
    ['child out of school, no reason', (i) => { i.members[2] = member('王小明', '2014-09-01'); }, ['education']],
    ['child out of school for illness', (i) => { i.members[2] = member('王小明', '2014-09-01', { dropoutReason: 'illness' }); }, []],
    ['child out of school for disability', (i) => { i.members[2] = member('王小明', '2014-09-01', { dropoutReason: 'disability' }); }, []],
    ['school status unrecorded', (i) => { i.members[2] = member('王小明', '2014-09-01', { schoolStatus: null }); }, []],
    ['5-year-old not in school (below the age)', (i) => { i.members.push(member('王小花', '2021-01-01')); }, []],
    ['just 6 (birthday today) not in school', (i) => { i.members.push(member('王小花', '2020-11-30')); }, ['education']],
    ['6 tomorrow not in school', (i) => { i.members.push(member('王小花', '2020-12-01')); }, []],
    ['15-year-old not in school', (i) => { i.members.push(member('王小花', '2011-11-30')); }, ['education']],
    ['16-year-old not in school', (i) => { i.members.push(member('王小花', '2010-11-30')); }, []],
    ['age from the ID number only', (i) => {
      const body = '21120420150101002';
      i.members.push(member('王小花', null, { idNumber: body + idCheckCharacter(body) }));
    }, ['education']],
    ['no age at all', (i) => { i.members.push(member('无名', null)); }, []],
    ['the age range is a setting', (i) => { i.policy = { ...i.policy, compulsoryAgeMax: 17 }; i.members.push(member('王小花', '2010-11-30')); }, ['education']],
    ['uninsured member', (i) => { i.members[1] = member('李秀兰', '1978-05-01', { medicalInsurance: 'none' }); }, ['medical']],
    ['insurance unrecorded', (i) => { i.members[1] = member('李秀兰', '1978-05-01', { medicalInsurance: null }); }, ['medical']],
    ['employee insurance', (i) => { i.members[1] = member('李秀兰', '1978-05-01', { medicalInsurance: 'employee' }); }, []],
    ['housing C', (i) => { i.household = { ...i.household, housingRating: 'C' }; }, ['housing']],
    ['housing unrated', (i) => { i.household = { ...i.household, housingRating: null }; }, ['housing']],
    ['housing D but relocated with keys', (i) => { i.household = { ...i.household, housingRating: 'D', relocated: true, relocationKeysReceived: true }; }, []],
    ['unrated, relocated with keys', (i) => { i.household = { ...i.household, housingRating: null, relocated: true, relocationKeysReceived: true }; }, []],
    ['relocated without keys', (i) => { i.household = { ...i.household, housingRating: 'D', relocated: true, relocationKeysReceived: false }; }, ['housing']],
    ['relocated, keys unrecorded', (i) => { i.household = { ...i.household, housingRating: null, relocated: true, relocationKeysReceived: null }; }, ['housing']],
    ['relocation unrecorded', (i) => { i.household = { ...i.household, housingRating: 'C', relocated: null, relocationKeysReceived: true }; }, ['housing']],
    ['water unsafe', (i) => { i.household = { ...i.household, safeWater: false }; }, ['water']],
    ['water unrecorded', (i) => { i.household = { ...i.household, safeWater: null }; }, ['water']],
    ['everything unmet', (i) => {
      i.income = { otherWage: 3000 };
      i.members = [member('甲', '1980-01-01', { medicalInsurance: 'none' }), member('乙', '2015-01-01', { dropoutReason: 'weariness', labour: 'none' })];
      i.household = { housingRating: 'C', relocated: false, relocationKeysReceived: null, safeWater: false, wholeNoLabour: false };
    }, ['income', 'education', 'medical', 'housing', 'water']],
  ];
  for (const [name, change, expected] of cases) {
    const i = base();
    change(i);
    assert.deepEqual(byTs(i), expected, `assessExit: ${name}`);
    assert.deepEqual(byCel(i), expected, `CEL: ${name}`);
  }
});

const codes = <T extends readonly { code: string }[]>(t: T): T[number]['code'][] => t.map((c) => c.code);
const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 4 });
const birth = fc.integer({ min: 0, max: 25 }).chain((age) => fc.tuple(fc.constant(2026 - age), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const memberArb: fc.Arbitrary<InMember> = fc.record({
  name: fc.constantFrom('甲', '乙', '丙'),
  birth: orNull(birth),
  byId: fc.boolean(),
  schoolStatus: orNull(fc.constantFrom(...codes(SCHOOL_STATUSES), 'not_in_school', 'not_in_school')),
  dropoutReason: orNull(fc.constantFrom(...codes(DROPOUT_REASONS))),
  medicalInsurance: orNull(fc.constantFrom(...codes(MEDICAL_INSURANCES))),
}).map((r) => {
  const body = r.birth ? `211204${r.birth.replace(/-/g, '')}101` : '';
  return member(r.name, r.byId ? null : r.birth, {
    idNumber: r.byId && body ? body + idCheckCharacter(body) : '', schoolStatus: r.schoolStatus, dropoutReason: r.dropoutReason, medicalInsurance: r.medicalInsurance,
  });
});
const inputArb: fc.Arbitrary<AssessmentInput> = fc.record({
  housingRating: orNull(fc.constantFrom(...codes(HOUSING_RATINGS))),
  relocated: orNull(fc.boolean()),
  relocationKeysReceived: orNull(fc.boolean()),
  safeWater: orNull(fc.boolean()),
  members: fc.array(memberArb, { maxLength: 5 }),
  income: orNull(fc.record({ otherWage: fc.integer({ min: 0, max: 40000 }), operatingIncome: fc.integer({ min: -5000, max: 5000 }) })),
  povertyLine: fc.constantFrom(4400, 5000, 6000, 8000),
  ageMin: fc.integer({ min: 5, max: 7 }),
  ageMax: fc.integer({ min: 14, max: 17 }),
  refDate: fc.constantFrom(TODAY, '2026-12-31', '2026-01-01'),
}).map((r) => ({
  household: { housingRating: r.housingRating, relocated: r.relocated, relocationKeysReceived: r.relocationKeysReceived, safeWater: r.safeWater, wholeNoLabour: false },
  members: r.members,
  income: r.income,
  policy: { ...POLICY_DEFAULTS, povertyLine: r.povertyLine, compulsoryAgeMin: r.ageMin, compulsoryAgeMax: r.ageMax },
  referenceDate: r.refDate,
}));

test('exit criteria agree with assessExit on generated households', () => {
  fc.assert(fc.property(inputArb, (i) => {
    assert.deepEqual(byCel(i), byTs(i));
  }), { numRuns: 3000 });
});

test('generated households: per-capita incomes exactly on the line agree', () => {
  fc.assert(fc.property(inputArb, fc.integer({ min: 1, max: 5 }), (i, n) => {
    const members = Array.from({ length: n }, (_, k) => member(`成员${k}`, '1980-01-01'));
    const j = { ...i, members, income: { otherWage: i.policy.povertyLine * n } };
    assert.deepEqual(byCel(j), byTs(j));
    assert.ok(byTs(j).includes('income'));
  }), { numRuns: 300 });
});
