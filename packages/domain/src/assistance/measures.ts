/**
 * Assistance measures (帮扶措施) of a household: what help it receives, of which family (DOMAIN §9), from when to
 * when. A household "has a development measure" on a date when an industry or employment measure (开发式帮扶: a
 * project or job of its own) is in force on that date — the fact the warning rule and the data-quality check on
 * monitored households with labour read.
 */
import { isIsoDate, parseIsoDate } from '../registry/dates';
import { msg, renderMessage, type Message, type MessageArgs, type MessageCode, type ParamValue } from '../messages/index';

export const MEASURE_FAMILIES = [
  { code: 'industry', zh: '产业帮扶', en: 'Industry', development: true },
  { code: 'employment', zh: '就业帮扶', en: 'Employment', development: true },
  { code: 'finance', zh: '金融帮扶', en: 'Finance (small loans)', development: false },
  { code: 'health', zh: '健康帮扶', en: 'Health', development: false },
  { code: 'education', zh: '教育帮扶', en: 'Education', development: false },
  { code: 'housing', zh: '住房安全', en: 'Housing safety', development: false },
  { code: 'water', zh: '饮水安全', en: 'Drinking water', development: false },
  { code: 'social_security', zh: '综合保障（兜底）', en: 'Social security', development: false },
  { code: 'relocation', zh: '易地搬迁', en: 'Relocation', development: false },
  { code: 'social', zh: '社会帮扶', en: 'Social assistance', development: false },
  { code: 'consumption', zh: '消费帮扶', en: 'Consumption', development: false },
] as const;
export type MeasureFamily = (typeof MEASURE_FAMILIES)[number]['code'];

/** Families that count as a development measure (产业、就业: a project or a job of the household's own). */
export const DEVELOPMENT_MEASURE_FAMILIES: readonly MeasureFamily[] = MEASURE_FAMILIES.filter((f) => f.development).map((f) => f.code);

export interface MeasureInput {
  family: string;
  title: string;
  startedOn: string;
  endedOn?: string | null;
  /** Funds put in, yuan (optional) */
  amount?: number | null;
  note?: string | null;
}

export interface MeasureProblem {
  field: 'family' | 'title' | 'startedOn' | 'endedOn' | 'amount' | 'note';
  /** Chinese text of the catalogue message. */
  message: string;
  /** Catalogue code and params of the problem (rendered in either language). */
  code: MessageCode;
  params: Readonly<Record<string, ParamValue>>;
}

function problem<C extends MessageCode>(field: MeasureProblem['field'], code: C, ...args: MessageArgs<C>): MeasureProblem {
  const m: Message = msg(code, ...args);
  return { field, message: renderMessage(m, 'zh')!, code, params: m.params };
}

/** Checks a measure as entered; `today` is 'YYYY-MM-DD'. Each problem names its field, with a catalogue code and its Chinese text. */
export function validateMeasure(m: MeasureInput, today: string): MeasureProblem[] {
  const p: MeasureProblem[] = [];
  if (!MEASURE_FAMILIES.some((f) => f.code === m.family)) p.push(problem('family', 'assistance.familyRequired'));
  const title = m.title.trim();
  if (!title) p.push(problem('title', 'assistance.titleRequired'));
  else if (title.length > 200) p.push(problem('title', 'assistance.titleTooLong', { max: 200 }));
  const start = isIsoDate(m.startedOn) ? parseIsoDate(m.startedOn) : null;
  if (!start) p.push(problem('startedOn', 'assistance.startInvalid'));
  else if (m.startedOn > today) p.push(problem('startedOn', 'assistance.startAfterToday'));
  if (m.endedOn !== undefined && m.endedOn !== null && m.endedOn !== '') {
    if (!isIsoDate(m.endedOn)) p.push(problem('endedOn', 'assistance.endInvalid'));
    else if (start && m.endedOn < m.startedOn) p.push(problem('endedOn', 'assistance.endBeforeStart'));
  }
  if (m.amount !== undefined && m.amount !== null) {
    if (!Number.isFinite(m.amount) || m.amount < 0) p.push(problem('amount', 'assistance.amountNegative'));
    else if (m.amount > 100_000_000) p.push(problem('amount', 'assistance.amountTooLarge'));
    else if (Math.round(m.amount * 100) !== m.amount * 100) p.push(problem('amount', 'assistance.amountDecimals'));
  }
  if (m.note && m.note.length > 1000) p.push(problem('note', 'assistance.noteTooLong', { max: 1000 }));
  return p;
}

/** Checks the date a measure that started on `startedOn` ends on: given, a real date, not before the start, not after `today`. */
export function validateMeasureEnd(startedOn: string, endedOn: string, today: string): MeasureProblem[] {
  if (!endedOn) return [problem('endedOn', 'assistance.endRequired')];
  if (!isIsoDate(endedOn)) return [problem('endedOn', 'assistance.endInvalid')];
  if (endedOn < startedOn) return [problem('endedOn', 'assistance.endBeforeStart')];
  if (endedOn > today) return [problem('endedOn', 'assistance.endAfterToday')];
  return [];
}

/** Whether a measure is in force on `date` ('YYYY-MM-DD'): started on or before it and not ended before it. */
export function measureInForce(m: { startedOn: string; endedOn: string | null }, date: string): boolean {
  return m.startedOn <= date && (m.endedOn === null || m.endedOn >= date);
}

/** Whether any development measure of the list is in force on `date`. */
export function hasDevelopmentMeasure(measures: { family: string; startedOn: string; endedOn: string | null }[], date: string): boolean {
  return measures.some((m) => (DEVELOPMENT_MEASURE_FAMILIES as readonly string[]).includes(m.family) && measureInForce(m, date));
}
