/**
 * Field validation of one household, one member, one income record and one year status: for forms
 * as the user types and for the import. Pure: the reference date (for ages, "current year" and
 * future dates) is passed in, never read from the clock.
 *
 * Input objects may be incomplete (Partial) and, coming from forms and spreadsheets, may hold values
 * of the wrong type at run time; every check tolerates that and reports it.
 */
import {
  DIBAO_TYPES, DISABILITY_CATEGORIES, DISABILITY_GRADES, DROPOUT_REASONS, EDUCATION_LEVELS, ETHNICITIES, FUELS,
  HEALTH_CONDITIONS, HOUSEHOLD_ATTRIBUTES, HOUSEHOLD_STATUSES, HOUSING_RATINGS, ID_TYPES, isCode, LABOUR_CAPABLE,
  LABOUR_SKILLS, label, MEDICAL_INSURANCES, MONITORED_TYPES, POVERTY_CAUSES, RELATIONS, RISK_TYPES, ROAD_TYPES,
  SCHOOL_STATUSES, SEXES, TEKUN_TYPES, WATER_PROBLEMS, WORK_PLACES,
} from './codes';
import type { CodeTable, SchoolStatusCode } from './codes';
import { ageAt, isIsoDate, parseIsoDate } from './dates';
import { NUMBER_LIMITS, quoteValue, TEXT_LIMITS } from './limits';
import { checkIdRegion, parseIdNumber } from './idnumber';
import type { ParsedIdNumber } from './idnumber';
import { INCOME_ITEMS } from './income';
import type { Household, IncomeRecord, Member, YearStatus } from './types';
import { msg, zhText } from '../messages/index';
import type { Localized, Message, ParamValue } from '../messages/index';

export type Severity = 'error' | 'warning';

export interface ValidationProblem {
  /** Field path: 'idNumber', 'land.cultivated', 'otherCauses' … */
  field: string;
  /** Chinese, shown to users */
  message: string;
  /** The catalogue code of the message and its params (the web renders them in the reader's language). */
  code?: string;
  params?: Readonly<Record<string, ParamValue>>;
  severity: Severity;
  /** Stable name of the check that found it (for filtering, tests and statistics) */
  check: string;
}

export interface ValidationOptions {
  /** 'YYYY-MM-DD': ages are computed at this date; its year is the "current year". */
  referenceDate: string;
}

export interface MemberValidationOptions extends ValidationOptions {
  /** County (or any region) code of the household: an ID issued elsewhere is a warning. */
  regionCode?: string;
}

/** First year of the registry (建档立卡 began with the 2013–2014 identification). */
export const REGISTRY_FIRST_YEAR = 2013;

const MOBILE_RE = /^1[3-9]\d{9}$/;
const LANDLINE_RE = /^0\d{2,3}-?\d{7,8}$/;

/** English names of the fields, by their Chinese name (the checks name fields in Chinese). */
const FIELD_EN: Record<string, string> = {
  户编号: 'Household number', 所在村: 'Village', 所在县: 'County', 详细地址: 'Address', 联系电话: 'Phone', 户属性: 'Attribute',
  是否军烈属: 'Military or martyr family', 识别年度: 'Year identified', 脱贫年度: 'Exit year', 主要致贫原因: 'Main cause of poverty',
  其他致贫原因: 'Other causes of poverty', 土地面积: 'Land', '耕地面积（亩）': 'Cultivated land (mu)', '林地面积（亩）': 'Forest land (mu)',
  '退耕还林面积（亩）': 'Land returned to forest (mu)', '林果面积（亩）': 'Orchards (mu)', '牧草地面积（亩）': 'Pasture (mu)',
  '水面面积（亩）': 'Water surface (mu)', 住房安全等级: 'Housing safety rating', 住房面积: 'Housing area', 是否易地搬迁户: 'Relocated household',
  是否已拿到搬迁新房钥匙: 'Received the keys of the new home', 是否饮水安全: 'Safe drinking water', 饮水安全问题: 'Drinking-water problem',
  入户路类型: 'Access road type', '与村主干路距离（公里）': 'Distance to the village road (km)', 是否通生活用电: 'Electricity',
  是否有卫生厕所: 'Sanitary toilet', 主要燃料类型: 'Main fuel', 低保: 'Dibao', 特困供养: 'Destitute support',
  是否整户无劳动能力兜底保障户: 'Whole household without labour capacity', 证件类型: 'ID type', 证件号码: 'ID number', 姓名: 'Name',
  与户主关系: 'Relation to head', 性别: 'Sex', 出生日期: 'Date of birth', 民族: 'Ethnicity', 文化程度: 'Education',
  在校生状况: 'School status', 未上学原因: 'Reason for not attending school', 健康状况: 'Health', 残疾类别: 'Disability category',
  残疾等级: 'Disability grade', 劳动技能: 'Labour', '务工时间（月）': 'Months of work', 务工地点: 'Place of work',
  务工企业名称: 'Employer', '公益性岗位时间（月）': 'Months in a public-welfare post', 月务工收入: 'Monthly wage',
  基本医疗保险: 'Basic medical insurance', 是否参加大病保险: 'Critical-illness insurance', 是否参加商业补充医疗保险: 'Commercial medical insurance',
  是否参加城乡居民基本养老保险: 'Resident pension insurance', 是否享受医疗救助: 'Medical aid', 年度: 'Year', 户状态: 'Household status',
  是否监测对象: 'Monitored', 监测对象类型: 'Monitoring type', 风险类型: 'Risk types',
  ...Object.fromEntries(INCOME_ITEMS.map((i) => [i.zh, i.en])),
};

