/**
 * Data-quality checks of the registry (DOMAIN §11, from real county practice). Each check is a
 * named rule with a stable id; runQualityChecks runs them all on one household. Pure: ages are
 * computed at ctx.referenceDate, never at the clock's date. Thresholds are policy settings with
 * the defaults of QUALITY_DEFAULTS, overridable per call (ctx.settings).
 */
import { FULL_LABOUR, HEALTH_CONDITIONS, LABOUR_CAPABLE, label, LABOUR_SKILLS, SEXES } from './codes';
import type { Lang } from './codes';
import { addMonths, compareDates, parseIsoDate } from './dates';
import { maskIdsInText, parseIdNumber } from './idnumber';
import type { Household, IncomeRecord, Member, YearStatus } from './types';
import { memberAge, memberIdInfo } from './validate';
import type { Severity, ValidationProblem } from './validate';
import { msg, renderMessage, type Localized, type Message, type MessageRef, type ParamValue } from '../messages/index';

export interface QualitySettings {
  /** Working age, inclusive (劳动年龄 16–59). */
  labourAgeMin: number;
  labourAgeMax: number;
  /** Compulsory-education age, inclusive (6–15). */
  compulsoryAgeMin: number;
  compulsoryAgeMax: number;
  /** 缺劳动力 is doubtful when the share of ordinary or skilled labour exceeds this. */
  lackLabourShareMax: number;
  /** Plausible monthly work income, yuan. */
  workIncomeMonthlyMin: number;
  workIncomeMonthlyMax: number;
  /** Public-welfare post holders: at least this age … */
  publicWelfareAgeMin: number;
  /** … and below this age (70 and over is flagged). */
  publicWelfareAgeLimit: number;
  /** Months after identification by which a monitored household with labour needs a development measure. */
  developmentMeasureMonths: number;
}

export const QUALITY_DEFAULTS: QualitySettings = {
  labourAgeMin: 16,
  labourAgeMax: 59,
  compulsoryAgeMin: 6,
  compulsoryAgeMax: 15,
  lackLabourShareMax: 0.25,
  workIncomeMonthlyMin: 100,
  workIncomeMonthlyMax: 30000,
  publicWelfareAgeMin: 16,
  publicWelfareAgeLimit: 70,
  developmentMeasureMonths: 6,
};

export interface QualityContext {
  household: Household;
  members: Member[];
  /** This year's income, if recorded */
  income: IncomeRecord | null;
  /** This year's status, if recorded */
  yearStatus: YearStatus | null;
  /** 'YYYY-MM-DD': ages and durations are computed at this date */
  referenceDate: string;
  /** Whether the household has a development (industry / employment) measure; undefined = unknown. */
  hasDevelopmentMeasure?: boolean;
  /** 'YYYY-MM-DD' the household was identified as monitored; needed by the development-measure check. */
  monitoredSince?: string | null;
  settings?: Partial<QualitySettings>;
}

export interface QualityIssue extends ValidationProblem {
  /** Position of the member in ctx.members; null for a household-level issue */
  memberIndex: number | null;
  /** The member's ID number as recorded; null for a household-level issue */
  idNumber: string | null;
}

export type QualityScope = 'member' | 'household';

export interface QualityCheck {
  id: string;
  zh: string;
  en: string;
  severity: Severity;
  scope: QualityScope;
  run(ctx: QualityContext): QualityIssue[];
}

// ---------------------------------------------------------------------------------------------
// helpers

interface Env {
  ctx: QualityContext;
  s: QualitySettings;
}

function env(ctx: QualityContext): Env {
  if (!parseIsoDate(ctx.referenceDate)) throw new Error(`invalid reference date: ${ctx.referenceDate}`);
  return { ctx, s: { ...QUALITY_DEFAULTS, ...ctx.settings } };
}

/** Who a member is in a finding: the name, else 第N位成员 (a message param). */
export function memberWho(m: Pick<Member, 'name'>, i: number): string | Message<'quality.memberNo'> {
  return m.name && m.name.trim() !== '' ? m.name.trim() : msg('quality.memberNo', { n: i + 1 });
}

/** A member's finding: `quality.finding.member` with who and the problem (nested), its Chinese text as message. */
export function memberFinding(who: string | MessageRef, problem: MessageRef): Message<'quality.finding.member'> {
  return msg('quality.finding.member', { who, problem });
}

const text = (m: MessageRef) => renderMessage(m, 'zh')!;

