/**
 * The import/export format of the registry: three sheets (户信息, 成员信息, 收入信息) with Chinese headers.
 * One definition used by the XLSX/CSV template, the import, the export and the generator's file output.
 *
 * Cell conventions: codes are written as their Chinese labels (the code itself is accepted too);
 * booleans as 是/否; several codes in one cell separated by 、 , ， ; or ；; dates as YYYY-MM-DD
 * (also YYYY/M/D and YYYYMMDD); numbers plain (thousands separators tolerated).
 */
import {
  DIBAO_TYPES, DISABILITY_CATEGORIES, DISABILITY_GRADES, DROPOUT_REASONS, EDUCATION_LEVELS, ETHNICITIES, FUELS, HEALTH_CONDITIONS,
  HOUSEHOLD_ATTRIBUTES, HOUSEHOLD_STATUSES, HOUSING_RATINGS, ID_TYPES, LABOUR_SKILLS, MEDICAL_INSURANCES, MONITORED_TYPES, POVERTY_CAUSES,
  RELATIONS, RISK_TYPES, ROAD_TYPES, SCHOOL_STATUSES, SEXES, TEKUN_TYPES, WATER_PROBLEMS, WORK_PLACES, codeByLabel, label,
  type CodeTable,
} from './codes';
import { INCOME_ITEMS } from './income';
import { hasBadText, NUMBER_LIMITS, TEXT_LIMITS } from './limits';
import { fieldName, REGISTRY_FIRST_YEAR } from './validate';
import { msg, zhText, type MessageArgs, type MessageCode, type ParamValue } from '../messages/index';

export type ColumnType = 'text' | 'code' | 'codes' | 'number' | 'integer' | 'boolean' | 'date';

export interface Column {
  /** Field name in the domain type (camelCase); land areas are `land.<key>`. */
  readonly key: string;
  /** The header in the spreadsheet. */
  readonly header: string;
  readonly type: ColumnType;
  readonly table?: CodeTable;
  readonly required?: boolean;
  /** Shown in the template's second row. */
  readonly hint?: string;
  /** Longest cell text, in characters (TEXT_LIMITS; TEXT_LIMITS.cell when not set). */
  readonly maxLength?: number;
  /**
   * Smallest and largest value of a number or integer column: the bounds of the API contract (api/columns-schema.ts),
   * which refuses anything outside before a service sees it. The domain validation may be stricter (a year up to the
   * next one).
   */
  readonly min?: number;
  readonly max?: number;
  /** The pattern of a text column's value in the API contract. */
  readonly pattern?: string;
  /**
   * The value stored when the field is cleared (null, "not recorded"): the default of its NOT NULL column. Such a
   * field is never null when read back.
   */
  readonly cleared?: string | boolean | readonly [];
}

export type SheetName = 'households' | 'members' | 'income';

/** A column; the key, type, code table and flags keep their literal types (the contract's TypeScript types use them). */
const c = <const K extends string, const T extends ColumnType, const X extends Partial<Omit<Column, 'key' | 'header' | 'type'>> = Record<never, never>>(
  key: K, header: string, type: T, extra: X = {} as X,
): { readonly key: K; readonly header: string; readonly type: T } & X => ({ key, header, type, ...extra });

/** Years of the registry in the contract (建档立卡 began in 2013); the domain validation allows up to next year. */
const YEARS = { min: REGISTRY_FIRST_YEAR, max: 2100 } as const;
const LAND = { min: 0, max: NUMBER_LIMITS.land } as const;
const MONTHS = { min: 0, max: 12 } as const;