/** A field's name in both languages (a message param; also a column's header, by its Chinese name). */
export function fieldName(fieldZh: string): Localized {
  return { zh: fieldZh, en: FIELD_EN[fieldZh] ?? fieldZh };
}

class Collector {
  readonly problems: ValidationProblem[] = [];
  add(field: string, check: string, severity: Severity, m: Message | string): void {
    if (typeof m === 'string') this.problems.push({ field, check, severity, message: m });
    else this.problems.push({ field, check, severity, message: zhText(m.code, m.params as never), code: m.code, params: m.params });
  }
  error(field: string, check: string, m: Message | string): void {
    this.add(field, check, 'error', m);
  }
  warning(field: string, check: string, m: Message | string): void {
    this.add(field, check, 'warning', m);
  }
}

/** A code's label in both languages (a message param); the code itself when the table does not list it. */
function codeLabel(table: CodeTable, code: string | null | undefined): Localized {
  code ??= '';
  return { zh: label(table, code) ?? code, en: label(table, code, 'en') ?? code };
}

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function referenceYear(referenceDate: string): number {
  const d = parseIsoDate(referenceDate);
  if (!d) throw new Error(`invalid reference date: ${referenceDate}`);
  return d.year;
}

/** Required (when `required`) and, if present, one of the table's codes. */
function checkCode(c: Collector, field: string, fieldZh: string, table: CodeTable, value: unknown, required: boolean): void {
  if (isBlank(value)) {
    if (required) c.error(field, 'required', msg('registry.check.required', { field: fieldName(fieldZh) }));
    else if (typeof value === 'string') c.error(field, 'code', msg('registry.check.blankCode', { field: fieldName(fieldZh) }));
    return;
  }
  if (!isCode(table, value)) c.error(field, 'code', msg('registry.check.notInTable', { field: fieldName(fieldZh), value: quoteValue(value) }));
}

function checkBoolean(c: Collector, field: string, fieldZh: string, value: unknown): void {
  if (value !== null && value !== undefined && typeof value !== 'boolean') c.error(field, 'type', msg('registry.check.boolean', { field: fieldName(fieldZh) }));
}

/** Optional text of at most `max` characters. */
function checkText(c: Collector, field: string, fieldZh: string, value: unknown, max: number): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'string') c.error(field, 'type', msg('registry.check.text', { field: fieldName(fieldZh) }));
  else if (value.length > max) c.error(field, 'too_long', msg('registry.check.tooLong', { field: fieldName(fieldZh), max }));
}

/** A finite number within [min, max] (bounds optional); returns the number when valid. */
function checkNumber(
  c: Collector, field: string, fieldZh: string, value: unknown,
  opts: { required?: boolean; min?: number; max?: number; integer?: boolean; check?: string },
): number | null {
  if (value === null || value === undefined) {
    if (opts.required) c.error(field, 'required', msg('registry.check.required', { field: fieldName(fieldZh) }));
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    c.error(field, 'number', msg('registry.check.number', { field: fieldName(fieldZh) }));
    return null;
  }
  const check = opts.check ?? 'range';
  if (opts.integer && !Number.isInteger(value)) {
    c.error(field, check, msg('registry.check.integer', { field: fieldName(fieldZh) }));
    return null;
  }
  if (opts.min !== undefined && value < opts.min) {
    c.error(field, check, opts.min === 0 ? msg('registry.check.negative', { field: fieldName(fieldZh) }) : msg('registry.check.min', { field: fieldName(fieldZh), min: opts.min }));
    return null;
  }
  if (opts.max !== undefined && value > opts.max) {
    c.error(field, check, msg('registry.check.max', { field: fieldName(fieldZh), max: opts.max }));
    return null;
  }
  return value;
}

