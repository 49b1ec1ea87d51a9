/**
 * Turns the rows of the uploaded sheets into staging rows: every cell parsed by the shared column definitions,
 * every record validated by the domain rules, problems named by sheet, row and column. Rows with errors are not
 * staged (the import as a whole cannot be committed while any error remains).
 */
import {
  getField, parseCell, parseIdNumber, setField, SHEETS, validateHousehold, validateIncome, validateMember, validateYearStatus,
  type Column, type Household, type IncomeRecord, type Member, type SheetName, type ValidationProblem, type YearStatus,
} from '@tuopin/domain';
import { HOUSEHOLD_DATA_COLUMNS, INCOME_DATA_COLUMNS, MEMBER_DATA_COLUMNS } from '../repositories/import.repository';
import { householdToColumns, memberToColumns } from '../services/registry.mapping';
import type { SheetSource } from './source';

export interface RowProblem {
  sheet: SheetName;
  row: number;
  column: string | null;
  severity: 'error' | 'warning';
  message: string;
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

/** Parses the cells of one row; cell problems are reported, their fields left empty. */
function parseRow(sheet: SheetName, indexes: number[], cells: string[], row: number, problems: RowProblem[]) {
  const cols = SHEETS[sheet].columns;
  const rec: Record<string, unknown> = {};
  let ok = true;
  cols.forEach((col, i) => {
    const idx = indexes[i]!;
    const r = parseCell(col, idx >= 0 ? cells[idx] : '');
    if ('problem' in r) {
      problems.push({ sheet, row, column: col.header, severity: 'error', message: r.problem });
      ok = false;
      setField(rec, col.key, col.type === 'codes' ? [] : null);
    } else setField(rec, col.key, r.value);
  });
  return { rec, ok };
}

function report(sheet: SheetName, row: number, found: ValidationProblem[], problems: RowProblem[], skip: Set<string> = new Set()): boolean {
  let errors = false;
  for (const p of found) {
    if (skip.has(p.field)) continue;
    problems.push({ sheet, row, column: headerOf(SHEETS[sheet].columns, p.field), severity: p.severity, message: p.message });
    if (p.severity === 'error') errors = true;
  }
  return errors;
}

export interface StageContext {
  importId: number;
  referenceDate: string;
  problems: RowProblem[];
  rowsRead: { households: number; members: number; income: number };
}

export async function* householdRows(src: SheetSource, ctx: StageContext): AsyncGenerator<unknown[]> {
  for await (const { rowNo, cells } of src.rows()) {
    ctx.rowsRead.households++;
    const { rec, ok } = parseRow('households', src.indexes, cells, rowNo, ctx.problems);
    const villageCode = typeof rec.villageCode === 'string' ? rec.villageCode : '';
    const household = { ...rec, countyCode: villageCode.slice(0, 6) } as unknown as Household;
    const status = { householdNo: rec.householdNo, year: rec.year, status: rec.status, exitYear: rec.exitYear, monitored: rec.monitored ?? false,
      monitoredType: rec.monitoredType, riskTypes: rec.riskTypes ?? [] } as unknown as YearStatus;
    const bad = report('households', rowNo, validateHousehold(household, { referenceDate: ctx.referenceDate }), ctx.problems, new Set(['countyCode']));
    const badStatus = report('households', rowNo, validateYearStatus(status, { referenceDate: ctx.referenceDate }), ctx.problems, new Set(['householdNo']));
    if (!ok || bad || badStatus) continue;
    const cols = householdToColumns(household);
    const county = villageCode.slice(0, 6);
    yield [
      ctx.importId, rowNo, county, rec.householdNo, villageCode, ...withDefaults(cols, HOUSEHOLD_DATA_COLUMNS),
      status.year, status.status, status.monitored, status.monitoredType ?? null, status.riskTypes,
    ];
  }
}

export async function* memberRows(src: SheetSource, ctx: StageContext): AsyncGenerator<unknown[]> {
  for await (const { rowNo, cells } of src.rows()) {
    ctx.rowsRead.members++;
    const { rec, ok } = parseRow('members', src.indexes, cells, rowNo, ctx.problems);
    const member = rec as unknown as Member;
    if (typeof member.idNumber === 'string') {
      const p = parseIdNumber(member.idNumber, { referenceDate: ctx.referenceDate });
      if (p.ok) member.idNumber = p.normalized;
    }
    if (!member.idType && typeof member.idNumber === 'string' && member.idNumber.length > 18) member.idType = 'disability_cert';
    if (!member.idType) member.idType = 'resident_id';
    const bad = report('members', rowNo, validateMember(member, { referenceDate: ctx.referenceDate }), ctx.problems);
    if (!ok || bad) continue;
    yield [ctx.importId, rowNo, getField(rec, 'householdNo'), ...withDefaults(memberToColumns(member), MEMBER_DATA_COLUMNS)];
  }
}

export async function* incomeRows(src: SheetSource, ctx: StageContext): AsyncGenerator<unknown[]> {
  for await (const { rowNo, cells } of src.rows()) {
    ctx.rowsRead.income++;
    const { rec, ok } = parseRow('income', src.indexes, cells, rowNo, ctx.problems);
    const bad = report('income', rowNo, validateIncome(rec as unknown as IncomeRecord, { referenceDate: ctx.referenceDate }), ctx.problems, new Set(['householdNo']));
    if (!ok || bad) continue;
    const snakeRec: Record<string, unknown> = {};
    for (const col of SHEETS.income.columns) snakeRec[col.key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = rec[col.key];
    yield [ctx.importId, rowNo, rec.householdNo, rec.year, ...INCOME_DATA_COLUMNS.map((c) => snakeRec[c] ?? null)];
  }
}
