/**
 * Household income: ONE definition of the income items and of per-capita net income (人均纯收入),
 * used by pages, the API, the import and SQL (perCapitaNetIncomeSql is generated from the same table).
 *
 *   人均纯收入 = (工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出) ÷ 家庭人口
 *
 * Arithmetic is done in integer fen (分) with BigInt so that no float drift can occur:
 *   1. every item is rounded to fen, half away from zero (as PostgreSQL does when storing a value
 *      into a numeric(…, 2) column);
 *   2. the items are summed in fen (exact);
 *   3. the sum is divided by the household size and rounded to fen, half away from zero;
 *   4. the result is returned in yuan (the nearest double to the 2-decimal value).
 * This equals PostgreSQL's `round(sum_numeric / size, 2)` exactly, negative results included
 * (PostgreSQL's numeric round() also rounds half away from zero: round(-0.125, 2) = -0.13), given
 * that the income columns are numeric (not double precision). Numeric division computes at least
 * 16 significant digits and rounds; since the quotient of a fen amount by a small integer is either
 * an exact half fen or at least 1/(2·size) fen away from it, the intermediate rounding never changes
 * the final digit.
 */
import type { IncomeItemKey } from './types';
import type { Lang } from './codes';

export type IncomeGroup = 'wage' | 'operating' | 'property' | 'transfer' | 'expense' | 'outOfPocket';

export interface IncomeItem {
  readonly key: IncomeItemKey;
  /** snake_case column name in the database */
  readonly column: string;
  readonly zh: string;
  /** Short label inside its group, used in explanations (工资性收入 = 公益性岗位 + 其他) */
  readonly zhShort: string;
  readonly en: string;
  readonly enShort: string;
  readonly group: IncomeGroup;
  /** +1 added to net income, −1 subtracted, 0 recorded but not part of net income */
  readonly sign: 1 | -1 | 0;
}

export const INCOME_GROUPS = [
  { code: 'wage', zh: '工资性收入', en: 'Wage income' },
  { code: 'operating', zh: '生产经营性收入', en: 'Operating income' },
  { code: 'property', zh: '财产性收入', en: 'Property income' },
  { code: 'transfer', zh: '转移性收入', en: 'Transfer income' },
  { code: 'expense', zh: '生产经营性支出', en: 'Operating expenses' },
  { code: 'outOfPocket', zh: '合规自付支出', en: 'Compliant out-of-pocket spending' },
] as const satisfies readonly { code: IncomeGroup; zh: string; en: string }[];

export const INCOME_ITEMS = [
  { key: 'publicWelfareWage', column: 'public_welfare_wage', zh: '公益性岗位收入', zhShort: '公益性岗位', en: 'Public-welfare post wages', enShort: 'public-welfare post', group: 'wage', sign: 1 },
  { key: 'otherWage', column: 'other_wage', zh: '其他工资性收入', zhShort: '其他', en: 'Other wages', enShort: 'other', group: 'wage', sign: 1 },
  { key: 'operatingIncome', column: 'operating_income', zh: '生产经营性收入', zhShort: '生产经营性收入', en: 'Operating income', enShort: 'operating income', group: 'operating', sign: 1 },
  { key: 'assetDividend', column: 'asset_dividend', zh: '资产收益扶贫分红收入', zhShort: '资产收益分红', en: 'Asset-income dividends', enShort: 'asset dividends', group: 'property', sign: 1 },
  { key: 'otherPropertyIncome', column: 'other_property_income', zh: '其他财产性收入', zhShort: '其他', en: 'Other property income', enShort: 'other', group: 'property', sign: 1 },
  { key: 'pension', column: 'pension', zh: '养老金或离退休金', zhShort: '养老金', en: 'Pensions', enShort: 'pensions', group: 'transfer', sign: 1 },
  { key: 'familyPlanning', column: 'family_planning', zh: '计划生育金', zhShort: '计划生育金', en: 'Family-planning payments', enShort: 'family planning', group: 'transfer', sign: 1 },
  { key: 'ecoCompensation', column: 'eco_compensation', zh: '生态补偿金', zhShort: '生态补偿金', en: 'Ecological compensation', enShort: 'ecological compensation', group: 'transfer', sign: 1 },
  { key: 'dibaoPayment', column: 'dibao_payment', zh: '最低生活保障金', zhShort: '低保金', en: 'Minimum living allowance', enShort: 'dibao', group: 'transfer', sign: 1 },
  { key: 'tekunPayment', column: 'tekun_payment', zh: '特困人员救助供养金', zhShort: '特困供养金', en: 'Destitute-person support', enShort: 'tekun', group: 'transfer', sign: 1 },
  { key: 'otherTransfer', column: 'other_transfer', zh: '其他转移性收入', zhShort: '其他', en: 'Other transfers', enShort: 'other', group: 'transfer', sign: 1 },
  { key: 'operatingExpense', column: 'operating_expense', zh: '生产经营性支出', zhShort: '生产经营性支出', en: 'Operating expenses', enShort: 'operating expenses', group: 'expense', sign: -1 },
  { key: 'compliantOutOfPocket', column: 'compliant_out_of_pocket', zh: '合规自付支出', zhShort: '合规自付支出', en: 'Compliant out-of-pocket spending', enShort: 'out-of-pocket', group: 'outOfPocket', sign: 0 },
] as const satisfies readonly IncomeItem[];