function checkYear(c: Collector, field: string, fieldZh: string, value: unknown, refYear: number, required: boolean): number | null {
  return checkNumber(c, field, fieldZh, value, {
    required, integer: true, min: REGISTRY_FIRST_YEAR, max: refYear + 1, check: 'year_range',
  });
}

function checkPhone(c: Collector, field: string, value: unknown): void {
  if (isBlank(value)) return;
  if (typeof value !== 'string') {
    c.error(field, 'type', msg('registry.check.text', { field: fieldName('联系电话') }));
    return;
  }
  if (value.length > TEXT_LIMITS.phone) {
    c.error(field, 'too_long', msg('registry.check.tooLong', { field: fieldName('联系电话'), max: TEXT_LIMITS.phone }));
    return;
  }
  const s = value.replace(/[\s\u3000]/g, '');
  if (!MOBILE_RE.test(s) && !LANDLINE_RE.test(s)) c.warning(field, 'phone_format', msg('registry.check.phoneFormat'));
}

// ---------------------------------------------------------------------------------------------
// Household

const LAND_FIELDS = [
  ['cultivated', '耕地面积'], ['forest', '林地面积'], ['returnedForest', '退耕还林面积'],
  ['orchard', '林果面积'], ['pasture', '牧草地面积'], ['waterSurface', '水面面积'],
] as const;

/** Attributes of a registered poor household (建档立卡贫困户); 'none' is an ordinary household. */
const POOR_ATTRIBUTES = ['general_poor', 'dibao_poor', 'tekun_poor', 'dibao', 'wubao'];