function memberIssue(check: QualityCheck, m: Member, i: number, field: string, problem: MessageRef): QualityIssue {
  const finding = memberFinding(memberWho(m, i), problem);
  return {
    check: check.id, severity: check.severity, field, message: text(finding), code: finding.code, params: finding.params,
    memberIndex: i, idNumber: typeof m.idNumber === 'string' && m.idNumber !== '' ? m.idNumber : null,
  };
}

function householdIssue(check: QualityCheck, field: string, problem: Message): QualityIssue {
  return { check: check.id, severity: check.severity, field, message: text(problem), code: problem.code, params: problem.params, memberIndex: null, idNumber: null };
}

/** A code-table label in both languages (a message param). */
const labelOf = (table: Parameters<typeof label>[0], code: string | null | undefined): Localized => ({
  zh: label(table, code ?? '') ?? String(code ?? ''), en: label(table, code ?? '', 'en') ?? String(code ?? ''),
});

function maskParam(v: ParamValue): ParamValue {
  if (typeof v === 'string') return maskIdsInText(v);
  if (typeof v === 'number') return v;
  if ('code' in v) return { code: v.code, ...(v.params ? { params: maskIdsInParams(v.params) } : {}) };
  return { zh: maskIdsInText(v.zh), en: maskIdsInText(v.en) };
}

/**
 * The params of a finding or an import problem with the ID numbers they quote masked, as maskIdsInText does to
 * the Chinese text (nested messages and label pairs included).
 */
export function maskIdsInParams(params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(params)) out[k] = maskParam(v);
  return out;
}

const health = (m: Member): readonly string[] => (Array.isArray(m.health) ? m.health : []);
const isHealthyOnly = (m: Member): boolean => health(m).length === 1 && health(m)[0] === 'healthy';
const isSick = (m: Member): boolean => health(m).includes('chronic') || health(m).includes('serious_illness');
const hasLabour = (m: Member): boolean => m.labour !== null && LABOUR_CAPABLE.includes(m.labour);
const isFullLabour = (m: Member): boolean => m.labour !== null && FULL_LABOUR.includes(m.labour);
const inSchool = (m: Member): boolean => m.schoolStatus !== null && m.schoolStatus !== 'not_in_school' && m.schoolStatus !== 'preschool';
const hasWorked = (m: Member): boolean =>
  (m.workMonths ?? 0) > 0 || (m.workPlace !== null && m.workPlace !== undefined) || (m.monthlyWorkIncome ?? 0) > 0;
const risks = (ctx: QualityContext): readonly string[] => (ctx.yearStatus && Array.isArray(ctx.yearStatus.riskTypes) ? ctx.yearStatus.riskTypes : []);

/** Runs `fn` for each member and collects its issues. */
function perMember(ctx: QualityContext, fn: (m: Member, i: number, age: number | null) => QualityIssue | null): QualityIssue[] {
  const out: QualityIssue[] = [];
  ctx.members.forEach((m, i) => {
    const issue = fn(m, i, memberAge(m, ctx.referenceDate));
    if (issue) out.push(issue);
  });
  return out;
}

/** The key a person is matched by: the normalised 18-character ID (a certificate's embedded ID). */
export function personKey(idNumber: string, referenceDate?: string): string | null {
  const r = parseIdNumber(idNumber, referenceDate ? { referenceDate } : {});
  if (r.ok) return r.residentId;
  const cleaned = idNumber.replace(/\s/g, '').toUpperCase();
  return cleaned === '' ? null : cleaned;
}

// ---------------------------------------------------------------------------------------------
// the checks

const ageLabourMismatch: QualityCheck = {
  id: 'age_labour_mismatch',
  zh: '劳动年龄内健康人口为弱劳动力或无劳动力',
  en: 'Healthy working-age member recorded with weak or no labour capacity',
  severity: 'warning',
  scope: 'member',
  run(ctx) {
    const { s } = env(ctx);
    return perMember(ctx, (m, i, age) => {
      if (age === null || age < s.labourAgeMin || age > s.labourAgeMax) return null;
      if (!isHealthyOnly(m) || inSchool(m)) return null;
      if (m.labour !== 'weak' && m.labour !== 'lost' && m.labour !== 'none') return null;
      return memberIssue(ageLabourMismatch, m, i, 'labour', msg('quality.finding.ageLabourMismatch', { age, labour: labelOf(LABOUR_SKILLS, m.labour) }));
    });
  },
};

