/**
 * Exit assessment (脱贫标准 / 两不愁三保障 + 饮水安全) and the conditions of risk elimination (风险消除), DOMAIN §5
 * and §7. Pure: every line and threshold comes from the policy settings passed in, ages are computed at the
 * reference date. Each unmet item is named so that a refusal can list every reason at once.
 *
 * "Food and clothing" (不愁吃、不愁穿) has no field of its own in the registry: it is assessed through income
 * above the line, as the national exit rules do for the household as a whole.
 */
import { LABOUR_CAPABLE } from '../registry/codes';
import { addMonthsIso } from '../registry/dates';
import { perCapitaNetIncome, type IncomeValues } from '../registry/income';
import type { Household, Member } from '../registry/types';
import { memberAge } from '../registry/validate';
import type { PolicyValues } from '../policy/settings';

export const EXIT_ITEMS = [
  { code: 'income', zh: '收入未达标', en: 'Income not above the line' },
  { code: 'education', zh: '义务教育无保障', en: 'Compulsory education not secured' },
  { code: 'medical', zh: '基本医疗无保障', en: 'Basic medical care not secured' },
  { code: 'housing', zh: '住房安全无保障', en: 'Housing not safe' },
  { code: 'water', zh: '饮水安全无保障', en: 'Drinking water not safe' },
] as const;
export type ExitItemCode = (typeof EXIT_ITEMS)[number]['code'];

/** Which households an exit assessment covers (the region view and its list). */
export const EXIT_GROUPS = [
  { code: 'all', zh: '全部农户', en: 'All households' },
  { code: 'covered', zh: '脱贫户和监测对象', en: 'Former poor and monitored households' },
  { code: 'exited', zh: '已脱贫户', en: 'Exited households' },
  { code: 'poor', zh: '未脱贫户和返贫户', en: 'Poor and returned households' },
  { code: 'monitored', zh: '监测对象', en: 'Monitored households' },
] as const;
export type ExitGroupCode = (typeof EXIT_GROUPS)[number]['code'];

export const ELIMINATION_BLOCKERS = [
  ...EXIT_ITEMS.filter((i) => i.code !== 'income'),
  { code: 'income_below_line', zh: '收入未稳定超过监测标准', en: 'Income not stably above the monitoring line' },
  { code: 'rigid_spending', zh: '刚性支出问题未解决', en: 'Large rigid spending not resolved' },
  { code: 'no_labour', zh: '无劳动能力家庭需持续监测', en: 'Household without labour capacity stays monitored' },
] as const;
export type EliminationBlockerCode = (typeof ELIMINATION_BLOCKERS)[number]['code'];

export interface Unmet<C extends string> {
  code: C;
  /** Chinese: what exactly is unmet, naming members where it is about members */
  detail: string;
}

export interface AssessmentInput {
  household: Pick<Household, 'housingRating' | 'relocated' | 'relocationKeysReceived' | 'safeWater' | 'wholeNoLabour'>;
  /** Current members of the household */
  members: Pick<Member, 'name' | 'birthDate' | 'idNumber' | 'idType' | 'schoolStatus' | 'dropoutReason' | 'medicalInsurance' | 'labour'>[];
  /** This year's income record (null when none is recorded) */
  income: IncomeValues | null;
  policy: PolicyValues;
  /** 'YYYY-MM-DD' */
  referenceDate: string;
}

const HEALTH_DROPOUT = new Set(['illness', 'disability']);
const yuan = (v: number) => v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** Per-capita net income of this year, or null without an income record or members. */
export function assessedIncome(input: Pick<AssessmentInput, 'income' | 'members'>): number | null {
  if (!input.income || input.members.length === 0) return null;
  return perCapitaNetIncome(input.income, input.members.length);
}

/** 三保障 and water: the items shared by the exit standard and risk elimination. */
function securityItems(input: AssessmentInput): Unmet<'education' | 'medical' | 'housing' | 'water'>[] {
  const out: Unmet<'education' | 'medical' | 'housing' | 'water'>[] = [];
  const { policy, referenceDate } = input;
  const outOfSchool = input.members.filter((m) => {
    const age = memberAge(m, referenceDate);
    return age !== null && age >= policy.compulsoryAgeMin && age <= policy.compulsoryAgeMax
      && m.schoolStatus === 'not_in_school' && !(m.dropoutReason && HEALTH_DROPOUT.has(m.dropoutReason));
  });
  if (outOfSchool.length) {
    out.push({ code: 'education', detail: `${outOfSchool.map((m) => m.name).join('、')} 处于义务教育年龄（${policy.compulsoryAgeMin}–${policy.compulsoryAgeMax} 周岁）但未在校，且不是因病因残` });
  }
  const uninsured = input.members.filter((m) => m.medicalInsurance !== 'resident' && m.medicalInsurance !== 'employee');
  if (uninsured.length) out.push({ code: 'medical', detail: `${uninsured.map((m) => m.name).join('、')} 未参加基本医疗保险` });
  const h = input.household;
  const safeHouse = h.housingRating === 'A' || h.housingRating === 'B' || (h.relocated === true && h.relocationKeysReceived === true);
  if (!safeHouse) {
    out.push({
      code: 'housing',
      detail: h.housingRating === null || h.housingRating === undefined ? '住房未鉴定安全等级' : `住房鉴定为 ${h.housingRating} 级，且不是已交钥匙的搬迁户`,
    });
  }
  if (h.safeWater !== true) out.push({ code: 'water', detail: h.safeWater === false ? '饮水不安全' : '饮水安全情况未填写' });
  return out;
}