export function validateHousehold(household: Partial<Household>, options: ValidationOptions): ValidationProblem[] {
  const c = new Collector();
  const h = household;
  const refYear = referenceYear(options.referenceDate);

  if (isBlank(h.householdNo)) c.error('householdNo', 'required', msg('registry.check.required', { field: fieldName('户编号') }));
  else if (typeof h.householdNo !== 'string' || !/^[0-9A-Za-z-]{1,30}$/.test(h.householdNo.trim())) {
    c.error('householdNo', 'format', msg('registry.check.householdNoFormat'));
  }

  const villageOk = typeof h.villageCode === 'string' && /^\d{12}$/.test(h.villageCode);
  if (isBlank(h.villageCode)) c.error('villageCode', 'required', msg('registry.check.required', { field: fieldName('所在村') }));
  else if (!villageOk || (h.villageCode as string).slice(9) === '000') c.error('villageCode', 'format', msg('registry.check.villageCodeFormat'));
  if (isBlank(h.countyCode)) c.error('countyCode', 'required', msg('registry.check.required', { field: fieldName('所在县') }));
  else if (typeof h.countyCode !== 'string' || !/^\d{6}$/.test(h.countyCode)) c.error('countyCode', 'format', msg('registry.check.countyCodeFormat'));
  else if (villageOk && !(h.villageCode as string).startsWith(h.countyCode)) c.error('villageCode', 'region_mismatch', msg('registry.check.villageNotInCounty'));

  checkText(c, 'address', '详细地址', h.address, TEXT_LIMITS.address);
  checkPhone(c, 'phone', h.phone);
  checkCode(c, 'attribute', '户属性', HOUSEHOLD_ATTRIBUTES, h.attribute, true);
  checkBoolean(c, 'isMilitaryFamily', '是否军烈属', h.isMilitaryFamily);

  const isPoor = typeof h.attribute === 'string' && POOR_ATTRIBUTES.includes(h.attribute);
  const identified = checkYear(c, 'identifiedYear', '识别年度', h.identifiedYear, refYear, isPoor);
  const exit = checkYear(c, 'exitYear', '脱贫年度', h.exitYear, refYear, false);
  if (identified !== null && exit !== null && exit < identified) c.error('exitYear', 'year_order', msg('registry.check.exitBeforeIdentified'));
  if (h.attribute === 'none' && exit !== null) c.warning('exitYear', 'exit_without_registration', msg('registry.check.exitOrdinary'));

  checkCode(c, 'mainCause', '主要致贫原因', POVERTY_CAUSES, h.mainCause, isPoor);
  if (h.otherCauses !== undefined && h.otherCauses !== null) {
    if (!Array.isArray(h.otherCauses)) c.error('otherCauses', 'type', msg('registry.check.list', { field: fieldName('其他致贫原因') }));
    else {
      if (h.otherCauses.length > 2) c.error('otherCauses', 'max_other_causes', msg('registry.check.maxOtherCauses'));
      h.otherCauses.forEach((v, i) => checkCode(c, `otherCauses.${i}`, '其他致贫原因', POVERTY_CAUSES, v, true));
      if (new Set(h.otherCauses).size !== h.otherCauses.length) c.error('otherCauses', 'duplicate', msg('registry.check.duplicate', { field: fieldName('其他致贫原因') }));
      if (!isBlank(h.mainCause) && h.otherCauses.includes(h.mainCause as never)) c.error('otherCauses', 'duplicate', msg('registry.check.otherCauseIsMain'));
    }
  }

  if (h.land !== undefined && h.land !== null) {
    if (typeof h.land !== 'object' || Array.isArray(h.land)) c.error('land', 'type', msg('registry.check.object', { field: fieldName('土地面积') }));
    else for (const [key, zh] of LAND_FIELDS) checkNumber(c, `land.${key}`, `${zh}（亩）`, h.land[key], { min: 0, max: NUMBER_LIMITS.land });
  }

  checkCode(c, 'housingRating', '住房安全等级', HOUSING_RATINGS, h.housingRating, false);
  checkNumber(c, 'housingArea', '住房面积', h.housingArea, { min: 0, max: NUMBER_LIMITS.housingArea });
  checkBoolean(c, 'relocated', '是否易地搬迁户', h.relocated);
  checkBoolean(c, 'relocationKeysReceived', '是否已拿到搬迁新房钥匙', h.relocationKeysReceived);
  if (h.relocationKeysReceived === true && h.relocated !== true) {
    c.error('relocationKeysReceived', 'relocation', msg('registry.check.relocationKeys'));
  }
  checkBoolean(c, 'safeWater', '是否饮水安全', h.safeWater);
  checkCode(c, 'waterProblem', '饮水安全问题', WATER_PROBLEMS, h.waterProblem, false);
  if (h.safeWater === false && isBlank(h.waterProblem)) c.error('waterProblem', 'water_problem_required', msg('registry.check.waterProblemRequired'));
  if (h.safeWater === true && !isBlank(h.waterProblem)) c.warning('waterProblem', 'water_problem_unexpected', msg('registry.check.waterProblemUnexpected'));
  checkCode(c, 'roadType', '入户路类型', ROAD_TYPES, h.roadType, false);
  checkNumber(c, 'roadDistanceKm', '与村主干路距离（公里）', h.roadDistanceKm, { min: 0, max: NUMBER_LIMITS.roadDistanceKm });
  checkBoolean(c, 'electricity', '是否通生活用电', h.electricity);
  checkBoolean(c, 'sanitaryToilet', '是否有卫生厕所', h.sanitaryToilet);
  checkCode(c, 'fuel', '主要燃料类型', FUELS, h.fuel, false);

  checkCode(c, 'dibao', '低保', DIBAO_TYPES, h.dibao, false);
  checkCode(c, 'tekun', '特困供养', TEKUN_TYPES, h.tekun, false);
  checkBoolean(c, 'wholeNoLabour', '是否整户无劳动能力兜底保障户', h.wholeNoLabour);
  if ((h.attribute === 'dibao_poor' || h.attribute === 'dibao') && h.dibao === 'none') {
    c.warning('dibao', 'attribute_dibao_mismatch', msg('registry.check.attributeDibao', { attribute: codeLabel(HOUSEHOLD_ATTRIBUTES, h.attribute) }));
  }
  if ((h.attribute === 'tekun_poor' || h.attribute === 'wubao') && h.tekun === 'none') {
    c.warning('tekun', 'attribute_tekun_mismatch', msg('registry.check.attributeTekun', { attribute: codeLabel(HOUSEHOLD_ATTRIBUTES, h.attribute) }));
  }
  return c.problems;
}

// ---------------------------------------------------------------------------------------------
// Member

/**
 * Plausible ages (full years at the reference date) per school stage: outside [warnMin, warnMax]
 * is a warning (late entry, repeated years), outside [errorMin, errorMax] an error (a 3-year-old in
 * junior high, a 40-year-old in primary school). null = no bound.
 */
