/**
 * The model of the registry forms: form values ↔ the domain's records, and the problems of a form by field
 * (the domain's validation as the user types; the server's refusals come from the one form hook, utils/useFormSubmit).
 */
import dayjs, { type Dayjs } from 'dayjs';
import type { FormInstance } from 'antd';
import {
  INCOME_ITEMS, parseIdNumber, REGISTRY_FIRST_YEAR, type Household, type HouseholdDetail, type IncomeRecord, type Member,
  type ValidationProblem, type YearStatus,
} from '@tuopin/domain';
import { currentYearInChina, todayInChina } from '../../../utils/chinaDate';
import type { ServerMessage } from '../../../i18n/server';

export type DetailMember = HouseholdDetail['members'][number];
export type Values = Record<string, unknown>;
export type Problems = Record<string, { errors: string[]; warnings: string[] }>;

/** Today in China (the product's calendar, whatever the browser's zone). */
export const today = todayInChina;
export const LAND_KEYS = ['cultivated', 'forest', 'returnedForest', 'orchard', 'pasture', 'waterSurface'] as const;
export const MEMBER_FIELDS = [
  'idType', 'idNumber', 'name', 'relation', 'sex', 'birthDate', 'ethnicity', 'education', 'schoolStatus', 'dropoutReason', 'health',
  'disabilityCategory', 'disabilityGrade', 'labour', 'workMonths', 'workPlace', 'employer', 'publicWelfareMonths', 'monthlyWorkIncome',
  'medicalInsurance', 'criticalIllnessInsurance', 'commercialMedicalInsurance', 'pensionInsurance', 'medicalAid', 'dibao', 'tekun', 'phone',
] as const;
export const HOUSEHOLD_FIELDS = [
  'address', 'phone', 'attribute', 'isMilitaryFamily', 'identifiedYear', 'exitYear', 'mainCause', 'otherCauses', 'housingRating', 'housingArea',
  'relocated', 'relocationKeysReceived', 'safeWater', 'waterProblem', 'roadType', 'roadDistanceKm', 'electricity', 'sanitaryToilet', 'fuel',
  'dibao', 'tekun', 'wholeNoLabour',
] as const;

/** A masked value as the server sends it to roles that may not see it (211204********1234, 138****5678). */
export const isMasked = (v: unknown) => typeof v === 'string' && v.includes('*');

// ------------------------------------------------------------------------------------------
// Values ↔ domain objects

export const blank = (v: unknown) => (v === undefined || v === '' ? null : typeof v === 'string' ? v.trim() || null : v);
export const dateText = (v: unknown) => (dayjs.isDayjs(v) ? (v as Dayjs).format('YYYY-MM-DD') : typeof v === 'string' && v ? v : null);

export function memberOf(v: Values): Partial<Member> {
  const m: Record<string, unknown> = {};
  for (const k of MEMBER_FIELDS) m[k] = k === 'birthDate' ? dateText(v[k]) : k === 'health' ? (v[k] ?? []) : blank(v[k]);
  for (const k of ['criticalIllnessInsurance', 'commercialMedicalInsurance', 'pensionInsurance', 'medicalAid']) m[k] = Boolean(v[k]);
  if (typeof m.idNumber === 'string') m.idNumber = m.idNumber.toUpperCase();
  return m as Partial<Member>;
}

export function memberValues(m: DetailMember | null): Values {
  if (!m) {
    return { idType: 'resident_id', ethnicity: '01', health: ['healthy'], medicalInsurance: 'resident', dibao: 'none', tekun: 'none' };
  }
  const v: Values = {};
  for (const k of MEMBER_FIELDS) v[k] = (m as unknown as Values)[k] ?? null;
  v.birthDate = m.birthDate ? dayjs(m.birthDate) : null;
  // a masked number cannot be edited as it stands: the box starts empty ("leave empty to keep")
  if (isMasked(m.idNumber)) v.idNumber = '';
  if (isMasked(m.phone)) v.phone = '';
  return v;
}

export function householdOf(v: Values, base: { householdNo: string; villageCode: string }): Partial<Household> {
  const h: Record<string, unknown> = { householdNo: base.householdNo, villageCode: base.villageCode, countyCode: base.villageCode.slice(0, 6) };
  for (const k of HOUSEHOLD_FIELDS) h[k] = k === 'otherCauses' ? (v[k] ?? []) : blank(v[k]);
  const land = (v.land ?? {}) as Values;
  h.land = Object.fromEntries(LAND_KEYS.map((k) => [k, blank(land[k])]));
  return h as Partial<Household>;
}

export function householdValues(d: HouseholdDetail | null): Values {
  if (!d) {
    return {
      attribute: 'none', dibao: 'none', tekun: 'none', otherCauses: [], land: {}, head: { ...memberValues(null), relation: 'head' },
      status: { status: 'ordinary', exitYear: null },
    };
  }
  const f = d.fields;
  const v: Values = {};
  for (const k of HOUSEHOLD_FIELDS) v[k] = f[k] ?? null;
  if (isMasked(v.phone)) v.phone = '';
  v.land = Object.fromEntries(LAND_KEYS.map((k) => [k, (f as Record<string, unknown>)[`land${k[0]!.toUpperCase()}${k.slice(1)}`] ?? null]));
  return v;
}

