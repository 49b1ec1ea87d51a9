/**
 * Resident identity numbers (公民身份号码, GB 11643-1999) and disability certificate numbers
 * (第二代残疾人证, issued by the China Disabled Persons' Federation).
 *
 * 18-character ID: 6-digit region code (where the number was first issued; people move, so it is
 * not necessarily where they live) + 8-digit birth date YYYYMMDD + 3-digit sequence (odd = male)
 * + check character computed with ISO 7064 MOD 11-2.
 * Old 15-digit IDs: 6-digit region + YYMMDD (always 19YY) + 3-digit sequence, no check character.
 * Disability certificate: the holder's 18-character ID + category digit (1–7) + grade digit (1–4)
 * = 20 characters; a re-issued certificate appends a two-character suffix (B1, B2 …) = 22.
 */
import type { DisabilityCategoryCode, DisabilityGradeCode, IdType, SexCode } from './codes';
import { compareDates, formatIsoDate, isRealDate, parseIsoDate } from './dates';
import { normalizeRegionCode, regionPrefix as regionSignificantPrefix } from '../regions';
import { msg, renderMessage, type Message } from '../messages/index';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_MAP = '10X98765432';

/**
 * Province-level codes that can start an ID number: the 31 mainland provinces, 71 Taiwan, 81 Hong
 * Kong, 82 Macao, and 83, used since 2018 by residence permits of Taiwan residents (which follow
 * GB 11643 and appear in village records of cross-strait families).
 */
export const PROVINCE_CODES: readonly string[] = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
];

export function isValidProvinceCode(code: string): boolean {
  return PROVINCE_CODES.includes(code);
}

/** The check character (0–9 or X) for the first 17 digits; throws when they are not 17 digits. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`expected 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_MAP[sum % 11]!;
}

/** An old 15-digit number converted to 18 characters ('19' inserted before the year, check added). */
export function convertId15To18(id15: string): string | null {
  if (!/^\d{15}$/.test(id15)) return null;
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + idCheckCharacter(first17);
}

export interface ParsedIdNumber {
  ok: true;
  /** The whole number normalised: upper-case X, 15-digit IDs converted to 18. */
  normalized: string;
  kind: IdType;
  /** The 18-character resident ID (for a certificate, the embedded one): use it to match people. */
  residentId: string;
  /** 'YYYY-MM-DD' */
  birthDate: string;
  sex: SexCode;
  /** First two digits */
  provinceCode: string;
  /** First six digits: the region where the ID was issued */
  regionPrefix: string;
  /** True when the input was an old 15-digit number */
  converted15: boolean;
  disabilityCategory?: DisabilityCategoryCode;
  disabilityGrade?: DisabilityGradeCode;
}

export interface IdNumberError {
  ok: false;
  /** Specific Chinese message (the Chinese text of `problem`). */
  error: string;
  /** The catalogue message of the error (the web renders it in the reader's language). */
  problem: Message;
}

export interface ParseIdOptions {
  /** 'YYYY-MM-DD': birth dates after it are rejected. Defaults to today (UTC). */
  referenceDate?: string;
}

const FULL_WIDTH_RE = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;

