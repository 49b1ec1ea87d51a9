/**
 * Mapping between database rows (snake_case) and the domain's registry types (camelCase). Land areas are
 * nested in the domain (`land.cultivated`) and flat in the database (`land_cultivated`).
 */
import { sql, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import { INCOME_ITEMS, type Household, type IncomeItemKey, type Member } from '@tuopin/domain';
import type { HouseholdYearStatus, Households, Members } from '../db/schema';

/** A household row (`households.*`). */
export type HouseholdRow = Selectable<Households>;
/** A household row with its village's name, full name and level (joined from `regions`). */
export interface HouseholdVillageRow extends HouseholdRow {
  village_name: string;
  village_full_name: string;
  village_level: number;
}
/** A member row (`members.*`) with its birth date as `YYYY-MM-DD` text. */
export interface MemberRow extends Selectable<Members> {
  birth_date_text: string | null;
}
/** A member row of a household page, with the date it left as `YYYY-MM-DD` text. */
export interface MemberPageRow extends MemberRow {
  left_on_text: string | null;
}
/**
 * The income item columns of an income record, in yuan. The columns are numeric(…, 2); the repositories read them
 * as float8 (incomeItemsSelect), which `pg` returns as numbers — exact for amounts with two decimals (PostgreSQL
 * prints a float8 as the shortest text that reads back as the same double, so 1234.56 stays 1234.56).
 */
export type IncomeItemColumns = { [C in (typeof INCOME_ITEMS)[number]['column']]: number | null };
/** One year's income record: the year and its item columns. */
export interface IncomeRow extends IncomeItemColumns {
  year: number;
}
/** One year's income record of a household of a batch (with its key). */
export interface KeyedIncomeRow extends IncomeRow {
  county_code: string;
  household_id: number;
}
/** The select list of the income item columns of the income_records alias `alias`: each as float8, under its column name. */
export const incomeItemsSelect = (alias: string): RawBuilder<unknown> =>
  sql.join(INCOME_ITEMS.map((it) => sql`${sql.ref(`${alias}.${it.column}`)}::float8 as ${sql.ref(it.column)}`));
/** The income values (every item, by its key; null: not recorded) of an income record's item columns. */
export function incomeValuesFromRow(r: IncomeItemColumns): Record<IncomeItemKey, number | null> {
  const out: Partial<Record<IncomeItemKey, number | null>> = {};
  for (const it of INCOME_ITEMS) out[it.key] = r[it.column];
  return out as Record<IncomeItemKey, number | null>;
}
/** One year's status of a household. */
export type YearStatusRow = Pick<Selectable<HouseholdYearStatus>, 'year' | 'status' | 'exit_year' | 'monitored' | 'monitored_type' | 'risk_types'>;
/** One year's status of a household of a batch (with its key). */
export type KeyedYearStatusRow = YearStatusRow & Pick<Selectable<HouseholdYearStatus>, 'county_code' | 'household_id'>;
/** Columns of a household written from its domain fields (a subset: what the change names). */
export type HouseholdColumns = Updateable<Households>;
/** Columns of a member written from its domain fields (a subset: what the change names). */
export type MemberColumns = Updateable<Members>;

const snakeCache = new Map<string, string>();
/** camelCase → snake_case (memoised: the import maps every cell of every row through it). */
export const snake = (k: string): string => {
  let s = snakeCache.get(k);
  if (s === undefined) snakeCache.set(k, (s = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
  return s;
};

export const MEMBER_KEYS = [
  'idType', 'idNumber', 'name', 'relation', 'sex', 'birthDate', 'ethnicity', 'education', 'schoolStatus', 'dropoutReason', 'health',
  'disabilityCategory', 'disabilityGrade', 'labour', 'workMonths', 'workPlace', 'employer', 'publicWelfareMonths', 'monthlyWorkIncome',
  'medicalInsurance', 'criticalIllnessInsurance', 'commercialMedicalInsurance', 'pensionInsurance', 'medicalAid', 'dibao', 'tekun', 'phone',
] as const satisfies readonly (keyof Member)[];

export const HOUSEHOLD_KEYS = [
  'address', 'phone', 'attribute', 'isMilitaryFamily', 'identifiedYear', 'exitYear', 'mainCause', 'otherCauses', 'housingRating',
  'housingArea', 'relocated', 'relocationKeysReceived', 'safeWater', 'waterProblem', 'roadType', 'roadDistanceKm', 'electricity',
  'sanitaryToilet', 'fuel', 'dibao', 'tekun', 'wholeNoLabour',
] as const satisfies readonly (keyof Household)[];
export const LAND_KEYS = ['cultivated', 'forest', 'returnedForest', 'orchard', 'pasture', 'waterSurface'] as const;

const NUMERIC = new Set(['monthlyWorkIncome', 'housingArea', 'roadDistanceKm', ...LAND_KEYS]);
const fromDb = (key: string, v: unknown): unknown => {
  if (v === null || v === undefined) return null;
  if (NUMERIC.has(key)) return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (key === 'disabilityCategory' || key === 'disabilityGrade') return String(v);
  return v;
};
/**
 * Fields whose column is NOT NULL with a default: null ("not recorded", a cleared form field) is stored as the
 * default — no list, no, none — rather than refused by the database.
 */
const NULL_AS: Record<string, unknown> = {
  otherCauses: [], health: [], isMilitaryFamily: false, relocated: false, wholeNoLabour: false, dibao: 'none', tekun: 'none',
  criticalIllnessInsurance: false, commercialMedicalInsurance: false, pensionInsurance: false, medicalAid: false, idType: 'resident_id',
};
const toDb = (key: string, v: unknown): unknown => {
  if ((v === null || v === undefined) && key in NULL_AS) return NULL_AS[key];
  if (v === undefined) return null;
  if ((key === 'disabilityCategory' || key === 'disabilityGrade') && v !== null) return Number(v);
  return v;
};

export function memberFromRow(row: Selectable<Members> & { birth_date_text?: string | null }): Member {
  const r = row as unknown as Record<string, unknown>;
  const m: Record<string, unknown> = {};
  for (const k of MEMBER_KEYS) m[k] = fromDb(k, k === 'birthDate' ? (r.birth_date_text ?? r.birth_date) : r[snake(k)]);
  if (!Array.isArray(m.health)) m.health = [];
  return m as unknown as Member;
}

export function memberToColumns(m: Partial<Member>): MemberColumns {
  const out: Record<string, unknown> = {};
  for (const k of MEMBER_KEYS) if (k in m) out[snake(k)] = toDb(k, m[k]);
  return out as MemberColumns;
}

export function householdFromRow(row: HouseholdRow): Household {
  const r = row as unknown as Record<string, unknown>;
  const h: Record<string, unknown> = { householdNo: r.household_no, villageCode: r.village_code, countyCode: r.county_code };
  for (const k of HOUSEHOLD_KEYS) h[k] = fromDb(k, r[snake(k)]);
  h.land = Object.fromEntries(LAND_KEYS.map((k) => [k, fromDb(k, r[`land_${snake(k)}`])]));
  if (!Array.isArray(h.otherCauses)) h.otherCauses = [];
  return h as unknown as Household;
}

export function householdToColumns(h: Partial<Household>): HouseholdColumns {
  const out: Record<string, unknown> = {};
  for (const k of HOUSEHOLD_KEYS) if (k in h) out[snake(k)] = toDb(k, h[k]);
  if (h.land) for (const k of LAND_KEYS) if (k in h.land) out[`land_${snake(k)}`] = h.land[k];
  return out as HouseholdColumns;
}

/** Staging and registry column names of the household data (with the land columns) and of the member data. */
export const HOUSEHOLD_DATA_COLUMNS = [...HOUSEHOLD_KEYS.map(snake), ...LAND_KEYS.map((k) => `land_${snake(k)}`)];
export const MEMBER_DATA_COLUMNS = MEMBER_KEYS.map(snake);
