/**
 * Turns the rows of the uploaded sheets into staging rows: every cell parsed by the shared column definitions,
 * every record validated by the domain rules, problems named by sheet, row and column. Rows with errors are not
 * staged (the import as a whole cannot be committed while any error remains).
 */
import {
  getField, INCOME_ITEMS, parseCell, parseIdNumber, SHEETS, validateHousehold, validateIncome, validateMember, validateMigratedMonitoring, validateYearStatus,
  type Column, type Household, type IncomeRecord, type Member, type ParamValue, type SheetName, type ValidationProblem, type YearStatus,
} from '@tuopin/domain';
import { HOUSEHOLD_DATA_COLUMNS, householdToColumns, MEMBER_DATA_COLUMNS, memberToColumns } from '../repositories/registry.mapping';
import type { CsvRecord } from './csv';
import type { SheetSource } from './source';

export interface RowProblem {
  sheet: SheetName;
  row: number;
  column: string | null;
  severity: 'error' | 'warning';
  /** Chinese text (the downloadable problem list) */
  message: string;
  /** its catalogue code and params (the page renders them in the reader's language) */
  code?: string;
  params?: Readonly<Record<string, ParamValue>>;
}

/** Columns that are NOT NULL with a default in the registry tables: an empty cell means the default. */
const DEFAULTS: Record<string, unknown> = {
  is_military_family: false, relocated: false, dibao: 'none', tekun: 'none', whole_no_labour: false, other_causes: [],
  id_type: 'resident_id', health: [], critical_illness_insurance: false, commercial_medical_insurance: false, pension_insurance: false,
  medical_aid: false, monitored: false, risk_types: [],
};
const withDefaults = (cols: Record<string, unknown>, names: readonly string[]) =>
  names.map((n) => (cols[n] === null || cols[n] === undefined ? (DEFAULTS[n] ?? null) : cols[n]));

function headerOf(columns: readonly Column[], field: string): string | null {
  return columns.find((c) => c.key === field)?.header ?? columns.find((c) => c.key === field.split('.')[0])?.header ?? null;
}

/** A column's parser bound to its position in the file and its place in the record (compiled once per sheet). */
interface BoundColumn {
  col: Column;
  index: number;
  head: string;
  sub: string | null;
  empty: unknown;
}

function bindColumns(sheet: SheetName, indexes: number[]): BoundColumn[] {
  return SHEETS[sheet].columns.map((col, i) => {
    const dot = col.key.indexOf('.');
    return {
      col, index: indexes[i]!, head: dot < 0 ? col.key : col.key.slice(0, dot), sub: dot < 0 ? null : col.key.slice(dot + 1),
      empty: col.type === 'codes' ? [] : null,
    };
  });
}

/** Parses the cells of one row; cell problems are reported, their fields left empty. */
function parseRow(sheet: SheetName, bound: BoundColumn[], cells: string[], row: number, problems: RowProblem[]) {
  const rec: Record<string, unknown> = {};
  let ok = true;
  for (const b of bound) {
    const r = parseCell(b.col, b.index >= 0 ? cells[b.index] : '');
    let value: unknown;
    if ('problem' in r) {
      problems.push({ sheet, row, column: b.col.header, severity: 'error', message: r.problem, code: r.code, params: r.params });
      ok = false;
      value = b.empty;
    } else value = r.value;
    if (b.sub === null) rec[b.head] = value;
    else ((rec[b.head] ??= {}) as Record<string, unknown>)[b.sub] = value;
  }
  return { rec, ok };
}

function report(sheet: SheetName, row: number, found: ValidationProblem[], problems: RowProblem[], skip: Set<string> = new Set()): boolean {
  let errors = false;
  for (const p of found) {
    if (skip.has(p.field)) continue;
    problems.push({ sheet, row, column: headerOf(SHEETS[sheet].columns, p.field), severity: p.severity, message: p.message, code: p.code, params: p.params });
    if (p.severity === 'error') errors = true;
  }
  return errors;
}