export const SCHOOL_STAGE_AGES: Record<Exclude<SchoolStatusCode, 'not_in_school'>, {
  errorMin: number; warnMin: number; warnMax: number | null; errorMax: number | null;
}> = {
  preschool: { errorMin: 0, warnMin: 0, warnMax: 6, errorMax: 9 },
  primary_1: { errorMin: 4, warnMin: 5, warnMax: 8, errorMax: 15 },
  primary_2: { errorMin: 5, warnMin: 6, warnMax: 9, errorMax: 16 },
  primary_3: { errorMin: 6, warnMin: 7, warnMax: 10, errorMax: 17 },
  primary_4: { errorMin: 7, warnMin: 8, warnMax: 11, errorMax: 18 },
  primary_5: { errorMin: 8, warnMin: 9, warnMax: 12, errorMax: 19 },
  primary_6: { errorMin: 9, warnMin: 10, warnMax: 13, errorMax: 20 },
  junior_7: { errorMin: 9, warnMin: 11, warnMax: 14, errorMax: 21 },
  junior_8: { errorMin: 10, warnMin: 12, warnMax: 15, errorMax: 22 },
  junior_9: { errorMin: 11, warnMin: 13, warnMax: 16, errorMax: 23 },
  senior_1: { errorMin: 12, warnMin: 14, warnMax: 18, errorMax: null },
  senior_2: { errorMin: 13, warnMin: 15, warnMax: 19, errorMax: null },
  senior_3: { errorMin: 14, warnMin: 16, warnMax: 20, errorMax: null },
  secondary_vocational: { errorMin: 12, warnMin: 14, warnMax: 22, errorMax: null },
  higher_vocational: { errorMin: 14, warnMin: 17, warnMax: 25, errorMax: null },
  college: { errorMin: 14, warnMin: 17, warnMax: 25, errorMax: null },
  bachelor_plus: { errorMin: 14, warnMin: 17, warnMax: 30, errorMax: null },
};

/** Minimum age for labour capacity (劳动年龄下限); a policy default, see QUALITY_DEFAULTS. */
const LABOUR_MIN_AGE = 16;
/** Compulsory education ages (义务教育阶段适龄), inclusive. */
const COMPULSORY_MIN_AGE = 6;
const COMPULSORY_MAX_AGE = 15;

/**
 * The member's ID number parsed; null when missing or invalid. Used by validation and the quality
 * checks to fall back on the ID's birth date.
 */
export function memberIdInfo(member: Partial<Member>, referenceDate: string): ParsedIdNumber | null {
  if (typeof member.idNumber !== 'string') return null;
  const r = parseIdNumber(member.idNumber, { referenceDate });
  return r.ok ? r : null;
}

/** The member's age in full years at the reference date: birth date, else the ID's birth date. */
export function memberAge(member: Partial<Member>, referenceDate: string): number | null {
  const fromBirth = typeof member.birthDate === 'string' ? ageAt(member.birthDate, referenceDate) : null;
  if (fromBirth !== null) return fromBirth;
  const id = memberIdInfo(member, referenceDate);
  return id ? ageAt(id.birthDate, referenceDate) : null;
}