const minorWithLabour: QualityCheck = {
  id: 'minor_with_labour',
  zh: '未满16周岁却有劳动能力',
  en: 'Member under 16 recorded with labour capacity',
  severity: 'error',
  scope: 'member',
  run(ctx) {
    const { s } = env(ctx);
    return perMember(ctx, (m, i, age) => {
      if (age === null || age >= s.labourAgeMin || !hasLabour(m)) return null;
      return memberIssue(minorWithLabour, m, i, 'labour', msg('quality.finding.minorWithLabour', { age, min: s.labourAgeMin, labour: labelOf(LABOUR_SKILLS, m.labour) }));
    });
  },
};

const lackLabourRiskWithLabour: QualityCheck = {
  id: 'lack_labour_risk_with_labour',
  zh: '风险类型为缺劳动力，但普通或技能劳动力超过家庭人口的四分之一',
  en: 'Risk "lack of labour" although more than a quarter of members are ordinary or skilled labour',
  severity: 'warning',
  scope: 'household',
  run(ctx) {
    const { s } = env(ctx);
    if (!risks(ctx).includes('lack_labour') || ctx.members.length === 0) return [];
    const full = ctx.members.filter(isFullLabour).length;
    if (full / ctx.members.length <= s.lackLabourShareMax) return [];
    return [householdIssue(lackLabourRiskWithLabour, 'riskTypes', msg('quality.finding.lackLabourRiskWithLabour', { members: ctx.members.length, full }))];
  },
};

const illnessRiskWithoutSick: QualityCheck = {
  id: 'illness_risk_without_sick',
  zh: '风险类型为因病，但无成员患病',
  en: 'Risk "illness" but no member is ill',
  severity: 'warning',
  scope: 'household',
  run(ctx) {
    env(ctx);
    if (!risks(ctx).includes('illness') || ctx.members.some(isSick)) return [];
    return [householdIssue(illnessRiskWithoutSick, 'riskTypes',
      msg('quality.finding.illnessRiskWithoutSick', { chronic: labelOf(HEALTH_CONDITIONS, 'chronic'), serious: labelOf(HEALTH_CONDITIONS, 'serious_illness') }))];
  },
};

const employmentRiskWithoutWorker: QualityCheck = {
  id: 'employment_risk_without_worker',
  zh: '风险类型为因务工就业不稳，但无成员务工',
  en: 'Risk "unstable employment" but no member works',
  severity: 'warning',
  scope: 'household',
  run(ctx) {
    env(ctx);
    if (!risks(ctx).includes('unstable_employment') || ctx.members.some(hasWorked)) return [];
    return [householdIssue(employmentRiskWithoutWorker, 'riskTypes', msg('quality.finding.employmentRiskWithoutWorker'))];
  },
};

const compulsorySchoolDropout: QualityCheck = {
  id: 'compulsory_school_dropout',
  zh: '义务教育阶段适龄儿童未在校且未填写原因',
  en: 'Child of compulsory-school age not in school, with no reason given',
  severity: 'error',
  scope: 'member',
  run(ctx) {
    const { s } = env(ctx);
    return perMember(ctx, (m, i, age) => {
      if (age === null || age < s.compulsoryAgeMin || age > s.compulsoryAgeMax) return null;
      const outOfSchool = m.schoolStatus === null || m.schoolStatus === undefined || m.schoolStatus === 'not_in_school' ||
        (m.schoolStatus === 'preschool' && age >= s.compulsoryAgeMin + 1);
      if (!outOfSchool || (m.dropoutReason !== null && m.dropoutReason !== undefined)) return null;
      return memberIssue(compulsorySchoolDropout, m, i, 'dropoutReason', msg('quality.finding.compulsorySchoolDropout', { age }));
    });
  },
};

const workIncomeOutOfRange: QualityCheck = {
  id: 'work_income_out_of_range',
  zh: '月务工收入高于30000元或低于100元',
  en: 'Monthly work income above 30,000 or below 100 yuan',
  severity: 'warning',
  scope: 'member',
  run(ctx) {
    const { s } = env(ctx);
    return perMember(ctx, (m, i) => {
      const v = m.monthlyWorkIncome;
      if (v === null || v === undefined || !Number.isFinite(v)) return null;
      // a zero income is only suspicious for someone who worked
      if (v === 0 && !((m.workMonths ?? 0) > 0)) return null;
      if (v > s.workIncomeMonthlyMax) return memberIssue(workIncomeOutOfRange, m, i, 'monthlyWorkIncome', msg('quality.finding.workIncomeHigh', { income: v, max: s.workIncomeMonthlyMax }));
      if (v < s.workIncomeMonthlyMin) return memberIssue(workIncomeOutOfRange, m, i, 'monthlyWorkIncome', msg('quality.finding.workIncomeLow', { income: v, min: s.workIncomeMonthlyMin }));
      return null;
    });
  },
};

