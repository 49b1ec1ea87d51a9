/**
 * One household through every rule of the domain: the data-quality checks (runQualityChecks) and the field
 * validations of the household, its members, this year's income and status. Pure apart from the row mapping;
 * used by the background run for each household of a batch and by the live check of one household.
 */
import {
  maskIdsInParams, memberFinding, memberWho, msg, renderMessage, runQualityChecks, validateHousehold, validateIncome, validateMember, validateYearStatus,
  VALIDATION_CHECKS_COVERED_BY_QUALITY, VALIDATION_RULE_PREFIX,
  type IncomeRecord, type MessageRef, type ParamValue, type Severity, type ValidationProblem, type YearStatus,
} from '@tuopin/domain';
import type { MonitoringOfRow } from '../repositories/quality.repository';
import { householdFromRow, incomeValuesFromRow, memberFromRow, type HouseholdRow, type IncomeRow, type MemberRow, type YearStatusRow } from '../repositories/registry.mapping';
import { maskIdsInText } from './privacy';

export interface Evaluated {
  /** Index into the household's members (as passed in); null for the household itself */
  memberIndex: number | null;
  checkId: string;
  severity: Severity;
  field: string;
  /** Chinese text */
  message: string;
  /** its catalogue code and params (messages/quality.ts; a field validation's own code nested), ID numbers masked */
  code: string | null;
  params: Readonly<Record<string, ParamValue>> | null;
}

export interface HouseholdRows {
  household: HouseholdRow;
  /** Current members, head first */
  members: MemberRow[];
  income: IncomeRow | null;
  status: YearStatusRow | null;
  /** The open monitoring record (monitored_since) and has_development_measure, when the household is monitored */
  monitoring?: Pick<MonitoringOfRow, 'monitored_since' | 'has_development_measure'> | null;
}

/** The reference date of a year: today for the current year, else the last day of the year. */
export function referenceDateFor(year: number, today: string): string {
  return year === Number(today.slice(0, 4)) ? today : `${year}-12-31`;
}

function incomeFromRow(r: IncomeRow, householdNo: string): IncomeRecord {
  return { householdNo, year: r.year, ...incomeValuesFromRow(r) };
}

function statusFromRow(r: YearStatusRow, householdNo: string): YearStatus {
  return {
    householdNo, year: r.year, status: r.status as YearStatus['status'], exitYear: r.exit_year,
    monitored: r.monitored, monitoredType: (r.monitored_type as YearStatus['monitoredType']) ?? null,
    riskTypes: (r.risk_types ?? []) as YearStatus['riskTypes'],
  };
}

/** A field validation's problem as a finding; `wrap` puts the member or the year before it (its code nested). */
const fromValidation = (p: ValidationProblem, memberIndex: number | null, prefix: string, wrap?: (problem: MessageRef) => MessageRef): Evaluated => {
  const own: MessageRef | null = p.code ? { code: p.code, params: p.params ?? {} } : null;
  const coded = own && wrap ? wrap(own) : own;
  return {
    memberIndex, checkId: VALIDATION_RULE_PREFIX + p.check, severity: p.severity, field: p.field, message: prefix + p.message,
    code: coded?.code ?? null, params: coded ? (coded.params ?? {}) : null,
  };
};

export { maskIdsInText };

/**
 * Every finding of one household: errors first, then warnings, each in rule order. A field validation that a
 * quality check already reports (VALIDATION_CHECKS_COVERED_BY_QUALITY) is left out.
 */
export function evaluateHousehold(rows: HouseholdRows, referenceDate: string): Evaluated[] {
  const household = householdFromRow(rows.household);
  const members = rows.members.map(memberFromRow);
  const income = rows.income ? incomeFromRow(rows.income, household.householdNo) : null;
  const yearStatus = rows.status ? statusFromRow(rows.status, household.householdNo) : null;
  const opts = { referenceDate };
  const out: Evaluated[] = [];

  const monitoring = rows.monitoring
    ? { monitoredSince: rows.monitoring.monitored_since, hasDevelopmentMeasure: rows.monitoring.has_development_measure }
    : {};
  for (const q of runQualityChecks({ household, members, income, yearStatus, referenceDate, ...monitoring })) {
    out.push({ memberIndex: q.memberIndex, checkId: q.check, severity: q.severity, field: q.field, message: q.message, code: q.code ?? null, params: q.params ?? null });
  }
  for (const p of validateHousehold(household, opts)) out.push(fromValidation(p, null, ''));
  members.forEach((m, i) => {
    const who = memberWho(m, i);
    const whoText = typeof who === 'string' ? who : renderMessage(who, 'zh');
    for (const p of validateMember(m, { ...opts, regionCode: household.villageCode })) {
      if (VALIDATION_CHECKS_COVERED_BY_QUALITY.includes(p.check)) continue;
      out.push(fromValidation(p, i, `${whoText}：`, (problem) => memberFinding(who, problem)));
    }
  });
  if (income) for (const p of validateIncome(income, opts)) out.push(fromValidation(p, null, `${income.year}年收入：`, (problem) => msg('quality.finding.income', { year: income.year, problem })));
  if (yearStatus) for (const p of validateYearStatus(yearStatus, opts)) out.push(fromValidation(p, null, `${yearStatus.year}年状态：`, (problem) => msg('quality.finding.status', { year: yearStatus.year, problem })));

  const rank = (s: Severity) => (s === 'error' ? 0 : 1);
  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f.severity) - rank(b.f.severity) || a.i - b.i)
    .map(({ f }) => ({ ...f, message: maskIdsInText(f.message), params: f.params && maskIdsInParams(f.params) }));
}