export const HOUSEHOLD_COLUMNS = [
  c('householdNo', '户编号', 'text', { required: true, hint: '本县内唯一，字母数字', maxLength: TEXT_LIMITS.householdNo }),
  c('villageCode', '所在村代码', 'text', { required: true, hint: '12位统计用区划代码', pattern: '^\\d{12}$' }),
  c('address', '详细地址', 'text', { maxLength: TEXT_LIMITS.address }),
  c('phone', '联系电话', 'text', { maxLength: TEXT_LIMITS.phone }),
  c('attribute', '户属性', 'code', { table: HOUSEHOLD_ATTRIBUTES }),
  c('isMilitaryFamily', '是否军烈属', 'boolean', { cleared: false }),
  c('identifiedYear', '识别年度', 'integer', YEARS),
  c('exitYear', '脱贫年度', 'integer', YEARS),
  c('mainCause', '主要致贫原因', 'code', { table: POVERTY_CAUSES }),
  c('otherCauses', '其他致贫原因', 'codes', { table: POVERTY_CAUSES, hint: '最多两项，用、分隔', cleared: [] }),
  c('land.cultivated', '耕地面积（亩）', 'number', LAND),
  c('land.forest', '林地面积（亩）', 'number', LAND),
  c('land.returnedForest', '退耕还林面积（亩）', 'number', LAND),
  c('land.orchard', '林果面积（亩）', 'number', LAND),
  c('land.pasture', '牧草地面积（亩）', 'number', LAND),
  c('land.waterSurface', '水面面积（亩）', 'number', LAND),
  c('housingRating', '住房安全等级', 'code', { table: HOUSING_RATINGS }),
  c('housingArea', '住房面积（平方米）', 'number', { min: 0, max: NUMBER_LIMITS.housingArea }),
  c('relocated', '是否易地搬迁户', 'boolean', { cleared: false }),
  c('relocationKeysReceived', '搬迁户是否已入住', 'boolean'),
  c('safeWater', '是否饮水安全', 'boolean'),
  c('waterProblem', '饮水安全问题', 'code', { table: WATER_PROBLEMS }),
  c('roadType', '入户路类型', 'code', { table: ROAD_TYPES }),
  c('roadDistanceKm', '距村主干路距离（公里）', 'number', { min: 0, max: NUMBER_LIMITS.roadDistanceKm }),
  c('electricity', '是否通生活用电', 'boolean'),
  c('sanitaryToilet', '有无卫生厕所', 'boolean'),
  c('fuel', '主要燃料类型', 'code', { table: FUELS }),
  c('dibao', '低保', 'code', { table: DIBAO_TYPES, cleared: 'none' }),
  c('tekun', '特困供养', 'code', { table: TEKUN_TYPES, cleared: 'none' }),
  c('wholeNoLabour', '整户无劳动能力兜底保障户', 'boolean', { cleared: false }),
  c('year', '年度', 'integer', { required: true, hint: '以下状态所属年度', ...YEARS }),
  c('status', '户状态', 'code', { table: HOUSEHOLD_STATUSES, required: true }),
  c('monitored', '是否监测对象', 'boolean'),
  c('monitoredType', '监测对象类别', 'code', { table: MONITORED_TYPES }),
  c('riskTypes', '风险类型', 'codes', { table: RISK_TYPES, hint: '最多五项，按主次用、分隔' }),
  c('identifiedOn', '纳入监测日期', 'date', { hint: '监测对象识别（纳入监测）的日期；不填时取该户连续为监测对象的首个年度的 12 月 31 日（当年为导入当天）' }),
] as const satisfies readonly Column[];

