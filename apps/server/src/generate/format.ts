/**
 * Row formats of the generated data: PostgreSQL COPY text rows for the fast path, and the CSV import
 * format (Chinese headers, codes written as their Chinese labels). GENERATED_CSV_COLUMNS is the one
 * definition of the CSV files and headers; the importer reads the same constant.
 */
import {
  DIBAO_TYPES, DISABILITY_CATEGORIES, DISABILITY_GRADES, DROPOUT_REASONS, EDUCATION_LEVELS, ETHNICITIES, FUELS, HEALTH_CONDITIONS,
  HOUSEHOLD_ATTRIBUTES, HOUSEHOLD_STATUSES, HOUSING_RATINGS, ID_TYPES, INCOME_ITEMS, LABOUR_SKILLS, MEDICAL_INSURANCES,
  MONITORED_TYPES, POVERTY_CAUSES, RELATIONS, RISK_TYPES, ROAD_TYPES, SCHOOL_STATUSES, SEXES, TEKUN_TYPES, WATER_PROBLEMS,
  WORK_PLACES, type CodeTable,
} from '@tuopin/domain';
import type { GenHousehold, GenIncome, GenMember, GenYearStatus } from './model';
import { INCOME_KEYS } from './model';

// ---------------------------------------------------------------------------------------------
// CSV import format

/** Separator of multi-valued cells (其他致贫原因, 健康状况, 风险类型). */
export const CSV_LIST_SEPARATOR = '、';
export const CSV_TRUE = '是';
export const CSV_FALSE = '否';

/**
 * The CSV files and their headers, in column order. Headers are the Chinese labels of the fields (as in
 * the domain's validation messages); enumerated values are written as the Chinese labels of their codes.
 * `income.csv` holds one row per household and year: the year status and the income of that year.
 */
export const GENERATED_CSV_COLUMNS = {
  'households.csv': [
    '户编号', '村级区划代码', '所在村', '家庭住址', '联系电话', '户属性', '是否军烈属', '识别年度', '脱贫年度', '主要致贫原因', '其他致贫原因',
    '耕地面积（亩）', '林地面积（亩）', '退耕还林面积（亩）', '林果面积（亩）', '牧草地面积（亩）', '水面面积（亩）',
    '住房安全等级', '住房面积', '是否易地搬迁户', '是否已拿到搬迁新房钥匙', '是否饮水安全', '饮水安全问题', '入户路类型',
    '与村主干路距离（公里）', '是否通生活用电', '是否有卫生厕所', '主要燃料类型', '低保', '特困供养', '是否整户无劳动能力兜底保障户',
  ],
  'members.csv': [
    '户编号', '证件类型', '证件号码', '姓名', '与户主关系', '性别', '出生日期', '民族', '文化程度', '在校生状况', '未上学原因', '健康状况',
    '残疾类别', '残疾等级', '劳动技能', '务工时间（月）', '务工地点', '务工企业名称', '公益性岗位时间（月）', '月务工收入', '基本医疗保险',
    '是否参加大病保险', '是否参加商业补充医疗保险', '是否参加城乡居民基本养老保险', '是否享受医疗救助', '低保', '特困供养', '联系电话',
  ],
  'income.csv': [
    '户编号', '年度', '户状态', '脱贫年度', '是否监测对象', '监测对象类型', '风险类型',
    ...INCOME_ITEMS.map((i) => i.zh),
  ],
} as const;
export type GeneratedCsvFile = keyof typeof GENERATED_CSV_COLUMNS;

function lab(table: CodeTable, code: string | null): string {
  if (code === null) return '';
  const e = table.find((x) => x.code === code);
  if (!e) throw new Error(`code ${code} not in its table`);
  return e.zh;
}
const labs = (table: CodeTable, codes: readonly string[]) => codes.map((c) => lab(table, c)).join(CSV_LIST_SEPARATOR);
const yn = (b: boolean | null) => (b === null ? '' : b ? CSV_TRUE : CSV_FALSE);
const num = (n: number | null) => (n === null ? '' : String(n));
const money = (n: number) => n.toFixed(2);

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

export function householdCsv(h: GenHousehold, villageName: string): string {
  return csvLine([
    h.householdNo, h.villageCode, villageName, h.address, h.phone ?? '', lab(HOUSEHOLD_ATTRIBUTES, h.attribute), yn(h.isMilitaryFamily),
    num(h.identifiedYear), num(h.exitYear), lab(POVERTY_CAUSES, h.mainCause), labs(POVERTY_CAUSES, h.otherCauses),
    num(h.land.cultivated), num(h.land.forest), num(h.land.returnedForest), num(h.land.orchard), num(h.land.pasture), num(h.land.waterSurface),
    lab(HOUSING_RATINGS, h.housingRating), num(h.housingArea), yn(h.relocated), yn(h.relocationKeysReceived), yn(h.safeWater),
    lab(WATER_PROBLEMS, h.waterProblem), lab(ROAD_TYPES, h.roadType), num(h.roadDistanceKm), yn(h.electricity), yn(h.sanitaryToilet),
    lab(FUELS, h.fuel), lab(DIBAO_TYPES, h.dibao), lab(TEKUN_TYPES, h.tekun), yn(h.wholeNoLabour),
  ]);
}

export function memberCsv(h: GenHousehold, m: GenMember): string {
  return csvLine([
    h.householdNo, lab(ID_TYPES, 'resident_id'), m.idNumber, m.name, lab(RELATIONS, m.relation), lab(SEXES, m.sex), m.birthDate,
    lab(ETHNICITIES, m.ethnicity), lab(EDUCATION_LEVELS, m.education), lab(SCHOOL_STATUSES, m.schoolStatus), lab(DROPOUT_REASONS, m.dropoutReason),
    labs(HEALTH_CONDITIONS, m.health), lab(DISABILITY_CATEGORIES, m.disabilityCategory), lab(DISABILITY_GRADES, m.disabilityGrade),
    lab(LABOUR_SKILLS, m.labour), num(m.workMonths), lab(WORK_PLACES, m.workPlace), m.employer ?? '', num(m.publicWelfareMonths),
    num(m.monthlyWorkIncome), lab(MEDICAL_INSURANCES, m.medicalInsurance), yn(m.criticalIllnessInsurance), yn(m.commercialMedicalInsurance),
    yn(m.pensionInsurance), yn(m.medicalAid), lab(DIBAO_TYPES, m.dibao), lab(TEKUN_TYPES, m.tekun), m.phone ?? '',
  ]);
}

export function incomeCsv(h: GenHousehold, s: GenYearStatus, i: GenIncome): string {
  return csvLine([
    h.householdNo, String(s.year), lab(HOUSEHOLD_STATUSES, s.status), num(s.exitYear), yn(s.monitored), lab(MONITORED_TYPES, s.monitoredType),
    labs(RISK_TYPES, s.riskTypes), ...INCOME_ITEMS.map((it) => money(i[it.key])),
  ]);
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