// Compile-time guarantee that INCOME_ITEMS lists every item of IncomeRecord.
type MissingIncomeItem = Exclude<IncomeItemKey, (typeof INCOME_ITEMS)[number]['key']>;
const _allIncomeItemsListed: MissingIncomeItem extends never ? true : never = true;
void _allIncomeItemsListed;

/** The item values of an income record; anything missing counts as 0. */
export type IncomeValues = Partial<Record<IncomeItemKey, number | null | undefined>>;

// ---------------------------------------------------------------------------------------------
// Fen arithmetic

/**
 * Yuan → fen (BigInt), rounded half away from zero on the value's shortest decimal representation
 * (so 0.285 is 28.5 fen → 29, as PostgreSQL numeric would store '0.285', not 28.4999… as a double
 * multiplication would give). Throws on NaN/Infinity: callers validate first.
 */
export function yuanToFen(yuan: number): bigint {
  if (!Number.isFinite(yuan)) throw new RangeError(`income amount must be a finite number, got ${yuan}`);
  const negative = yuan < 0;
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(Math.abs(yuan).toString());
  if (!m) throw new RangeError(`cannot convert ${yuan}`);
  const digits = m[1]! + (m[2] ?? '');
  // value = digits × 10^exp10 yuan, so digits × 10^(exp10 + 2) fen
  const exp10 = Number(m[3] ?? 0) - (m[2]?.length ?? 0) + 2;
  let fen: bigint;
  if (exp10 >= 0) {
    fen = BigInt(digits) * 10n ** BigInt(exp10);
  } else {
    const cut = digits.length + exp10; // number of integer digits in fen
    const intPart = cut > 0 ? digits.slice(0, cut) : '0';
    const firstDropped = cut >= 0 ? digits[cut] ?? '0' : '0';
    fen = BigInt(intPart) + (firstDropped >= '5' ? 1n : 0n);
  }
  return negative ? -fen : fen;
}

/** Fen → yuan as a decimal string with exactly two decimals ('-1234.50'). */
export function fenToDecimalString(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${s}` : s;
}

/** Fen → yuan number (the double nearest the exact 2-decimal value). */
export function fenToYuan(fen: bigint): number {
  return Number(fenToDecimalString(fen));
}

/** Integer division rounded half away from zero (divisor > 0). */
function divRoundHalfAwayFromZero(numerator: bigint, divisor: bigint): bigint {
  const q = numerator / divisor; // truncates toward zero
  const r = numerator % divisor;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= divisor) return numerator < 0n ? q - 1n : q + 1n;
  return q;
}

function itemFen(record: IncomeValues, key: IncomeItemKey): bigint {
  const v = record[key];
  return v === null || v === undefined ? 0n : yuanToFen(v);
}

// ---------------------------------------------------------------------------------------------
// Totals

export interface IncomeTotalsFen {
  wage: bigint;
  operating: bigint;
  property: bigint;
  transfer: bigint;
  expense: bigint;
  outOfPocket: bigint;
  /** wage + operating + property + transfer − expense */
  net: bigint;
}

export interface IncomeTotals {
  wage: number;
  operating: number;
  property: number;
  transfer: number;
  expense: number;
  outOfPocket: number;
  /** 家庭纯收入 = wage + operating + property + transfer − expense */
  net: number;
}

export function incomeTotalsFen(record: IncomeValues): IncomeTotalsFen {
  const t: IncomeTotalsFen = { wage: 0n, operating: 0n, property: 0n, transfer: 0n, expense: 0n, outOfPocket: 0n, net: 0n };
  for (const item of INCOME_ITEMS) {
    const fen = itemFen(record, item.key);
    t[item.group] += fen;
    t.net += BigInt(item.sign) * fen;
  }
  return t;
}

/** Group totals and the household's net income, in yuan. Missing items count as 0. */
export function incomeTotals(record: IncomeValues): IncomeTotals {
  const t = incomeTotalsFen(record);
  return {
    wage: fenToYuan(t.wage),
    operating: fenToYuan(t.operating),
    property: fenToYuan(t.property),
    transfer: fenToYuan(t.transfer),
    expense: fenToYuan(t.expense),
    outOfPocket: fenToYuan(t.outOfPocket),
    net: fenToYuan(t.net),
  };
}

function checkSize(householdSize: number): void {
  if (!Number.isInteger(householdSize) || householdSize < 0) {
    throw new RangeError(`household size must be a non-negative integer, got ${householdSize}`);
  }
}

/** Per-capita net income in fen; null when the household has no members. */
export function perCapitaNetIncomeFen(record: IncomeValues, householdSize: number): bigint | null {
  checkSize(householdSize);
  if (householdSize === 0) return null;
  return divRoundHalfAwayFromZero(incomeTotalsFen(record).net, BigInt(householdSize));
}

/**
 * 人均纯收入 in yuan with two decimals; null when the household size is 0. Throws RangeError for a
 * negative or fractional size, or a non-finite item. Equal to perCapitaNetIncomeSql's result.
 */
export function perCapitaNetIncome(record: IncomeValues, householdSize: number): number | null {
  const fen = perCapitaNetIncomeFen(record, householdSize);
  return fen === null ? null : fenToYuan(fen);
}

// ---------------------------------------------------------------------------------------------
// SQL

const SQL_IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** SQL expression of the household net income (numeric) over the columns of table alias `alias`. */
export function netIncomeSql(alias: string): string {
  if (!SQL_IDENT_RE.test(alias)) throw new Error(`invalid SQL alias: ${alias}`);
  let expr = '';
  for (const item of INCOME_ITEMS) {
    if (item.sign === 0) continue;
    const term = `coalesce(${alias}.${item.column},0)`;
    expr += expr === '' ? (item.sign === 1 ? term : `-${term}`) : `${item.sign === 1 ? '+' : '-'}${term}`;
  }
  return `(${expr})::numeric`;
}

/**
 * SQL expression of per-capita net income, generated from INCOME_ITEMS, e.g.
 *   round((coalesce(i.public_welfare_wage,0)+…-coalesce(i.operating_expense,0))::numeric / nullif((n),0), 2)
 * NULL when the size is 0. `alias` must be a plain identifier; `sizeExpr` is trusted SQL written by
 * the server (never user input). The income columns must be numeric for the result to equal
 * perCapitaNetIncome exactly.
 */
export function perCapitaNetIncomeSql(alias: string, sizeExpr: string): string {
  return `round(${netIncomeSql(alias)} / nullif((${sizeExpr}),0), 2)`;
}

// ---------------------------------------------------------------------------------------------
// Explanation

/** Formats fen as yuan with thousands separators: 12,000.00 / -3,000.50. */
export function formatFen(fen: bigint): string {
  const s = fenToDecimalString(fen);
  const negative = s.startsWith('-');
  const [int, dec] = (negative ? s.slice(1) : s).split('.') as [string, string];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${dec}`;
}