const publicWelfarePostAge: QualityCheck = {
  id: 'public_welfare_post_age',
  zh: '公益性岗位人员未满16周岁或年满70周岁',
  en: 'Public-welfare post held by someone under 16 or aged 70 and over',
  severity: 'warning',
  scope: 'member',
  run(ctx) {
    const { s } = env(ctx);
    return perMember(ctx, (m, i, age) => {
      if (age === null || !((m.publicWelfareMonths ?? 0) > 0)) return null;
      if (age >= s.publicWelfareAgeMin && age < s.publicWelfareAgeLimit) return null;
      return memberIssue(publicWelfarePostAge, m, i, 'publicWelfareMonths',
        msg('quality.finding.publicWelfarePostAge', { age, min: s.publicWelfareAgeMin, limit: s.publicWelfareAgeLimit }));
    });
  },
};

const monitoredWithoutDevelopmentMeasure: QualityCheck = {
  id: 'monitored_without_development_measure',
  zh: '有劳动能力的监测户超过6个月未落实开发式帮扶措施',
  en: 'Monitored household with labour capacity has no development measure after 6 months',
  severity: 'warning',
  scope: 'household',
  run(ctx) {
    const { s } = env(ctx);
    if (ctx.yearStatus?.monitored !== true || ctx.hasDevelopmentMeasure !== false) return [];
    if (ctx.household.wholeNoLabour === true || !ctx.members.some(hasLabour)) return [];
    const since = parseIsoDate(ctx.monitoredSince);
    const ref = parseIsoDate(ctx.referenceDate)!;
    if (!since || compareDates(addMonths(since, s.developmentMeasureMonths), ref) > 0) return [];
    return [householdIssue(monitoredWithoutDevelopmentMeasure, 'assistance',
      msg('quality.finding.monitoredWithoutDevelopmentMeasure', { since: ctx.monitoredSince!, months: s.developmentMeasureMonths }))];
  },
};

const duplicateIdInHousehold: QualityCheck = {
  id: 'duplicate_id_in_household',
  zh: '户内证件号码重复',
  en: 'Duplicate ID number within the household',
  severity: 'error',
  scope: 'member',
  run(ctx) {
    env(ctx);
    const first = new Map<string, number>();
    const out: QualityIssue[] = [];
    ctx.members.forEach((m, i) => {
      if (typeof m.idNumber !== 'string') return;
      const key = personKey(m.idNumber, ctx.referenceDate);
      if (key === null) return;
      const j = first.get(key);
      if (j === undefined) first.set(key, i);
      else out.push(memberIssue(duplicateIdInHousehold, m, i, 'idNumber', msg('quality.finding.duplicateIdInHousehold', { other: memberWho(ctx.members[j]!, j) })));
    });
    return out;
  },
};

const medicalInsuranceNotOne: QualityCheck = {
  id: 'medical_insurance_not_one',
  zh: '未参加基本医疗保险（每人应参加且只参加一种）',
  en: 'Member without exactly one basic medical insurance',
  severity: 'error',
  scope: 'member',
  run(ctx) {
    env(ctx);
    return perMember(ctx, (m, i) => {
      if (m.medicalInsurance === 'resident' || m.medicalInsurance === 'employee') return null;
      return memberIssue(medicalInsuranceNotOne, m, i, 'medicalInsurance',
        m.medicalInsurance === 'none' ? msg('quality.finding.medicalInsuranceNone') : msg('quality.finding.medicalInsuranceMissing'));
    });
  },
};

const householdHeadCount: QualityCheck = {
  id: 'household_head_count',
  zh: '户内没有户主或有多个户主',
  en: 'Household without a head or with more than one head',
  severity: 'error',
  scope: 'household',
  run(ctx) {
    env(ctx);
    const heads = ctx.members.filter((m) => m.relation === 'head').length;
    if (heads === 1) return [];
    return [householdIssue(householdHeadCount, 'relation', heads === 0 ? msg('quality.finding.noHead') : msg('quality.finding.manyHeads', { heads }))];
  },
};