export interface ExitAssessment {
  meets: boolean;
  perCapitaNetIncome: number | null;
  unmet: Unmet<ExitItemCode>[];
}

/** Whether the household meets the exit standard this year: income above the poverty line, 三保障, safe water. */
export function assessExit(input: AssessmentInput): ExitAssessment {
  const unmet: Unmet<ExitItemCode>[] = [];
  const income = assessedIncome(input);
  if (income === null) unmet.push({ code: 'income', detail: input.members.length === 0 ? '家庭没有成员' : '没有本年度收入信息' });
  else if (income <= input.policy.povertyLine) {
    unmet.push({ code: 'income', detail: `人均纯收入 ${yuan(income)} 元，未超过脱贫标准 ${yuan(input.policy.povertyLine)} 元` });
  }
  unmet.push(...securityItems(input));
  return { meets: unmet.length === 0, perCapitaNetIncome: income, unmet };
}

export interface EliminationInput extends AssessmentInput {
  lastIncome: IncomeValues | null;
  /** Whether the household counts as former poor (已脱贫 / 返贫 / registered poor) for the spending thresholds */
  formerPoor: boolean;
  /** 'YYYY-MM-DD' the household was identified as monitored */
  identifiedOn: string;
}

export interface EliminationCheck {
  allowed: boolean;
  blockers: Unmet<EliminationBlockerCode>[];
  /** Eliminated within policy.quickEliminationMonths of identification: allowed, but flagged for review */
  quick: boolean;
  perCapitaNetIncome: number | null;
}

/**
 * Whether the risk of a monitored household may be eliminated at the reference date, with every reason it may
 * not. Income is "stably above the line" when this year's per-capita net income is above the monitoring line and,
 * when the household has been monitored for less than policy.eliminationStableMonths, last year's was as well
 * (the half year of stability must be seen in the data, not assumed).
 */
export function checkElimination(input: EliminationInput): EliminationCheck {
  const { policy } = input;
  const blockers: Unmet<EliminationBlockerCode>[] = [];
  const income = assessedIncome(input);
  const line = policy.monitoringLine;
  const monitoredLong = addMonthsIso(input.identifiedOn, policy.eliminationStableMonths) <= input.referenceDate;
  if (line === null) blockers.push({ code: 'income_below_line', detail: '该年度尚无防返贫监测标准（2021 年起设立），无法认定收入稳定超过监测标准' });
  else if (income === null) blockers.push({ code: 'income_below_line', detail: '没有本年度收入信息，无法认定收入稳定' });
  else if (income <= line) blockers.push({ code: 'income_below_line', detail: `人均纯收入 ${yuan(income)} 元，未超过监测标准 ${yuan(line)} 元` });
  else if (!monitoredLong) {
    const last = input.lastIncome && input.members.length ? perCapitaNetIncome(input.lastIncome, input.members.length) : null;
    if (last === null || last <= line) {
      blockers.push({
        code: 'income_below_line',
        detail: `纳入监测不足 ${policy.eliminationStableMonths} 个月，且上年人均纯收入${last === null ? '没有记录' : ` ${yuan(last)} 元未超过监测标准`}，收入稳定时间不足`,
      });
    }
  }
  const outOfPocket = Number(input.income?.compliantOutOfPocket ?? 0);
  const share = input.formerPoor ? policy.medicalSelfPayShareFormerPoor : policy.medicalSelfPayShareOthers;
  const threshold = share * policy.ruralDisposableIncome;
  if (outOfPocket > threshold) {
    blockers.push({ code: 'rigid_spending', detail: `本年合规自付支出 ${yuan(outOfPocket)} 元，超过 ${yuan(threshold)} 元（上年农村居民人均可支配收入的 ${Math.round(share * 100)}%）` });
  }
  blockers.push(...securityItems(input));
  // Labour capacity is what is recorded for each member (劳动技能: 普通, 技能, 弱或半劳动力), the same definition as the
  // rule facts' labourCount; age is not the definition (a 61-year-old who works is labour), an age that does not fit
  // the recorded capacity is a data-quality finding (age_labour_mismatch, minor_with_labour).
  const labourCapable = input.members.some((m) => m.labour != null && LABOUR_CAPABLE.includes(m.labour));
  if (input.household.wholeNoLabour === true || !labourCapable) {
    blockers.push({
      code: 'no_labour',
      detail: input.household.wholeNoLabour === true
        ? '整户无劳动能力兜底保障户，即使兜底保障使收入达标也应继续监测'
        : '家庭没有登记为有劳动能力（普通、技能、弱或半劳动力）的成员，即使兜底保障使收入达标也应继续监测',
    });
  }
  const quick = input.referenceDate < addMonthsIso(input.identifiedOn, policy.quickEliminationMonths);
  return { allowed: blockers.length === 0, blockers, quick, perCapitaNetIncome: income };
}