export const MEMBER_COLUMNS = [
  c('householdNo', '户编号', 'text', { required: true, maxLength: TEXT_LIMITS.householdNo }),
  c('idType', '证件类型', 'code', { table: ID_TYPES, cleared: 'resident_id' }),
  c('idNumber', '证件号码', 'text', { required: true, hint: '18位身份证号或残疾人证号', maxLength: TEXT_LIMITS.idNumber }),
  c('name', '姓名', 'text', { required: true, maxLength: TEXT_LIMITS.name }),
  c('relation', '与户主关系', 'code', { table: RELATIONS, required: true }),
  c('sex', '性别', 'code', { table: SEXES }),
  c('birthDate', '出生日期', 'date'),
  c('ethnicity', '民族', 'code', { table: ETHNICITIES }),
  c('education', '文化程度', 'code', { table: EDUCATION_LEVELS }),
  c('schoolStatus', '在校生状况', 'code', { table: SCHOOL_STATUSES }),
  c('dropoutReason', '义务教育阶段未上学原因', 'code', { table: DROPOUT_REASONS }),
  c('health', '健康状况', 'codes', { table: HEALTH_CONDITIONS, cleared: [] }),
  c('disabilityCategory', '残疾类别', 'code', { table: DISABILITY_CATEGORIES }),
  c('disabilityGrade', '残疾等级', 'code', { table: DISABILITY_GRADES }),
  c('labour', '劳动技能', 'code', { table: LABOUR_SKILLS }),
  c('workMonths', '务工时间（月）', 'integer', MONTHS),
  c('workPlace', '务工地点', 'code', { table: WORK_PLACES }),
  c('employer', '务工企业名称', 'text', { maxLength: TEXT_LIMITS.employer }),
  c('publicWelfareMonths', '公益性岗位（月）', 'integer', MONTHS),
  c('monthlyWorkIncome', '月务工收入（元）', 'number', { min: 0, max: NUMBER_LIMITS.monthlyWorkIncome }),
  c('medicalInsurance', '基本医疗保险', 'code', { table: MEDICAL_INSURANCES }),
  c('criticalIllnessInsurance', '是否参加大病保险', 'boolean', { cleared: false }),
  c('commercialMedicalInsurance', '是否参加补充医疗保险', 'boolean', { cleared: false }),
  c('pensionInsurance', '是否参加城乡居民基本养老保险', 'boolean', { cleared: false }),
  c('medicalAid', '是否享受医疗救助', 'boolean', { cleared: false }),
  c('dibao', '是否享受低保', 'code', { table: DIBAO_TYPES, cleared: 'none' }),
  c('tekun', '是否特困供养', 'code', { table: TEKUN_TYPES, cleared: 'none' }),
  c('phone', '联系电话', 'text', { maxLength: TEXT_LIMITS.phone }),
] as const satisfies readonly Column[];

export const INCOME_COLUMNS: readonly Column[] = [
  c('householdNo', '户编号', 'text', { required: true, maxLength: TEXT_LIMITS.householdNo }),
  c('year', '年度', 'integer', { required: true }),
  ...INCOME_ITEMS.map((it): Column => c(it.key, `${it.zh}（元）`, 'number')),
];

export const SHEETS: Record<SheetName, { title: string; columns: readonly Column[] }> = {
  households: { title: '户信息', columns: HOUSEHOLD_COLUMNS },
  members: { title: '成员信息', columns: MEMBER_COLUMNS },
  income: { title: '收入信息', columns: INCOME_COLUMNS },
};

export interface CellProblem {
  header: string;
  message: string;
}

const lookups = new WeakMap<CodeTable, Map<string, string | null>>();
function lookupCode(table: CodeTable, text: string): string | null {
  let m = lookups.get(table);
  if (!m) lookups.set(table, (m = new Map()));
  let v = m.get(text);
  if (v === undefined) {
    v = codeByLabel(table, text);
    if (m.size < 10_000) m.set(text, v);
  }
  return v;
}

const TRUE = new Set(['是', '有', 'Y', 'y', 'yes', 'Yes', 'YES', 'true', 'TRUE', '1', '√']);
const FALSE = new Set(['否', '无', '没有', 'N', 'n', 'no', 'No', 'NO', 'false', 'FALSE', '0', '×']);

/**
 * The platform's CSV exports write number-like text as `="…"` so that spreadsheets keep it as text (an ID number
 * would otherwise become 2.11204E+17); a file exported here and imported again reads such a cell as its text.
 */
export function unwrapTextFormula(s: string): string {
  const m = /^="((?:[^"]|"")*)"$/s.exec(s);
  return m ? m[1]!.replace(/""/g, '"').trim() : s;
}

/** A cell's problem: the Chinese text, and its catalogue code and params (messages/import.ts, import.cell.*). */
export interface CellParseProblem {
  problem: string;
  code: MessageCode;
  params: Readonly<Record<string, ParamValue>>;
}

function cellProblem<C extends MessageCode>(code: C, ...args: MessageArgs<C>): CellParseProblem {
  return { problem: zhText(code, ...args), ...msg(code, ...args) };
}

