/**
 * Calendar helpers for the registry. Dates are ISO strings 'YYYY-MM-DD' (no time, no zone):
 * birth dates and reference dates are civil dates, so no Date object is involved and the
 * result never depends on the machine's time zone.
 */

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when year/month/day is a real calendar day (proleptic Gregorian). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Parses 'YYYY-MM-DD'; null when the text is not a real date. */
export function parseIsoDate(text: string | null | undefined): CivilDate | null {
  if (typeof text !== 'string') return null;
  const m = ISO_DATE_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return isRealDate(year, month, day) ? { year, month, day } : null;
}

/** Years a date of the product may lie in: from the oldest living person's birth to the end of the planning horizon. */
export const DATE_MIN_YEAR = 1900;
export const DATE_MAX_YEAR = 2100;

/**
 * The one date check of every date field (request schemas through the server's `date` format, forms, import cells):
 * 'YYYY-MM-DD', a real calendar day (no 2025-02-29, no 2026-02-30) of a year from DATE_MIN_YEAR to DATE_MAX_YEAR
 * (no 0000-01-01).
 */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const d = parseIsoDate(text);
  return d !== null && d.year >= DATE_MIN_YEAR && d.year <= DATE_MAX_YEAR;
}

export function formatIsoDate(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Negative, zero or positive like a comparator. */
export function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * Age in full years (周岁) at the reference date. A person born on 29 February turns a year
 * older on 1 March in non-leap years. Null when either date is invalid or the reference date
 * is before the birth date.
 */
export function ageAt(birthDate: string | null | undefined, referenceDate: string): number | null {
  const b = parseIsoDate(birthDate);
  const r = parseIsoDate(referenceDate);
  if (!b || !r || compareDates(r, b) < 0) return null;
  let age = r.year - b.year;
  if (r.month < b.month || (r.month === b.month && r.day < b.day)) age -= 1;
  return age;
}

/**
 * Adds whole months; the day is clamped to the end of the target month
 * (2024-08-31 + 6 months = 2025-02-28).
 */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** Adds (or with a negative count subtracts) whole days to an ISO date, in civil-date arithmetic. */
export function addDays(date: string, days: number): string {
  const d = parseIsoDate(date);
  if (!d) throw new RangeError(`invalid date: ${date}`);
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return t.toISOString().slice(0, 10);
}

/** Whole days from a to b (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  const x = parseIsoDate(a);
  const y = parseIsoDate(b);
  if (!x || !y) throw new RangeError(`invalid date: ${x ? b : a}`);
  return Math.round((Date.UTC(y.year, y.month - 1, y.day) - Date.UTC(x.year, x.month - 1, x.day)) / 86_400_000);
}

/** addMonths on ISO strings. */
export function addMonthsIso(date: string, months: number): string {
  const d = parseIsoDate(date);
  if (!d) throw new RangeError(`invalid date: ${date}`);
  return formatIsoDate(addMonths(d, months));
}
