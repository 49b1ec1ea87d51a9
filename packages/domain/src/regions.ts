/**
 * Region codes follow the national statistical division code (统计用区划代码):
 * 12 digits = province 2 + city 2 + county 2 + township 3 + village 3.
 * The nation itself is represented by the all-zero code with level 0.
 */

export const NATION_CODE = '000000000000';

export const REGION_LEVELS = [0, 1, 2, 3, 4, 5] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Number of significant leading digits of a code at each level. */
const PREFIX_LENGTH: Record<RegionLevel, number> = { 0: 0, 1: 2, 2: 4, 3: 6, 4: 9, 5: 12 };

export const REGION_LEVEL_LABELS: Record<RegionLevel, { zh: string; en: string }> = {
  0: { zh: '全国', en: 'Nation' },
  1: { zh: '省', en: 'Province' },
  2: { zh: '市', en: 'City' },
  3: { zh: '县', en: 'County' },
  4: { zh: '乡镇', en: 'Township' },
  5: { zh: '村', en: 'Village' },
};

const CODE_RE = /^\d{12}$/;

export function isRegionCode(code: string): boolean {
  return CODE_RE.test(code);
}

/**
 * Expands a short code (2, 4, 6, 9 or 12 digits) to the 12-digit form.
 * Returns null when the input is not a region code.
 */
export function normalizeRegionCode(input: string): string | null {
  const s = input.trim();
  if (!/^\d+$/.test(s)) return null;
  if (![2, 4, 6, 9, 12].includes(s.length)) return null;
  return s.padEnd(12, '0');
}

/** Level of a 12-digit code, derived from its trailing zero groups. */
export function regionLevel(code: string): RegionLevel {
  if (!isRegionCode(code)) throw new Error(`invalid region code: ${code}`);
  if (code === NATION_CODE) return 0;
  if (code.slice(2) === '0000000000') return 1;
  if (code.slice(4) === '00000000') return 2;
  if (code.slice(6) === '000000') return 3;
  if (code.slice(9) === '000') return 4;
  return 5;
}

/** The significant prefix of a code: every code below it starts with this prefix. */
export function regionPrefix(code: string): string {
  return code.slice(0, PREFIX_LENGTH[regionLevel(code)]);
}

/** Builds a 12-digit code from a significant prefix (inverse of regionPrefix). */
export function codeFromPrefix(prefix: string): string {
  return prefix.padEnd(12, '0');
}

/** Parent code, or null for the nation. Provinces have the nation as parent. */
export function parentRegionCode(code: string): string | null {
  const level = regionLevel(code);
  if (level === 0) return null;
  const parentLevel = (level - 1) as RegionLevel;
  return code.slice(0, PREFIX_LENGTH[parentLevel]).padEnd(12, '0');
}

/** Codes of all ancestors from the nation down to the direct parent. */
export function ancestorCodes(code: string): string[] {
  const out: string[] = [];
  let p = parentRegionCode(code);
  while (p !== null) {
    out.unshift(p);
    p = parentRegionCode(p);
  }
  return out;
}

/** True when `code` is `ancestor` itself or lies below it. */
export function isWithinRegion(code: string, ancestor: string): boolean {
  return code.startsWith(regionPrefix(ancestor));
}

/**
 * The value the database row-level-security policies compare against:
 * 'ALL' for the nation, otherwise the significant prefix.
 */
export function scopeSetting(homeRegion: string): string {
  const prefix = regionPrefix(homeRegion);
  return prefix === '' ? 'ALL' : prefix;
}

/** The 6-digit county code of a code at county level or below (used as distribution key). */
export function countyCode(code: string): string | null {
  return regionLevel(code) >= 3 ? code.slice(0, 6) : null;
}