export interface StageContext {
  importId: number;
  /** Today in China: the reference date of rows of the current year, or without a usable 年度 */
  referenceDate: string;
  problems: RowProblem[];
  rowsRead: { households: number; members: number; income: number };
  /** Village of each household staged from this file (household number → village code), for its members and income. */
  villages: Map<string, string>;
  /** 年度 of each household staged from this file (household number → year), for its members' reference date. */
  years: Map<string, number>;
  /** The latest 年度 of the file's households (null before any): the year of members of households not in the file. */
  fileYear: number | null;
}

/** What staging one batch needs: the import, today, and (members, income) the households' villages and years. */
export interface BatchContext {
  importId: number;
  referenceDate: string;
  villages: ReadonlyMap<string, string>;
  years: ReadonlyMap<string, number>;
  fileYear: number | null;
}

/**
 * The date a row is checked at (ages against school stage and labour, birth dates, years not in the future):
 * 31 December of its 年度 for a past year — a file of 2020 is checked as the registry stood in 2020, as the
 * data-quality run does (quality.evaluate.ts, referenceDateFor) — and today for the current year, a future
 * year (still refused as such) or no usable year.
 */
export function rowReferenceDate(year: unknown, today: string): string {
  return typeof year === 'number' && Number.isInteger(year) && year >= 1900 && year < Number(today.slice(0, 4)) ? `${year}-12-31` : today;
}

/** One staged batch: rows for COPY (ordered as the staging table's columns), problems, villages of new households. */
export interface StagedBatch {
  rows: unknown[][];
  problems: RowProblem[];
  /** households only: household number → village, in row order */
  villages: [string, string][];
  /** households only: household number → 年度, in row order */
  years: [string, number][];
}

const placeOf = (villages: ReadonlyMap<string, string>, householdNo: unknown): [string | null, string | null] => {
  const village = typeof householdNo === 'string' ? villages.get(householdNo) : undefined;
  return village === undefined ? [null, null] : [village.slice(0, 6), village];
};

const SKIP_HOUSEHOLD = new Set(['countyCode']);
const SKIP_STATUS = new Set(['householdNo']);
const SKIP_INCOME = new Set(['householdNo']);
const INCOME_FIELDS = INCOME_ITEMS.map((i) => i.key);

/** Household rows of one batch. */
function householdBatch(bound: BoundColumn[], batch: CsvRecord[], ctx: BatchContext): StagedBatch {
  const out: StagedBatch = { rows: [], problems: [], villages: [], years: [] };
  for (const { rowNo, cells } of batch) {
    const { rec, ok } = parseRow('households', bound, cells, rowNo, out.problems);
    const options = { referenceDate: rowReferenceDate(rec.year, ctx.referenceDate) };
    const villageCode = typeof rec.villageCode === 'string' ? rec.villageCode : '';
    const county = villageCode.slice(0, 6);
    rec.countyCode = county;
    const household = rec as unknown as Household;
    const status = { householdNo: rec.householdNo, year: rec.year, status: rec.status, exitYear: rec.exitYear, monitored: rec.monitored ?? false,
      monitoredType: rec.monitoredType, riskTypes: rec.riskTypes ?? [] } as unknown as YearStatus;
    const bad = report('households', rowNo, validateHousehold(household, options), out.problems, SKIP_HOUSEHOLD);
    const badStatus = report('households', rowNo, validateYearStatus(status, options), out.problems, SKIP_STATUS);
    // 纳入监测日期 of a household monitored before the platform (its migrated monitoring record), against today
    const badMonitoring = report('households', rowNo, validateMigratedMonitoring({ monitored: status.monitored, year: rec.year, identifiedOn: rec.identifiedOn }, ctx.referenceDate), out.problems);
    if (!ok || bad || badStatus || badMonitoring) continue;
    const cols = householdToColumns(household);
    out.villages.push([rec.householdNo as string, villageCode]);
    out.years.push([rec.householdNo as string, rec.year as number]);
    out.rows.push([
      ctx.importId, rowNo, county, rec.householdNo, villageCode, ...withDefaults(cols, HOUSEHOLD_DATA_COLUMNS),
      status.year, status.status, status.monitored, status.monitoredType ?? null, status.riskTypes, rec.identifiedOn ?? null,
    ]);
  }
  return out;
}