/**
 * Problems by form field ('land.cultivated', 'head.idNumber'); errors the record already had become warnings.
 * `hide` leaves out problems not to be shown yet (an empty required field of a new record nobody has touched).
 */
export function byField(
  list: ValidationProblem[], before: ValidationProblem[], prefix: string, note: string, localize: (m: ServerMessage) => string, skip: Set<string>,
  hide: (key: string, check: string) => boolean = () => false,
): Problems {
  const old = new Set(before.filter((p) => p.severity === 'error').map((p) => `${p.field}|${p.check}|${p.message}`));
  const out: Problems = {};
  for (const p of list) {
    const key = prefix + p.field.replace(/\.\d+$/, '');
    if (skip.has(key) || hide(key, p.check)) continue;
    const slot = (out[key] ??= { errors: [], warnings: [] });
    if (p.severity === 'error' && !old.has(`${p.field}|${p.check}|${p.message}`)) slot.errors.push(localize(p));
    else slot.warnings.push(localize(p) + (p.severity === 'error' ? note : ''));
  }
  return out;
}

export const merge = (...all: Problems[]): Problems => {
  const out: Problems = {};
  for (const p of all) for (const [k, v] of Object.entries(p)) {
    const slot = (out[k] ??= { errors: [], warnings: [] });
    slot.errors.push(...v.errors);
    slot.warnings.push(...v.warnings);
  }
  return out;
};

export const errorCount = (p: Problems) => Object.values(p).reduce((n, s) => n + s.errors.length, 0);

/** The field paths of a changed-values object ({ head: { idNumber } } → head.idNumber). */
export function pathsOf(changed: Values, prefix = ''): string[] {
  return Object.entries(changed).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) && !dayjs.isDayjs(v) ? pathsOf(v as Values, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

export const thisYear = currentYearInChina;
/** Years a record may be set for (the domain accepts 2013 … next year), newest first. */
export const yearOptions = () => Array.from({ length: thisYear() + 2 - REGISTRY_FIRST_YEAR }, (_, i) => thisYear() + 1 - i);

/** The typed income values as the domain's record (numbers, or null when empty). */
export function incomeOf(v: Values, year: number): Partial<IncomeRecord> {
  const r: Record<string, unknown> = { year };
  for (const it of INCOME_ITEMS) r[it.key] = v[it.key] === undefined || v[it.key] === '' ? null : v[it.key];
  return r as Partial<IncomeRecord>;
}

export function incomeValuesOf(d: HouseholdDetail, year: number): Values {
  const rec = d.incomes.find((i) => i.year === year);
  return Object.fromEntries(INCOME_ITEMS.map((it) => [it.key, rec?.items[it.key] ?? null]));
}

/** Members at the end of a year, as the server computes it for the income of that year. */
export const sizeOfYear = (d: HouseholdDetail, year: number) =>
  d.yearSizes.find((y) => y.year === year)?.size ?? d.incomes.find((i) => i.year === year)?.size ?? d.members.filter((m) => m.active).length;


export type DetailStatus = HouseholdDetail['statuses'][number];

/** The year's status as the domain's record: the typed status and exit year, the monitoring fields as stored. */
export function yearStatusOf(v: Values, year: number, stored: DetailStatus | undefined): Partial<YearStatus> {
  return {
    year, status: (blank(v.status) ?? undefined) as YearStatus['status'] | undefined, exitYear: (blank(v.exitYear) as number | null) ?? null,
    monitored: stored?.monitored ?? false, monitoredType: (stored?.monitoredType ?? null) as YearStatus['monitoredType'],
    riskTypes: (stored?.riskTypes ?? []) as YearStatus['riskTypes'],
  };
}

export const statusValuesOf = (d: HouseholdDetail, year: number): Values => {
  const s = d.statuses.find((x) => x.year === year);
  return { status: s?.status ?? 'ordinary', exitYear: s?.exitYear ?? null };
};

/** Statuses that carry an exit year. */
export const WITH_EXIT = ['exited', 'returned'];

/** After an ID number is typed: birth date and sex follow from a valid resident ID (they must match it anyway). */
export function fillFromId(form: FormInstance, prefix: string, value: unknown, notify: () => void) {
  if (typeof value !== 'string') return;
  const r = parseIdNumber(value.trim(), { referenceDate: today() });
  if (!r.ok) return;
  const at = (k: string) => (prefix ? [prefix.replace(/\.$/, ''), k] : [k]);
  const birth = form.getFieldValue(at('birthDate')) as Dayjs | null;
  const sex = form.getFieldValue(at('sex')) as string | null;
  if (birth && dayjs.isDayjs(birth) && birth.format('YYYY-MM-DD') === r.birthDate && sex === r.sex) return;
  form.setFieldValue(at('birthDate'), dayjs(r.birthDate));
  form.setFieldValue(at('sex'), r.sex);
  notify();
}