/** Formats a yuan amount (rounded to fen) with thousands separators and two decimals. */
export function formatYuan(yuan: number): string {
  return formatFen(yuanToFen(yuan));
}

/** A term inside a sum: negative amounts in parentheses. */
function term(fen: bigint): string {
  return fen < 0n ? `(${formatFen(fen)})` : formatFen(fen);
}

/**
 * The lines a household page shows to explain its per-capita net income, e.g.
 *   工资性收入 12,000.00 = 公益性岗位 2,000.00 + 其他 10,000.00
 *   …
 *   纯收入 = 12,000.00 + 5,000.00 + 1,500.00 + 2,000.00 − 2,000.00 = 18,500.00
 *   人均纯收入 = 18,500.00 ÷ 4 = 4,625.00
 *   合规自付支出 3,000.00（不计入纯收入）
 */
export function explainIncome(record: IncomeValues, householdSize: number, lang: Lang = 'zh'): string[] {
  checkSize(householdSize);
  const zh = lang === 'zh';
  const totals = incomeTotalsFen(record);
  const lines: string[] = [];
  for (const group of INCOME_GROUPS) {
    if (group.code === 'outOfPocket') continue;
    const items = INCOME_ITEMS.filter((i) => i.group === group.code);
    const total = totals[group.code];
    let line = `${group[lang]} ${formatFen(total)}`;
    if (items.length > 1) {
      line += ' = ' + items.map((i) => `${zh ? i.zhShort : i.enShort} ${term(itemFen(record, i.key))}`).join(' + ');
    }
    lines.push(line);
  }
  const plus = [totals.wage, totals.operating, totals.property, totals.transfer].map(term).join(' + ');
  lines.push(`${zh ? '纯收入' : 'Net income'} = ${plus} − ${term(totals.expense)} = ${formatFen(totals.net)}`);
  const perCapita = perCapitaNetIncomeFen(record, householdSize);
  const perCapitaLabel = zh ? '人均纯收入' : 'Per-capita net income';
  if (perCapita === null) {
    lines.push(zh ? `${perCapitaLabel}：家庭人口为0，无法计算` : `${perCapitaLabel}: household size is 0, cannot be computed`);
  } else {
    lines.push(`${perCapitaLabel} = ${formatFen(totals.net)} ÷ ${householdSize} = ${formatFen(perCapita)}`);
  }
  const oop = INCOME_GROUPS.find((g) => g.code === 'outOfPocket')!;
  lines.push(`${oop[lang]} ${formatFen(totals.outOfPocket)}${zh ? '（不计入纯收入）' : ' (not part of net income)'}`);
  return lines;
}