export function validateMember(member: Partial<Member>, options: MemberValidationOptions): ValidationProblem[] {
  const c = new Collector();
  const m = member;
  const ref = options.referenceDate;
  referenceYear(ref);

  // Identity
  checkCode(c, 'idType', '证件类型', ID_TYPES, m.idType, true);
  let id: ParsedIdNumber | null = null;
  if (isBlank(m.idNumber)) c.error('idNumber', 'required', msg('registry.check.required', { field: fieldName('证件号码') }));
  else if (typeof m.idNumber !== 'string') c.error('idNumber', 'type', msg('registry.check.text', { field: fieldName('证件号码') }));
  else {
    const r = parseIdNumber(m.idNumber, { referenceDate: ref });
    if (!r.ok) c.error('idNumber', 'id_number', r.problem);
    else {
      id = r;
      if (m.idType === 'resident_id' && r.kind === 'disability_cert') c.error('idNumber', 'id_type_mismatch', msg('registry.check.residentIdIsDisabilityCert'));
      if (m.idType === 'disability_cert' && r.kind === 'resident_id') c.error('idNumber', 'id_type_mismatch', msg('registry.check.disabilityCertIsResidentId'));
      if (r.converted15) c.warning('idNumber', 'id_15_digit', msg('registry.check.id15', { normalized: r.normalized }));
      if (options.regionCode) {
        const region = checkIdRegion(r.residentId, options.regionCode);
        if (region.warningMessage) c.warning('idNumber', 'id_region', region.warningMessage);
      }
    }
  }
  if (isBlank(m.name)) c.error('name', 'required', msg('registry.check.required', { field: fieldName('姓名') }));
  else if (typeof m.name !== 'string' || /\d/.test(m.name)) c.error('name', 'format', msg('registry.check.nameDigits'));
  else if (m.name.length > TEXT_LIMITS.name) c.error('name', 'too_long', msg('registry.check.tooLong', { field: fieldName('姓名'), max: TEXT_LIMITS.name }));
  checkCode(c, 'relation', '与户主关系', RELATIONS, m.relation, true);

  checkCode(c, 'sex', '性别', SEXES, m.sex, true);
  if (id && isCode(SEXES, m.sex) && m.sex !== id.sex) {
    c.error('sex', 'id_sex_mismatch', msg('registry.check.sexMismatch', { sex: codeLabel(SEXES, id.sex) }));
  }
  if (isBlank(m.birthDate)) c.error('birthDate', 'required', msg('registry.check.required', { field: fieldName('出生日期') }));
  else {
    const birth = isIsoDate(m.birthDate) ? parseIsoDate(m.birthDate) : null;
    if (!birth) c.error('birthDate', 'date', msg('registry.check.birthDateFormat'));
    else if (ageAt(m.birthDate, ref) === null) c.error('birthDate', 'date', msg('registry.check.birthDateFuture'));
    else if (id && m.birthDate !== id.birthDate) c.error('birthDate', 'id_birth_mismatch', msg('registry.check.birthDateMismatch', { date: id.birthDate }));
  }
  checkCode(c, 'ethnicity', '民族', ETHNICITIES, m.ethnicity, true);

  const age = memberAge(m, ref);

  // Education
  checkCode(c, 'education', '文化程度', EDUCATION_LEVELS, m.education, age !== null && age >= LABOUR_MIN_AGE);
  checkCode(c, 'schoolStatus', '在校生状况', SCHOOL_STATUSES, m.schoolStatus, true);
  checkCode(c, 'dropoutReason', '未上学原因', DROPOUT_REASONS, m.dropoutReason, false);
  if (age !== null && isCode(SCHOOL_STATUSES, m.schoolStatus) && m.schoolStatus !== 'not_in_school') {
    const band = SCHOOL_STAGE_AGES[m.schoolStatus];
    const stage = codeLabel(SCHOOL_STATUSES, m.schoolStatus);
    if (age < band.errorMin || (band.errorMax !== null && age > band.errorMax)) {
      c.error('schoolStatus', 'age_school_mismatch', msg('registry.check.ageSchoolError', { age, stage }));
    } else if (age < band.warnMin || (band.warnMax !== null && age > band.warnMax)) {
      c.warning('schoolStatus', 'age_school_mismatch', msg('registry.check.ageSchoolWarning', { age, stage }));
    }
  }
  const outOfSchool = m.schoolStatus === 'not_in_school' || (m.schoolStatus === 'preschool' && age !== null && age >= 7);
  if (age !== null && age >= COMPULSORY_MIN_AGE && age <= COMPULSORY_MAX_AGE && outOfSchool && isBlank(m.dropoutReason)) {
    c.warning('dropoutReason', 'dropout_reason_required', msg('registry.check.dropoutReasonRequired', { age }));
  }
  if (!isBlank(m.dropoutReason) && isCode(SCHOOL_STATUSES, m.schoolStatus) && !outOfSchool) {
    c.warning('dropoutReason', 'dropout_reason_unexpected', msg('registry.check.dropoutReasonUnexpected'));
  }

  // Health
  if (m.health === undefined || m.health === null || (Array.isArray(m.health) && m.health.length === 0)) {
    c.error('health', 'required', msg('registry.check.required', { field: fieldName('健康状况') }));
  } else if (!Array.isArray(m.health)) c.error('health', 'type', msg('registry.check.list', { field: fieldName('健康状况') }));
  else {
    m.health.forEach((v, i) => checkCode(c, `health.${i}`, '健康状况', HEALTH_CONDITIONS, v, true));
    if (new Set(m.health).size !== m.health.length) c.error('health', 'duplicate', msg('registry.check.duplicate', { field: fieldName('健康状况') }));
    if (m.health.includes('healthy') && m.health.length > 1) c.error('health', 'health_exclusive', msg('registry.check.healthExclusive'));
  }
  const disabled = Array.isArray(m.health) && m.health.includes('disabled');
  checkCode(c, 'disabilityCategory', '残疾类别', DISABILITY_CATEGORIES, m.disabilityCategory, disabled);
  checkCode(c, 'disabilityGrade', '残疾等级', DISABILITY_GRADES, m.disabilityGrade, disabled);
  if (!disabled && (!isBlank(m.disabilityCategory) || !isBlank(m.disabilityGrade))) {
    c.error('disabilityCategory', 'disability_without_health', msg('registry.check.disabilityWithoutHealth'));
  }
  if (id && id.kind === 'disability_cert') {
    if (!disabled) c.error('health', 'disability_cert_health', msg('registry.check.disabilityCertHealth'));
    if (isCode(DISABILITY_CATEGORIES, m.disabilityCategory) && m.disabilityCategory !== id.disabilityCategory) {
      c.error('disabilityCategory', 'disability_cert_mismatch', msg('registry.check.disabilityCategoryMismatch', { category: codeLabel(DISABILITY_CATEGORIES, id.disabilityCategory) }));
    }
    if (isCode(DISABILITY_GRADES, m.disabilityGrade) && m.disabilityGrade !== id.disabilityGrade) {
      c.error('disabilityGrade', 'disability_cert_mismatch', msg('registry.check.disabilityGradeMismatch', { grade: codeLabel(DISABILITY_GRADES, id.disabilityGrade) }));
    }
  }

  // Labour and work
  checkCode(c, 'labour', '劳动技能', LABOUR_SKILLS, m.labour, true);
  if (age !== null && age < LABOUR_MIN_AGE && isCode(LABOUR_SKILLS, m.labour) && LABOUR_CAPABLE.includes(m.labour)) {
    c.error('labour', 'minor_with_labour', msg('registry.check.minorLabour', { age, min: LABOUR_MIN_AGE }));
  }
  const workMonths = checkNumber(c, 'workMonths', '务工时间（月）', m.workMonths, { min: 0, max: 12, integer: true });
  checkCode(c, 'workPlace', '务工地点', WORK_PLACES, m.workPlace, false);
  if (workMonths !== null && workMonths > 0 && isBlank(m.workPlace)) c.warning('workPlace', 'work_place_required', msg('registry.check.workPlaceRequired'));
  if (!isBlank(m.employer) && typeof m.employer !== 'string') c.error('employer', 'type', msg('registry.check.text', { field: fieldName('务工企业名称') }));
  else checkText(c, 'employer', '务工企业名称', m.employer, TEXT_LIMITS.employer);
  checkNumber(c, 'publicWelfareMonths', '公益性岗位时间（月）', m.publicWelfareMonths, { min: 0, max: 12, integer: true });
  checkNumber(c, 'monthlyWorkIncome', '月务工收入', m.monthlyWorkIncome, { min: 0, max: NUMBER_LIMITS.monthlyWorkIncome });

  // Insurance and assistance
  if (isBlank(m.medicalInsurance)) c.error('medicalInsurance', 'medical_insurance', msg('registry.check.medicalInsuranceRequired'));
  else if (!isCode(MEDICAL_INSURANCES, m.medicalInsurance)) checkCode(c, 'medicalInsurance', '基本医疗保险', MEDICAL_INSURANCES, m.medicalInsurance, true);
  else if (m.medicalInsurance === 'none') c.warning('medicalInsurance', 'medical_insurance', msg('registry.check.medicalInsuranceNone'));
  checkBoolean(c, 'criticalIllnessInsurance', '是否参加大病保险', m.criticalIllnessInsurance);
  checkBoolean(c, 'commercialMedicalInsurance', '是否参加商业补充医疗保险', m.commercialMedicalInsurance);
  checkBoolean(c, 'pensionInsurance', '是否参加城乡居民基本养老保险', m.pensionInsurance);
  checkBoolean(c, 'medicalAid', '是否享受医疗救助', m.medicalAid);
  checkCode(c, 'dibao', '低保', DIBAO_TYPES, m.dibao, false);
  checkCode(c, 'tekun', '特困供养', TEKUN_TYPES, m.tekun, false);
  checkPhone(c, 'phone', m.phone);
  return c.problems;
}

