/**
 * Households monitored before the platform (已有监测对象): an import file's 是否监测对象 = 是 becomes a monitoring
 * record marked as migrated (no identification procedure here). The file may carry the identification date
 * (纳入监测日期); these are its checks. Without it the server uses the reference date of the first year of the
 * household's unbroken monitored run (see migratedRecordsSql in the server's monitoring repository).
 */
import { parseIsoDate } from '../registry/dates';
import type { ValidationProblem } from '../registry/validate';
import { msg, renderMessage, type Message } from '../messages/index';

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
  const add = (severity: 'error' | 'warning', check: string, m: Message) =>
    out.push({ field: 'identifiedOn', message: renderMessage(m, 'zh')!, code: m.code, params: m.params, severity, check });
  if (typeof d !== 'string' || parseIsoDate(d) === null) {
    add('error', 'date', msg('monitoring.migrated.dateInvalid'));
    return out;
  }
  if (r.monitored !== true) add('error', 'identified_on_unexpected', msg('monitoring.migrated.unexpected'));
  if (d > today) add('error', 'identified_on_future', msg('monitoring.migrated.future', { date: d }));
  else if (typeof r.year === 'number' && Number.isInteger(r.year) && d > `${r.year}-12-31`) {
    add('error', 'identified_on_after_year', msg('monitoring.migrated.afterYear', { date: d, year: r.year }));
  }
  if (Number(d.slice(0, 4)) < MONITORING_START_YEAR) {
    add('warning', 'identified_on_early', msg('monitoring.migrated.early', { date: d, start: MONITORING_START_YEAR }));
  }
  return out;
}