/** Member rows of one batch; ID numbers normalised (15 → 18 digits), the ID type inferred from the number's length. */
function memberBatch(bound: BoundColumn[], batch: CsvRecord[], ctx: BatchContext): StagedBatch {
  const out: StagedBatch = { rows: [], problems: [], villages: [], years: [] };
  for (const { rowNo, cells } of batch) {
    const { rec, ok } = parseRow('members', bound, cells, rowNo, out.problems);
    const member = rec as unknown as Member;
    // Checked as at the 年度 of the member's household in this file (else the file's 年度, else today).
    const no = getField(rec, 'householdNo');
    const options = { referenceDate: rowReferenceDate((typeof no === 'string' ? ctx.years.get(no) : undefined) ?? ctx.fileYear, ctx.referenceDate) };
    // Normalise what is not already a clean 18-character number (15 digits, lower-case x, spaces …).
    if (typeof member.idNumber === 'string' && (member.idNumber.length !== 18 || member.idNumber.endsWith('x'))) {
      const p = parseIdNumber(member.idNumber, options);
      if (p.ok) member.idNumber = p.normalized;
    }
    if (!member.idType && typeof member.idNumber === 'string' && member.idNumber.length > 18) member.idType = 'disability_cert';
    if (!member.idType) member.idType = 'resident_id';
    const bad = report('members', rowNo, validateMember(member, options), out.problems);
    if (!ok || bad) continue;
    const householdNo = getField(rec, 'householdNo');
    out.rows.push([ctx.importId, rowNo, householdNo, ...placeOf(ctx.villages, householdNo), ...withDefaults(memberToColumns(member), MEMBER_DATA_COLUMNS)]);
  }
  return out;
}

/** Income rows of one batch. */
function incomeBatch(bound: BoundColumn[], batch: CsvRecord[], ctx: BatchContext): StagedBatch {
  const out: StagedBatch = { rows: [], problems: [], villages: [], years: [] };
  for (const { rowNo, cells } of batch) {
    const { rec, ok } = parseRow('income', bound, cells, rowNo, out.problems);
    const options = { referenceDate: rowReferenceDate(rec.year, ctx.referenceDate) };
    const bad = report('income', rowNo, validateIncome(rec as unknown as IncomeRecord, options), out.problems, SKIP_INCOME);
    if (!ok || bad) continue;
    const row: unknown[] = [ctx.importId, rowNo, rec.householdNo, ...placeOf(ctx.villages, rec.householdNo), rec.year];
    for (const f of INCOME_FIELDS) row.push(rec[f] ?? null);
    out.rows.push(row);
  }
  return out;
}

const BATCH_FNS = { households: householdBatch, members: memberBatch, income: incomeBatch } as const;

/** A sheet's parsers bound to the file's column positions, and its batch function (the same in a worker and here). */
export function batchStager(sheet: SheetName, indexes: number[]): (batch: CsvRecord[], ctx: BatchContext) => StagedBatch {
  const bound = bindColumns(sheet, indexes);
  const fn = BATCH_FNS[sheet];
  return (batch, ctx) => fn(bound, batch, ctx);
}

/** Adds a staged batch's problems, villages and years (first occurrence wins) and row count to the context. */
export function absorb(ctx: StageContext, sheet: SheetName, read: number, b: { problems: RowProblem[]; villages: [string, string][]; years: [string, number][] }): void {
  ctx.rowsRead[sheet] += read;
  for (const p of b.problems) ctx.problems.push(p);
  for (const [no, village] of b.villages) if (!ctx.villages.has(no)) ctx.villages.set(no, village);
  for (const [no, year] of b.years) {
    if (!ctx.years.has(no)) ctx.years.set(no, year);
    if (ctx.fileYear === null || year > ctx.fileYear) ctx.fileYear = year;
  }
}

/** Staging rows of a sheet, a batch per batch of the file, in this thread. */
export async function* sheetRows(src: SheetSource, ctx: StageContext): AsyncGenerator<unknown[][]> {
  const stage = batchStager(src.sheet, src.indexes);
  for await (const batch of src.batches()) {
    const b = stage(batch, ctx);
    absorb(ctx, src.sheet, batch.length, b);
    yield b.rows;
  }
}
