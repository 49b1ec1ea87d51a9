/**
 * Row formats of the generated data: PostgreSQL COPY text rows for the fast path, and the CSV import
 * format (Chinese headers, codes written as their Chinese labels). GENERATED_CSV_COLUMNS is the one
 * definition of the CSV files and headers; the importer reads the same constant.
 */
import { formatCell, getField, INCOME_ITEMS, SHEETS, type SheetName } from '@tuopin/domain';
import type { GenHousehold, GenIncome, GenMember, GenYearStatus } from './model';
import { INCOME_KEYS } from './model';

// ---------------------------------------------------------------------------------------------
// CSV import format: exactly the import's sheets (packages/domain/src/registry/columns.ts), so that generated
// files import as they are. Codes are written as their Chinese labels by the shared formatCell.

/** The CSV files and the import sheet each one holds. */
export const GENERATED_CSV_FILES = { 'households.csv': 'households', 'members.csv': 'members', 'income.csv': 'income' } as const satisfies Record<string, SheetName>;
export type GeneratedCsvFile = keyof typeof GENERATED_CSV_FILES;

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
const sheetLine = (sheet: SheetName, rec: Record<string, unknown>) => csvLine(SHEETS[sheet].columns.map((c) => formatCell(c, getField(rec, c.key))));

export function csvHeader(file: GeneratedCsvFile): string {
  return csvLine(SHEETS[GENERATED_CSV_FILES[file]].columns.map((c) => c.header));
}

/** One household row with the status of its latest year. */
export function householdCsv(h: GenHousehold): string {
  const s = h.status.reduce((a, b) => (b.year > a.year ? b : a));
  return sheetLine('households', { ...h, year: s.year, status: s.status, monitored: s.monitored, monitoredType: s.monitoredType, riskTypes: s.riskTypes });
}

export function memberCsv(h: GenHousehold, m: GenMember): string {
  return sheetLine('members', { ...m, idType: 'resident_id', householdNo: h.householdNo });
}

export function incomeCsv(h: GenHousehold, year: number, i: GenIncome): string {
  return sheetLine('income', { ...i, householdNo: h.householdNo, year });
}

// ---------------------------------------------------------------------------------------------
// COPY text format

const N = '\\N';
function t(s: string | null): string {
  if (s === null) return N;
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}
const b = (v: boolean | null) => (v === null ? N : v ? 't' : 'f');
const n = (v: number | null) => (v === null ? N : String(v));
/** A text[] literal of codes (plain ASCII words: no quoting needed). */
const arr = (codes: readonly string[]) => `{${codes.join(',')}}`;

export const HOUSEHOLD_COPY_COLUMNS = [
  'county_code', 'id', 'household_no', 'village_code', 'address', 'phone', 'attribute', 'is_military_family', 'identified_year', 'exit_year',
  'main_cause', 'other_causes', 'land_cultivated', 'land_forest', 'land_returned_forest', 'land_orchard', 'land_pasture', 'land_water_surface',
  'housing_rating', 'housing_area', 'relocated', 'relocation_keys_received', 'safe_water', 'water_problem', 'road_type', 'road_distance_km',
  'electricity', 'sanitary_toilet', 'fuel', 'dibao', 'tekun', 'whole_no_labour',
] as const;

export function householdCopy(h: GenHousehold, id: number): string {
  const l = h.land;
  return `${h.countyCode}\t${id}\t${h.householdNo}\t${h.villageCode}\t${t(h.address)}\t${t(h.phone)}\t${h.attribute}\t${b(h.isMilitaryFamily)}\t${n(h.identifiedYear)}\t${n(h.exitYear)}\t${t(h.mainCause)}\t${arr(h.otherCauses)}\t${n(l.cultivated)}\t${n(l.forest)}\t${n(l.returnedForest)}\t${n(l.orchard)}\t${n(l.pasture)}\t${n(l.waterSurface)}\t${h.housingRating}\t${h.housingArea}\t${b(h.relocated)}\t${b(h.relocationKeysReceived)}\t${b(h.safeWater)}\t${t(h.waterProblem)}\t${h.roadType}\t${h.roadDistanceKm}\t${b(h.electricity)}\t${b(h.sanitaryToilet)}\t${h.fuel}\t${h.dibao}\t${h.tekun}\t${b(h.wholeNoLabour)}\n`;
}

export const MEMBER_COPY_COLUMNS = [
  'county_code', 'id', 'household_id', 'village_code', 'id_type', 'id_number', 'name', 'relation', 'sex', 'birth_date', 'ethnicity', 'education',
  'school_status', 'dropout_reason', 'health', 'disability_category', 'disability_grade', 'labour', 'work_months', 'work_place', 'employer',
  'public_welfare_months', 'monthly_work_income', 'medical_insurance', 'critical_illness_insurance', 'commercial_medical_insurance',
  'pension_insurance', 'medical_aid', 'dibao', 'tekun', 'phone',
] as const;

export function memberCopy(h: GenHousehold, householdId: number, m: GenMember, id: number): string {
  return `${h.countyCode}\t${id}\t${householdId}\t${h.villageCode}\tresident_id\t${m.idNumber}\t${t(m.name)}\t${m.relation}\t${m.sex}\t${m.birthDate}\t${m.ethnicity}\t${t(m.education)}\t${m.schoolStatus}\t${t(m.dropoutReason)}\t${arr(m.health)}\t${t(m.disabilityCategory)}\t${t(m.disabilityGrade)}\t${m.labour}\t${n(m.workMonths)}\t${t(m.workPlace)}\t${t(m.employer)}\t${n(m.publicWelfareMonths)}\t${n(m.monthlyWorkIncome)}\t${m.medicalInsurance}\t${b(m.criticalIllnessInsurance)}\t${b(m.commercialMedicalInsurance)}\t${b(m.pensionInsurance)}\t${b(m.medicalAid)}\t${m.dibao}\t${m.tekun}\t${t(m.phone)}\n`;
}

export const PERSON_COPY_COLUMNS = ['id_number', 'county_code', 'village_code', 'household_id', 'member_id'] as const;

export function personCopy(h: GenHousehold, householdId: number, m: GenMember, memberId: number): string {
  return `${m.idNumber}\t${h.countyCode}\t${h.villageCode}\t${householdId}\t${memberId}\n`;
}

export const INCOME_COPY_COLUMNS = ['county_code', 'household_id', 'year', 'village_code', ...INCOME_ITEMS.map((i) => i.column)] as const;

export function incomeCopy(h: GenHousehold, householdId: number, year: number, i: GenIncome): string {
  let s = `${h.countyCode}\t${householdId}\t${year}\t${h.villageCode}`;
  for (const k of INCOME_KEYS) s += `\t${i[k]}`;
  return s + '\n';
}

export const STATUS_COPY_COLUMNS = ['county_code', 'household_id', 'year', 'village_code', 'status', 'exit_year', 'monitored', 'monitored_type', 'risk_types'] as const;

export function statusCopy(h: GenHousehold, householdId: number, s: GenYearStatus): string {
  return `${h.countyCode}\t${householdId}\t${s.year}\t${h.villageCode}\t${s.status}\t${n(s.exitYear)}\t${b(s.monitored)}\t${t(s.monitoredType)}\t${arr(s.riskTypes)}\n`;
}
