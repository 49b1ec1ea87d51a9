/**
 * Households monitored before the platform (已有监测对象): an import file's 是否监测对象 = 是 becomes a monitoring
 * record marked as migrated (no identification procedure here). The file may carry the identification date
 * (纳入监测日期); these are its checks. Without it the server uses the reference date of the first year of the
 * household's unbroken monitored run (see migratedRecordsSql in the server's monitoring repository).
 */
import { parseIsoDate } from '../registry/dates';
import type { ValidationProblem } from '../registry/validate';

/** Monitoring started in 2020 (防止返贫动态监测和帮扶机制); an earlier date is doubtful, not impossible (pilot counties). */
export const MONITORING_START_YEAR = 2020;

export interface MigratedMonitoringInput {
  monitored: boolean | null | undefined;
  /** 年度 of the row */
  year: unknown;
  /** 'YYYY-MM-DD' or null */
  identifiedOn: unknown;
}

/** Checks of an imported identification date, against the row's year and today ('YYYY-MM-DD', China). */
export function validateMigratedMonitoring(r: MigratedMonitoringInput, today: string): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  const d = r.identifiedOn;
  if (d === null || d === undefined || d === '') return out;
  const err = (check: string, message: string) => out.push({ field: 'identifiedOn', message, severity: 'error', check });
  if (typeof d !== 'string' || parseIsoDate(d) === null) {
    err('date', '纳入监测日期不是有效日期');
    return out;
  }
  if (r.monitored !== true) err('identified_on_unexpected', '非监测对象不应填写纳入监测日期');
  if (d > today) err('identified_on_future', `纳入监测日期 ${d} 晚于今天`);
  else if (typeof r.year === 'number' && Number.isInteger(r.year) && d > `${r.year}-12-31`) {
    err('identified_on_after_year', `纳入监测日期 ${d} 晚于本行年度 ${r.year} 年，该年度还不是监测对象`);
  }
  if (Number(d.slice(0, 4)) < MONITORING_START_YEAR) {
    out.push({ field: 'identifiedOn', severity: 'warning', check: 'identified_on_early', message: `纳入监测日期 ${d} 早于 ${MONITORING_START_YEAR} 年建立防返贫监测机制，请核实` });
  }
  return out;
}
