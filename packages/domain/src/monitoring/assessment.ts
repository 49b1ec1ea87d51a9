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
import { msg, renderMessage, type Localized, type Message, type ParamValue } from '../messages/index';

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
  /** Chinese: what exactly is unmet, naming members where it is about members (the detail message's Chinese text) */
  detail: string;
  /** The catalogue code of the detail (exit.unmet.*, monitoring.blocker.*) and its params */
  detailCode: string;
  detailParams: Readonly<Record<string, ParamValue>>;
}

/** An unmet item from its catalogue message. */
function unmet<C extends string>(code: C, m: Message): Unmet<C> {
  return { code, detail: renderMessage(m, 'zh')!, detailCode: m.code, detailParams: m.params };
}

/** Members' names as a list in both languages. */
const names = (ms: readonly { name: string }[]): Localized => ({ zh: ms.map((m) => m.name).join('、'), en: ms.map((m) => m.name).join(', ') });

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
    out.push(unmet('education', msg('exit.unmet.education', { names: names(outOfSchool), min: policy.compulsoryAgeMin, max: policy.compulsoryAgeMax })));
  }
  const uninsured = input.members.filter((m) => m.medicalInsurance !== 'resident' && m.medicalInsurance !== 'employee');
  if (uninsured.length) out.push(unmet('medical', msg('exit.unmet.medical', { names: names(uninsured) })));
  const h = input.household;
  const safeHouse = h.housingRating === 'A' || h.housingRating === 'B' || (h.relocated === true && h.relocationKeysReceived === true);
  if (!safeHouse) {
    out.push(unmet('housing', h.housingRating === null || h.housingRating === undefined
      ? msg('exit.unmet.housingUnrated') : msg('exit.unmet.housingRating', { rating: h.housingRating })));
  }
  if (h.safeWater !== true) out.push(unmet('water', h.safeWater === false ? msg('exit.unmet.waterUnsafe') : msg('exit.unmet.waterUnknown')));
  return out;
}

export interface ExitAssessment {
  meets: boolean;
  perCapitaNetIncome: number | null;
  unmet: Unmet<ExitItemCode>[];
}

/** Whether the household meets the exit standard this year: income above the poverty line, 三保障, safe water. */
export function assessExit(input: AssessmentInput): ExitAssessment {
  const items: Unmet<ExitItemCode>[] = [];
  const income = assessedIncome(input);
  if (income === null) items.push(unmet('income', input.members.length === 0 ? msg('exit.unmet.noMembers') : msg('exit.unmet.noIncome')));
  else if (income <= input.policy.povertyLine) {
    items.push(unmet('income', msg('exit.unmet.incomeBelowLine', { income: yuan(income), line: yuan(input.policy.povertyLine) })));
  }
  items.push(...securityItems(input));
  return { meets: items.length === 0, perCapitaNetIncome: income, unmet: items };
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
  if (line === null) blockers.push(unmet('income_below_line', msg('monitoring.blocker.noMonitoringLine')));
  else if (income === null) blockers.push(unmet('income_below_line', msg('monitoring.blocker.noIncome')));
  else if (income <= line) blockers.push(unmet('income_below_line', msg('monitoring.blocker.incomeBelowLine', { income: yuan(income), line: yuan(line) })));
  else if (!monitoredLong) {
    const last = input.lastIncome && input.members.length ? perCapitaNetIncome(input.lastIncome, input.members.length) : null;
    const months = policy.eliminationStableMonths;
    if (last === null) blockers.push(unmet('income_below_line', msg('monitoring.blocker.notStableNoRecord', { months })));
    else if (last <= line) blockers.push(unmet('income_below_line', msg('monitoring.blocker.notStableLastBelow', { months, last: yuan(last) })));
  }
  const outOfPocket = Number(input.income?.compliantOutOfPocket ?? 0);
  const share = input.formerPoor ? policy.medicalSelfPayShareFormerPoor : policy.medicalSelfPayShareOthers;
  const threshold = share * policy.ruralDisposableIncome;
  if (outOfPocket > threshold) {
    blockers.push(unmet('rigid_spending', msg('monitoring.blocker.rigidSpending', { amount: yuan(outOfPocket), threshold: yuan(threshold), percent: Math.round(share * 100) })));
  }
  blockers.push(...securityItems(input));
  // Labour capacity is what is recorded for each member (劳动技能: 普通, 技能, 弱或半劳动力), the same definition as the
  // rule facts' labourCount; age is not the definition (a 61-year-old who works is labour), an age that does not fit
  // the recorded capacity is a data-quality finding (age_labour_mismatch, minor_with_labour).
  const labourCapable = input.members.some((m) => m.labour != null && LABOUR_CAPABLE.includes(m.labour));
  if (input.household.wholeNoLabour === true || !labourCapable) {
    blockers.push(unmet('no_labour', input.household.wholeNoLabour === true ? msg('monitoring.blocker.wholeNoLabour') : msg('monitoring.blocker.noLabourMember')));
  }
  const quick = input.referenceDate < addMonthsIso(input.identifiedOn, policy.quickEliminationMonths);
  return { allowed: blockers.length === 0, blockers, quick, perCapitaNetIncome: income };
}