/**
 * Builds the medical-insurance code from the two yes/no columns found in spreadsheets
 * (是否参加城乡居民基本医疗保险, 是否参加职工基本医疗保险). Both "yes" is an error: a person may
 * hold exactly one basic medical insurance.
 */
export function medicalInsuranceFromFlags(
  resident: boolean | null, employee: boolean | null,
): { ok: true; code: 'resident' | 'employee' | 'none' | null } | { ok: false; error: string; problem: Message } {
  if (resident === true && employee === true) {
    const problem = msg('registry.check.bothMedicalInsurances');
    return { ok: false, error: zhText(problem.code), problem };
  }
  if (resident === true) return { ok: true, code: 'resident' };
  if (employee === true) return { ok: true, code: 'employee' };
  if (resident === false && employee === false) return { ok: true, code: 'none' };
  return { ok: true, code: null };
}

// ---------------------------------------------------------------------------------------------
// Income and year status

/** Decimal places of a number's shortest representation (0.285 → 3, 1e-7 → 7). */
function decimalPlaces(v: number): number {
  if (Number.isInteger(v)) return 0;
  const m = /^\d+(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(Math.abs(v).toString());
  if (!m) return 0;
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}

/** Items that may be negative: only operating income (a loss). */
const MAY_BE_NEGATIVE: readonly string[] = ['operatingIncome'];

export function validateIncome(record: Partial<IncomeRecord>, options: ValidationOptions): ValidationProblem[] {
  const c = new Collector();
  const refYear = referenceYear(options.referenceDate);
  checkYear(c, 'year', '年度', record.year, refYear, true);
  for (const item of INCOME_ITEMS) {
    const v = checkNumber(c, item.key, item.zh, record[item.key], {
      min: MAY_BE_NEGATIVE.includes(item.key) ? -NUMBER_LIMITS.incomeItem : 0, max: NUMBER_LIMITS.incomeItem, check: 'income_item',
    });
    if (v !== null && decimalPlaces(v) > 2) {
      c.warning(item.key, 'income_precision', msg('registry.check.incomePrecision', { field: fieldName(item.zh) }));
    }
  }
  return c.problems;
}

export const MAX_RISK_TYPES = 5;

export function validateYearStatus(ys: Partial<YearStatus>, options: ValidationOptions): ValidationProblem[] {
  const c = new Collector();
  const refYear = referenceYear(options.referenceDate);
  const year = checkYear(c, 'year', '年度', ys.year, refYear, true);
  checkCode(c, 'status', '户状态', HOUSEHOLD_STATUSES, ys.status, true);
  const exit = checkYear(c, 'exitYear', '脱贫年度', ys.exitYear, refYear, ys.status === 'exited');
  if (year !== null && exit !== null && exit > year) c.error('exitYear', 'year_order', msg('registry.check.exitAfterYear'));
  if (ys.status !== 'exited' && ys.status !== 'returned' && exit !== null) c.warning('exitYear', 'exit_without_registration', msg('registry.check.exitNotExited'));

  if (ys.monitored !== true && ys.monitored !== false) c.error('monitored', 'required', msg('registry.check.required', { field: fieldName('是否监测对象') }));
  checkCode(c, 'monitoredType', '监测对象类型', MONITORED_TYPES, ys.monitoredType, ys.monitored === true);
  if (ys.monitored === false && !isBlank(ys.monitoredType)) c.error('monitoredType', 'monitored_type_unexpected', msg('registry.check.monitoredTypeUnexpected'));
  if (ys.monitoredType === 'unstable_exited' && ys.status !== undefined && ys.status !== 'exited') {
    c.warning('monitoredType', 'monitored_type_status', msg('registry.check.unstableExited'));
  }
  if (ys.monitoredType === 'marginal' && ys.status !== undefined && ys.status !== 'ordinary') {
    c.warning('monitoredType', 'monitored_type_status', msg('registry.check.marginalOrdinary'));
  }

  const risks = ys.riskTypes;
  if (risks !== undefined && risks !== null && !Array.isArray(risks)) c.error('riskTypes', 'type', msg('registry.check.list', { field: fieldName('风险类型') }));
  else {
    const list = risks ?? [];
    if (list.length > MAX_RISK_TYPES) c.error('riskTypes', 'max_risk_types', msg('registry.check.maxRiskTypes', { max: MAX_RISK_TYPES }));
    list.forEach((v, i) => checkCode(c, `riskTypes.${i}`, '风险类型', RISK_TYPES, v, true));
    if (new Set(list).size !== list.length) c.error('riskTypes', 'duplicate', msg('registry.check.duplicate', { field: fieldName('风险类型') }));
    if (ys.monitored === true && list.length === 0) c.error('riskTypes', 'risk_required', msg('registry.check.riskRequired'));
    if (ys.monitored === false && list.length > 0) c.warning('riskTypes', 'risk_unexpected', msg('registry.check.riskUnexpected'));
  }
  return c.problems;
}
