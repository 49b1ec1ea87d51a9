/**
 * Limits of the registry's values: the longest text and the largest number each field may hold. One definition for
 * the forms (validate.ts), the import cells (columns.ts) and the API contract (api/schemas.ts), chosen per field from
 * what the database column holds and what any household could have (docs/architecture.md, "Limits of request values").
 */

/** Longest text per field, in characters. */
export const TEXT_LIMITS = {
  /** 户编号: letters, digits and '-' */
  householdNo: 30,
  /** 详细地址 */
  address: 200,
  /** 联系电话 (a landline with extension fits) */
  phone: 20,
  /** 姓名 */
  name: 50,
  /** 务工企业名称 */
  employer: 100,
  /** 证件号码: 18-character resident ID, 20/22-character disability certificate (with spaces tolerated) */
  idNumber: 30,
  /** Any other text cell of an import (a code label, a number, a date) */
  cell: 200,
} as const;

/** The largest amount of money of one item, in yuan (the registry's numeric(12,2) columns hold below 10^10). */
export const MAX_ITEM_YUAN = 100_000_000;

/** The largest value per numeric field (the smallest is 0 unless stated). */
export const NUMBER_LIMITS = {
  /** Land areas in 亩 (numeric(10,2)) */
  land: 100_000,
  /** 住房面积 m² (numeric(8,2)) */
  housingArea: 10_000,
  /** 与村主干路距离 km (numeric(6,2)) */
  roadDistanceKm: 1_000,
  /** 月务工收入 yuan (numeric(10,2)) */
  monthlyWorkIncome: 1_000_000,
  /** An income item, yuan (numeric(12,2)); operating income may be as negative */
  incomeItem: MAX_ITEM_YUAN,
} as const;

/** A text quoted in a message: at most 20 characters, so that a runaway value is not echoed back in full. */
export function quoteValue(v: unknown): string {
  const s = String(v);
  return s.length > 20 ? `${s.slice(0, 20)}…` : s;
}

const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text that no field may hold: a NUL character (PostgreSQL cannot store it) or an unpaired surrogate (half of a UTF-16
 * pair, not Unicode). The server refuses it at the edge for every request; the import refuses such a cell.
 */
export function hasBadText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE_RE.test(s);
}

/** The message for such text. */
export const BAD_TEXT_MESSAGE = '包含不允许的字符（空字符或不完整的 Unicode 字符）';