/** Parses one cell; returns the value (null when empty) or the problem (Chinese text, code and params). */
export function parseCell(col: Column, raw: string | null | undefined): { value: unknown } | CellParseProblem {
  const s = unwrapTextFormula((raw ?? '').trim());
  if (s === '') return col.required ? cellProblem('import.cell.required') : { value: col.type === 'codes' ? [] : null };
  const limit = col.maxLength ?? TEXT_LIMITS.cell;
  if (s.length > limit) return cellProblem('import.cell.tooLong', { length: s.length, max: limit });
  if (hasBadText(s)) return cellProblem('import.cell.badText');
  switch (col.type) {
    case 'text':
      return { value: s };
    case 'code': {
      const v = lookupCode(col.table!, s);
      return v === null
        ? cellProblem('import.cell.notInTable', {
          value: s, column: fieldName(col.header), options: { zh: col.table!.map((e) => e.zh).join('、'), en: col.table!.map((e) => e.en).join(', ') },
        })
        : { value: v };
    }
    case 'codes': {
      const parts = s.split(/[、,，;；\s]+/).filter(Boolean);
      const out: string[] = [];
      for (const p of parts) {
        const v = lookupCode(col.table!, p);
        if (v === null) return cellProblem('import.cell.notInTableItem', { value: p, column: fieldName(col.header) });
        out.push(v);
      }
      return { value: out };
    }
    case 'number':
    case 'integer': {
      const t = s.replace(/[,，\s]/g, '');
      if (!/^-?\d+(\.\d+)?$/.test(t)) return cellProblem('import.cell.notNumber', { value: s });
      const n = Number(t);
      if (col.type === 'integer' && !Number.isInteger(n)) return cellProblem('import.cell.notInteger', { value: s });
      return { value: n };
    }
    case 'boolean':
      if (TRUE.has(s)) return { value: true };
      if (FALSE.has(s)) return { value: false };
      return cellProblem('import.cell.notBoolean', { value: s });
    case 'date': {
      const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(s);
      if (!m) return cellProblem('import.cell.notDate', { value: s });
      return { value: `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` };
    }
  }
}

/** Writes a value in the sheet format (the inverse of parseCell). */
export function formatCell(col: Column, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (col.type) {
    case 'code':
      return label(col.table!, String(value)) ?? String(value);
    case 'codes':
      return (value as string[]).map((v) => label(col.table!, v) ?? v).join('、');
    case 'boolean':
      return value ? '是' : '否';
    default:
      return String(value);
  }
}

/**
 * Matches the header row of a sheet against its columns. Unknown and duplicate headers and missing required
 * ones are problems; optional columns may be left out. Returns, for each column, its index in the row (-1 when absent).
 */
export function matchHeaders(sheet: SheetName, headerRow: readonly string[]): { indexes: number[]; problems: CellParseProblem[] } {
  const cols = SHEETS[sheet].columns;
  const problems: CellParseProblem[] = [];
  const clean = headerRow.map((h) => (h ?? '').replace(/[\s\u3000]/g, '').replace(/\(/g, '（').replace(/\)/g, '）'));
  const seen = new Map<string, number>();
  clean.forEach((h, i) => {
    if (h === '') return;
    if (seen.has(h)) problems.push(cellProblem('import.header.duplicate', { header: h, first: seen.get(h)! + 1, second: i + 1 }));
    else seen.set(h, i);
    if (!cols.some((col) => col.header === h)) problems.push(cellProblem('import.header.unknown', { index: i + 1, header: h }));
  });
  const indexes = cols.map((col) => seen.get(col.header) ?? -1);
  cols.forEach((col, i) => {
    if (col.required && indexes[i] === -1) problems.push(cellProblem('import.header.missing', { header: col.header }));
  });
  return { indexes, problems };
}

/** Sets `land.cultivated`-style keys on an object. */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  const dot = key.indexOf('.');
  if (dot < 0) {
    target[key] = value;
    return;
  }
  const head = key.slice(0, dot);
  const obj = (target[head] ??= {}) as Record<string, unknown>;
  obj[key.slice(dot + 1)] = value;
}

/** Reads `land.cultivated`-style keys from an object. */
export function getField(source: Record<string, unknown>, key: string): unknown {
  const dot = key.indexOf('.');
  if (dot < 0) return source[key];
  const inner = source[key.slice(0, dot)] as Record<string, unknown> | undefined;
  return inner?.[key.slice(dot + 1)];
}