/** Strips what spreadsheets and typing add: spaces, full-width digits, Excel's leading apostrophe. */
function clean(raw: string): string {
  return raw
    .replace(FULL_WIDTH_RE, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\u00A0]/g, '')
    .replace(/^'/, '')
    .toUpperCase();
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

function fail(problem: Message): IdNumberError {
  return { ok: false, error: renderMessage(problem, 'zh')!, problem };
}

/** Validates an 18-character resident ID that has already been cleaned. */
function parseResident18(id: string, referenceDate: string): Omit<ParsedIdNumber, 'normalized' | 'kind' | 'converted15'> | IdNumberError {
  if (!/^\d{17}[\dX]$/.test(id)) return fail(msg('registry.id.format18'));
  const provinceCode = id.slice(0, 2);
  if (!isValidProvinceCode(provinceCode)) return fail(msg('registry.id.province', { code: provinceCode }));
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const digits = id.slice(6, 14);
  if (!isRealDate(y, m, d)) return fail(msg('registry.id.birthInvalid', { digits }));
  const birth = { year: y, month: m, day: d };
  if (y < 1900) return fail(msg('registry.id.birthBefore1900', { digits }));
  const ref = parseIsoDate(referenceDate);
  if (ref && compareDates(birth, ref) > 0) return fail(msg('registry.id.birthFuture', { digits }));
  const expected = idCheckCharacter(id.slice(0, 17));
  if (id[17] !== expected) return fail(msg('registry.id.checkDigit', { expected }));
  return {
    ok: true,
    residentId: id,
    birthDate: formatIsoDate(birth),
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    provinceCode,
    regionPrefix: id.slice(0, 6),
  };
}

/**
 * Parses and validates an ID number of either kind. Accepts lower-case x, surrounding or inner
 * white space, full-width digits; converts old 15-digit numbers to 18. Errors are specific Chinese
 * messages: 长度应为18位…, 校验位错误（应为X）, 出生日期无效…
 */
export function parseIdNumber(raw: string, options: ParseIdOptions = {}): ParsedIdNumber | IdNumberError {
  if (typeof raw !== 'string') return fail(msg('registry.id.required'));
  const id = clean(raw);
  if (id === '') return fail(msg('registry.id.required'));
  const referenceDate = options.referenceDate ?? todayIso();

  if (id.length === 15) {
    if (!/^\d{15}$/.test(id)) return fail(msg('registry.id.format15'));
    const converted = convertId15To18(id)!;
    const r = parseResident18(converted, referenceDate);
    if (!r.ok) return r;
    return { ...r, normalized: converted, kind: 'resident_id', converted15: true };
  }
  if (id.length === 18) {
    const r = parseResident18(id, referenceDate);
    if (!r.ok) return r;
    return { ...r, normalized: id, kind: 'resident_id', converted15: false };
  }
  if (id.length === 20 || id.length === 22) {
    const m = /^(.{18})([1-7])([1-4])([A-Z0-9]{2})?$/.exec(id);
    if (!m) {
      return fail(id.length === 22 ? msg('registry.id.certificateFormat22') : msg('registry.id.certificateFormat'));
    }
    const r = parseResident18(m[1]!, referenceDate);
    if (!r.ok) return fail(msg('registry.id.inCertificate', { reason: r.problem }));
    return {
      ...r,
      normalized: id,
      kind: 'disability_cert',
      converted15: false,
      disabilityCategory: m[2] as DisabilityCategoryCode,
      disabilityGrade: m[3] as DisabilityGradeCode,
    };
  }
  return fail(msg('registry.id.length', { length: id.length }));
}

/** True when the number parses (either kind). */
export function isValidIdNumber(raw: string, options: ParseIdOptions = {}): boolean {
  return parseIdNumber(raw, options).ok;
}

export interface IdRegionCheck {
  /** First two digits are a valid province code */
  provinceValid: boolean;
  /** The ID's region digits fall within the given region */
  matchesRegion: boolean;
  /** Chinese warning when it does not match (people move: never an error), else null */
  warning: string | null;
  /** The warning's catalogue message. */
  warningMessage: Message | null;
}

/**
 * Whether an ID number was issued within a region. The region may be given as 2, 4, 6, 9 or 12
 * digits; it is compared down to county level (the first 6 digits), the finest level an ID carries.
 */
export function checkIdRegion(idNumber: string, regionCode: string): IdRegionCheck {
  const id = clean(idNumber);
  const provinceValid = /^\d{2}/.test(id) && isValidProvinceCode(id.slice(0, 2));
  const code = normalizeRegionCode(regionCode);
  if (code === null) throw new Error(`invalid region code: ${regionCode}`);
  const prefix = regionSignificantPrefix(code).slice(0, 6);
  const matchesRegion = id.startsWith(prefix);
  const warningMessage = matchesRegion ? null : msg('registry.id.region', { prefix: id.slice(0, 6), region: prefix || msg('registry.id.nation') });
  return { provinceValid, matchesRegion, warning: warningMessage && renderMessage(warningMessage, 'zh')!, warningMessage };
}

/** Keeps the first 6 and last 4 characters: 211204********1234. Short input is masked entirely. */
export function maskIdNumber(idNumber: string | null | undefined): string {
  if (!idNumber) return '';
  const s = idNumber.trim();
  if (s.length <= 10) return '*'.repeat(s.length);
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

/** Masks ID numbers quoted in a text (an old 15-digit number and its 18-digit form, for example). */
export function maskIdsInText(text: string): string {
  return text.replace(/(?<![0-9A-Za-z])\d{15,21}[\dXx]?(?![0-9A-Za-z])/g, (m) => (m.length >= 15 ? maskIdNumber(m) : m));
}

/** Keeps the first 3 and last 4 characters with four stars between: 138****5678. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const s = phone.replace(/[\s\u3000]/g, '');
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 3)}****${s.slice(-4)}`;
}