const idBirthSexMismatch: QualityCheck = {
  id: 'id_birth_sex_mismatch',
  zh: '出生日期或性别与身份证号不符',
  en: 'Birth date or sex differs from the ID number',
  severity: 'error',
  scope: 'member',
  run(ctx) {
    env(ctx);
    const out: QualityIssue[] = [];
    ctx.members.forEach((m, i) => {
      const id = memberIdInfo(m, ctx.referenceDate);
      if (!id) return;
      if (m.birthDate && m.birthDate !== id.birthDate) {
        out.push(memberIssue(idBirthSexMismatch, m, i, 'birthDate', msg('quality.finding.birthDateMismatch', { birthDate: m.birthDate, idBirthDate: id.birthDate })));
      }
      if (m.sex && m.sex !== id.sex) {
        out.push(memberIssue(idBirthSexMismatch, m, i, 'sex', msg('quality.finding.sexMismatch', { sex: labelOf(SEXES, m.sex), idSex: labelOf(SEXES, id.sex) })));
      }
    });
    return out;
  },
};

const invalidIdNumber: QualityCheck = {
  id: 'invalid_id_number',
  zh: '证件号码无效',
  en: 'Invalid ID number',
  severity: 'error',
  scope: 'member',
  run(ctx) {
    env(ctx);
    return perMember(ctx, (m, i) => {
      const r = parseIdNumber(typeof m.idNumber === 'string' ? m.idNumber : '', { referenceDate: ctx.referenceDate });
      return r.ok ? null : memberIssue(invalidIdNumber, m, i, 'idNumber', r.problem);
    });
  },
};

const publicWelfareIncomeMismatch: QualityCheck = {
  id: 'public_welfare_income_mismatch',
  zh: '公益性岗位收入与公益性岗位人员不一致',
  en: 'Public-welfare post wages inconsistent with members holding a post',
  severity: 'warning',
  scope: 'household',
  run(ctx) {
    env(ctx);
    if (!ctx.income) return [];
    const wage = ctx.income.publicWelfareWage ?? 0;
    const holders = ctx.members.filter((m) => (m.publicWelfareMonths ?? 0) > 0).length;
    if (wage > 0 && holders === 0) return [householdIssue(publicWelfareIncomeMismatch, 'publicWelfareWage', msg('quality.finding.wageWithoutHolder'))];
    if (wage <= 0 && holders > 0) return [householdIssue(publicWelfareIncomeMismatch, 'publicWelfareWage', msg('quality.finding.holderWithoutWage', { holders }))];
    return [];
  },
};

/** Every data-quality check, in display order. */
export const QUALITY_CHECKS: readonly QualityCheck[] = [
  ageLabourMismatch,
  minorWithLabour,
  lackLabourRiskWithLabour,
  illnessRiskWithoutSick,
  employmentRiskWithoutWorker,
  compulsorySchoolDropout,
  workIncomeOutOfRange,
  publicWelfarePostAge,
  monitoredWithoutDevelopmentMeasure,
  duplicateIdInHousehold,
  medicalInsuranceNotOne,
  householdHeadCount,
  idBirthSexMismatch,
  invalidIdNumber,
  publicWelfareIncomeMismatch,
];

export function qualityCheckById(id: string): QualityCheck | undefined {
  return QUALITY_CHECKS.find((c) => c.id === id);
}

export function qualityCheckLabel(id: string, lang: Lang = 'zh'): string | null {
  const c = qualityCheckById(id);
  return c ? c[lang] : null;
}

/** Runs every check (or those named in `only`) on one household. */
export function runQualityChecks(ctx: QualityContext, options: { only?: readonly string[] } = {}): QualityIssue[] {
  env(ctx);
  const checks = options.only ? QUALITY_CHECKS.filter((c) => options.only!.includes(c.id)) : QUALITY_CHECKS;
  return checks.flatMap((c) => c.run(ctx));
}

/**
 * The same person in two households (DOMAIN §11: error). Pure helper for the server's bulk check:
 * given (householdNo, idNumber) pairs, returns each person key found in more than one household,
 * with the households. 15-digit, 18-digit and disability-certificate forms of one ID match.
 */
export function findDuplicateIdNumbers(
  entries: readonly { householdNo: string; idNumber: string }[],
  referenceDate?: string,
): { personKey: string; householdNos: string[] }[] {
  const byKey = new Map<string, Set<string>>();
  for (const e of entries) {
    const key = personKey(e.idNumber, referenceDate);
    if (key === null) continue;
    let set = byKey.get(key);
    if (!set) byKey.set(key, (set = new Set()));
    set.add(e.householdNo);
  }
  const out: { personKey: string; householdNos: string[] }[] = [];
  for (const [key, set] of byKey) if (set.size > 1) out.push({ personKey: key, householdNos: [...set].sort() });
  return out.sort((a, b) => (a.personKey < b.personKey ? -1 : a.personKey > b.personKey ? 1 : 0));
}
