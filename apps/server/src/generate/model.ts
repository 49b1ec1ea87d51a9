/**
 * The synthetic household model: one village at a time, households built around a main cause of poverty
 * (a sick member for 因病, a disabled one for 因残 …), members with consistent ages, relations, health,
 * schooling, labour and work, and income for two years calibrated to a target per-capita net income.
 * Pure and deterministic: everything comes from the Rng passed in (one stream per village).
 */
import {
  idCheckCharacter, INCOME_ITEMS, type DibaoCode, type DisabilityCategoryCode, type DisabilityGradeCode, type DropoutReasonCode,
  type EducationCode, type EthnicityCode, type FuelCode, type HealthCode, type HouseholdAttributeCode, type HouseholdStatusCode,
  type HousingRatingCode, type IncomeItemKey, type LabourSkillCode, type MedicalInsuranceCode, type MonitoredTypeCode,
  type PovertyCauseCode, type RelationCode, type RiskTypeCode, type RoadTypeCode, type SchoolStatusCode, type SexCode,
  type TekunCode, type WaterProblemCode, type WorkPlaceCode,
} from '@tuopin/domain';
import * as C from './calibration';
import { givenName, surname } from './names';
import { ageCurve, Choice, fen, type Rng } from './random';

// ---------------------------------------------------------------------------------------------
// Output types (codes typed by the domain code tables)

export interface GenVillage {
  /** 12-digit village code */
  code: string;
  name: string;
  townshipName: string;
  countyName: string;
  cityName: string;
  /** Persons to generate in this village */
  persons: number;
}

export interface GenMember {
  idNumber: string;
  name: string;
  relation: RelationCode;
  sex: SexCode;
  birthDate: string;
  ethnicity: EthnicityCode;
  education: EducationCode | null;
  schoolStatus: SchoolStatusCode;
  dropoutReason: DropoutReasonCode | null;
  health: HealthCode[];
  disabilityCategory: DisabilityCategoryCode | null;
  disabilityGrade: DisabilityGradeCode | null;
  labour: LabourSkillCode;
  workMonths: number | null;
  workPlace: WorkPlaceCode | null;
  employer: string | null;
  publicWelfareMonths: number | null;
  monthlyWorkIncome: number | null;
  medicalInsurance: MedicalInsuranceCode;
  criticalIllnessInsurance: boolean;
  commercialMedicalInsurance: boolean;
  pensionInsurance: boolean;
  medicalAid: boolean;
  dibao: DibaoCode;
  tekun: TekunCode;
  phone: string | null;
}

export type GenIncome = Record<IncomeItemKey, number>;

export interface GenYearStatus {
  year: number;
  status: HouseholdStatusCode;
  exitYear: number | null;
  monitored: boolean;
  monitoredType: MonitoredTypeCode | null;
  riskTypes: RiskTypeCode[];
}

export interface GenHousehold {
  householdNo: string;
  villageCode: string;
  countyCode: string;
  address: string;
  phone: string | null;
  attribute: HouseholdAttributeCode;
  isMilitaryFamily: boolean;
  identifiedYear: number | null;
  exitYear: number | null;
  mainCause: PovertyCauseCode | null;
  otherCauses: PovertyCauseCode[];
  land: { cultivated: number | null; forest: number | null; returnedForest: number | null; orchard: number | null; pasture: number | null; waterSurface: number | null };
  housingRating: HousingRatingCode;
  housingArea: number;
  relocated: boolean;
  relocationKeysReceived: boolean | null;
  safeWater: boolean;
  waterProblem: WaterProblemCode | null;
  roadType: RoadTypeCode;
  roadDistanceKm: number;
  electricity: boolean;
  sanitaryToilet: boolean;
  fuel: FuelCode;
  dibao: DibaoCode;
  tekun: TekunCode;
  wholeNoLabour: boolean;
  members: GenMember[];
  /** [previous year, current year] */
  income: [GenIncome, GenIncome];
  status: [GenYearStatus, GenYearStatus];
}

/** Per-village calibration factors (from the city of the village). */
export interface VillageFactors {
  poorShare: number;
  belowWarningShare: number;
}

// ---------------------------------------------------------------------------------------------
// Prepared choices

const sizeChoice = new Choice(C.HOUSEHOLD_SIZE_WEIGHTS);
const causeChoice = new Choice(C.MAIN_CAUSE_WEIGHTS as C.Weights<PovertyCauseCode>);
const attrElderly = new Choice(C.ATTRIBUTE_WEIGHTS_ELDERLY_NO_LABOUR as C.Weights<HouseholdAttributeCode>);
const attrWeak = new Choice(C.ATTRIBUTE_WEIGHTS_WEAK as C.Weights<HouseholdAttributeCode>);
const attrAble = new Choice(C.ATTRIBUTE_WEIGHTS_ABLE as C.Weights<HouseholdAttributeCode>);
const identifiedChoice = new Choice(C.IDENTIFIED_YEAR_WEIGHTS);
const exitChoice = new Choice(C.EXIT_YEAR_WEIGHTS);
const disCatChoice = new Choice(C.DISABILITY_CATEGORY_WEIGHTS as C.Weights<DisabilityCategoryCode>);
const disGradeChoice = new Choice(C.DISABILITY_GRADE_WEIGHTS as C.Weights<DisabilityGradeCode>);
const housingExited = new Choice(C.HOUSING_WEIGHTS_EXITED as C.Weights<HousingRatingCode>);
const housingPoor = new Choice(C.HOUSING_WEIGHTS_POOR as C.Weights<HousingRatingCode>);
const ethDefault = new Choice(C.ETHNICITY_DEFAULT as C.Weights<EthnicityCode>);
const ethManchu = new Choice(C.ETHNICITY_MANCHU_AREA as C.Weights<EthnicityCode>);
const ethMongol = new Choice(C.ETHNICITY_MONGOL_AREA as C.Weights<EthnicityCode>);
const ethKorean = new Choice(C.ETHNICITY_KOREAN_AREA as C.Weights<EthnicityCode>);
const ethXibe = new Choice(C.ETHNICITY_XIBE_AREA as C.Weights<EthnicityCode>);
const workPlaceChoice = new Choice<WorkPlaceCode>([['township', 0.3], ['county', 0.26], ['province', 0.29], ['out_of_province', 0.14], ['abroad', 0.01]]);
const fuelChoice = new Choice<FuelCode>([['firewood', 0.44], ['coal', 0.38], ['electricity', 0.09], ['gas', 0.05], ['biogas', 0.01], ['solar', 0.01], ['other', 0.02]]);
const roadChoice = new Choice<RoadTypeCode>([['hardened', 0.86], ['gravel', 0.1], ['dirt', 0.04]]);
const waterProblemChoice = new Choice<WaterProblemCode>([['quality', 0.4], ['access', 0.25], ['quantity', 0.2], ['reliability', 0.15]]);
const dropoutReasonChoice = new Choice<DropoutReasonCode>([['illness', 0.35], ['disability', 0.35], ['family_hardship', 0.12], ['weariness', 0.12], ['other', 0.06]]);
const riskOfCause: Partial<Record<PovertyCauseCode, RiskTypeCode>> = {
  illness: 'illness', disability: 'disability', schooling: 'schooling', disaster: 'natural_disaster', lack_labour: 'lack_labour',
};
const OTHER_CAUSES: PovertyCauseCode[] = ['lack_funds', 'lack_skills', 'lack_labour', 'illness', 'disability', 'low_motivation', 'lack_land', 'poor_transport', 'disaster'];
const MONTHLY_WAGE: Record<WorkPlaceCode, [number, number]> = {
  township: [1600, 2800], county: [2000, 3400], province: [2600, 4400], out_of_province: [3200, 6000], abroad: [5000, 9000],
};
const EMPLOYER_SUFFIXES = ['建筑工程有限公司', '农业发展有限公司', '食品有限公司', '物流有限公司', '服装加工厂', '扶贫车间', '农民专业合作社', '家政服务有限公司', '物业管理有限公司', '机械制造有限公司'];
const FAR_CITIES = ['北京', '天津', '上海', '青岛', '苏州', '深圳', '廊坊', '长春'];
const PHONE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '176', '178', '182', '186', '187', '188', '189', '199'];

// ---------------------------------------------------------------------------------------------
// ID numbers: unique across one run (and against existing ones), matching county and birth date

/**
 * Allocates 18-digit resident ID numbers, each at most once per run. The 3-digit sequence encodes the sex (odd =
 * male). People native to the county of their household use sequences 000–799 of their county's prefix; people born
 * elsewhere (in-movers, whose prefix is another county's) use 800–999 of that prefix. Both are counted per prefix,
 * birth day and sex over the whole run, whatever order the villages come in, so an in-mover never gets a native's
 * number nor one native another's. `isTaken` reports ID numbers already in the registry: a run into the database and
 * a file for import both skip them, so the generator's own output always passes the registry's uniqueness check.
 */
export class IdAllocator {
  /** Next sequence index (0–399 natives, 400–499 in-movers) by kind, prefix, birth day and sex */
  private readonly next = new Map<string, number>();
  constructor(private readonly isTaken: (id: string) => boolean = () => false) {}

  /** Returns null when the day is full (the caller moves the birth date). */
  allocate(prefix: string, birth8: string, male: boolean, native: boolean, county: string): string | null {
    // a native's prefix is its county's; an in-mover whose drawn prefix is the household's own county is still
    // counted with the in-movers (800–999), never with the natives
    const own = native && prefix === county;
    const key = `${own ? 'n' : 'o'}${prefix}${birth8}${male ? '1' : '0'}`;
    let k = this.next.get(key) ?? (own ? 0 : 400);
    const limit = own ? 400 : 500;
    while (k < limit) {
      const seq = k * 2 + (male ? 1 : 0);
      k++;
      const first17 = prefix + birth8 + String(seq).padStart(3, '0');
      const id = first17 + idCheckCharacter(first17);
      if (!this.isTaken(id)) {
        this.next.set(key, k);
        return id;
      }
    }
    this.next.set(key, k);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Context

export interface ModelContext {
  year: number;
  /** All county codes of the run's province(s), for people born in another county. */
  counties: readonly string[];
  ids: IdAllocator;
}

const DAY_MS = 86400000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function ethnicityChoiceFor(v: GenVillage): Choice<EthnicityCode> {
  const area = `${v.countyName}${v.townshipName}`;
  if (area.includes('满族')) return ethManchu;
  if (area.includes('蒙古族')) return ethMongol;
  if (area.includes('朝鲜族')) return ethKorean;
  if (area.includes('锡伯族')) return ethXibe;
  return ethDefault;
}

function shortVillageName(name: string): string {
  return name.replace(/村民委员会$|村委会$/, '村').replace(/社区居民委员会$|社区居委会$|居民委员会$|居委会$/, '社区');
}

// ---------------------------------------------------------------------------------------------
// Household composition

interface Slot {
  relation: RelationCode;
  age: number;
  male: boolean;
  /** Shares the head's surname and ethnicity */
  kin: boolean;
}

function headAge(rng: Rng, size: number, cause: PovertyCauseCode | null): number {
  const old = cause === 'lack_labour';
  if (size === 1) {
    const r = rng.next();
    if (old || r < 0.7) return rng.int(60, 90);
    return r < 0.95 ? rng.int(40, 59) : rng.int(22, 39);
  }
  if (size === 2) return old || rng.chance(0.62) ? rng.int(58, 86) : rng.int(30, 57);
  if (old) return rng.int(60, 78);
  return rng.chance(0.3) ? rng.int(56, 75) : rng.int(30, 55);
}

function composition(rng: Rng, size: number, cause: PovertyCauseCode | null): Slot[] {
  const hAge = headAge(rng, size, cause);
  const slots: Slot[] = [];
  const spouse = size >= 2 && rng.chance(size === 2 ? 0.72 : 0.86);
  const headMale = spouse ? rng.chance(0.9) : size === 1 && hAge >= 60 ? rng.chance(0.45) : rng.chance(0.7);
  slots.push({ relation: 'head', age: hAge, male: headMale, kin: true });
  if (spouse) {
    const d = rng.int(-2, 6);
    slots.push({ relation: 'spouse', age: Math.max(18, headMale ? hAge - d : hAge + d), male: !headMale, kin: false });
  }
  const child = (age: number): Slot => {
    const male = rng.chance(0.52);
    return { relation: male ? 'son' : 'daughter', age, male, kin: true };
  };
  let left = size - slots.length;
  if (left <= 0) return slots;
  if (size >= 4 && hAge >= 52 && rng.chance(0.6)) {
    // three generations: son, daughter-in-law, grandchildren
    const sonAge = Math.max(18, hAge - rng.int(22, 32));
    slots.push({ relation: 'son', age: sonAge, male: true, kin: true });
    left--;
    if (left > 0 && rng.chance(0.85)) {
      slots.push({ relation: 'daughter_in_law', age: Math.max(18, sonAge + rng.int(-4, 2)), male: false, kin: false });
      left--;
    }
    while (left > 0) {
      const male = rng.chance(0.52);
      const age = Math.max(0, Math.min(sonAge - 20, rng.int(0, Math.max(0, sonAge - 21))));
      slots.push({ relation: male ? 'grandson' : 'granddaughter', age, male, kin: true });
      left--;
    }
    return slots;
  }
  if (!spouse && size === 2) {
    const r = rng.next();
    if (r < 0.5 && hAge >= 38) slots.push(child(Math.max(0, hAge - rng.int(22, 34))));
    else if (r < 0.8 && hAge <= 62) {
      const male = rng.chance(0.35);
      slots.push({ relation: male ? 'father' : 'mother', age: Math.min(96, hAge + rng.int(22, 32)), male, kin: male });
    } else if (hAge < 38) slots.push(child(Math.max(0, hAge - rng.int(20, 30))));
    else slots.push({ relation: 'sibling', age: Math.max(18, hAge + rng.int(-8, 8)), male: rng.chance(0.55), kin: true });
    return slots;
  }
  let children = 0;
  const maxChildAge = hAge - 20;
  while (left > 0 && maxChildAge >= 0 && children < 4 && !(children >= 2 && rng.chance(0.5))) {
    const age = Math.max(0, hAge - rng.int(21, 36));
    slots.push(child(Math.min(age, maxChildAge)));
    children++;
    left--;
  }
  if (left > 0 && hAge <= 58) {
    const male = rng.chance(0.35);
    slots.push({ relation: male ? 'father' : 'mother', age: Math.min(96, hAge + rng.int(22, 32)), male, kin: male });
    left--;
  }
  while (left > 0) {
    if (hAge >= 21) slots.push(child(Math.max(0, hAge - rng.int(21, 38))));
    else slots.push({ relation: 'sibling', age: Math.max(0, hAge + rng.int(-8, 8)), male: rng.chance(0.5), kin: true });
    left--;
  }
  return slots;
}

// ---------------------------------------------------------------------------------------------
// Members

function schoolFor(rng: Rng, age: number, disabledSevere: boolean): { status: SchoolStatusCode; reason: DropoutReasonCode | null; education: EducationCode | null } {
  if (age < 6) return { status: 'preschool', reason: null, education: null };
  if (age <= 15) {
    const r = rng.next();
    if (disabledSevere && r < 0.5) return { status: 'not_in_school', reason: 'disability', education: age >= 9 ? 'primary' : null };
    if (r < C.DROPOUT_WITH_REASON_SHARE) return { status: 'not_in_school', reason: dropoutReasonChoice.sample(rng), education: age >= 9 ? 'primary' : null };
    if (r < C.DROPOUT_WITH_REASON_SHARE + C.DROPOUT_WITHOUT_REASON_SHARE) return { status: 'not_in_school', reason: null, education: age >= 9 ? 'primary' : null };
    if (age === 6 && rng.chance(0.4)) return { status: 'preschool', reason: null, education: null };
    const grade = Math.min(9, Math.max(1, age - 5 - (rng.chance(0.15) ? 1 : 0)));
    const status = (grade <= 6 ? `primary_${grade}` : `junior_${grade}`) as SchoolStatusCode;
    return { status, reason: null, education: grade <= 6 ? 'primary' : 'junior' };
  }
  if (age <= 18) {
    const r = rng.next();
    if (r < 0.55) return { status: (['senior_1', 'senior_2', 'senior_3'] as const)[Math.min(2, age - 16)]!, reason: null, education: 'junior' };
    if (r < 0.8) return { status: 'secondary_vocational', reason: null, education: 'junior' };
    return { status: 'not_in_school', reason: null, education: 'junior' };
  }
  if (age <= 22) {
    const r = rng.next();
    if (r < 0.14) return { status: 'bachelor_plus', reason: null, education: 'senior' };
    if (r < 0.26) return { status: 'higher_vocational', reason: null, education: 'senior' };
    if (r < 0.34) return { status: 'college', reason: null, education: 'senior' };
    return { status: 'not_in_school', reason: null, education: rng.chance(0.5) ? 'senior' : 'junior' };
  }
  return { status: 'not_in_school', reason: null, education: adultEducation(rng, age) };
}

function adultEducation(rng: Rng, age: number): EducationCode {
  const r = rng.next();
  if (age >= 70) return r < 0.42 ? 'illiterate' : r < 0.88 ? 'primary' : 'junior';
  if (age >= 50) return r < 0.12 ? 'illiterate' : r < 0.55 ? 'primary' : r < 0.93 ? 'junior' : 'senior';
  if (age >= 30) return r < 0.03 ? 'illiterate' : r < 0.22 ? 'primary' : r < 0.8 ? 'junior' : r < 0.95 ? 'senior' : 'college';
  return r < 0.01 ? 'illiterate' : r < 0.06 ? 'primary' : r < 0.5 ? 'junior' : r < 0.75 ? 'senior' : r < 0.9 ? 'college' : 'bachelor_plus';
}

function labourFor(rng: Rng, age: number, health: HealthCode[], grade: DisabilityGradeCode | null, inSchool: boolean, forceNone: boolean): LabourSkillCode {
  if (age < 16 || inSchool) return 'none';
  const serious = health.includes('serious_illness');
  const chronic = health.includes('chronic');
  const severe = grade === '1' || grade === '2';
  const disabled = health.includes('disabled');
  if (forceNone) return age >= 60 ? (rng.chance(0.5) ? 'none' : 'lost') : 'lost';
  if (serious || severe) return rng.chance(0.75) ? 'lost' : 'weak';
  if (age >= 75) return rng.chance(0.55) ? 'none' : rng.chance(0.6) ? 'lost' : 'weak';
  if (age >= 65) return rng.chance(0.45) ? 'weak' : rng.chance(0.5) ? 'lost' : 'none';
  if (age >= 60) return chronic || disabled ? (rng.chance(0.6) ? 'weak' : 'lost') : rng.chance(0.45) ? 'ordinary' : 'weak';
  if (chronic || disabled) return rng.chance(0.55) ? 'weak' : rng.chance(0.8) ? 'ordinary' : 'lost';
  if (rng.chance(C.HEALTHY_WEAK_LABOUR_SHARE)) return 'weak';
  return rng.chance(0.13) ? 'skilled' : 'ordinary';
}

function phone(rng: Rng): string {
  let s = rng.pick(PHONE_PREFIXES);
  for (let i = 0; i < 8; i++) s += String(rng.int(0, 9));
  return s;
}

// ---------------------------------------------------------------------------------------------
// The village generator

interface Draft {
  h: GenHousehold;
  ages: number[];
  size: number;
  hasLabour: boolean;
}

export function* generateVillage(rng: Rng, v: GenVillage, f: VillageFactors, ctx: ModelContext): Generator<GenHousehold> {
  const county = v.code.slice(0, 6);
  const ethChoice = ethnicityChoiceFor(v);
  const village = shortVillageName(v.name);
  const refYear = ctx.year;
  const groups = rng.int(3, 9);
  let left = v.persons;
  let seq = 0;
  while (left > 0) {
    seq++;
    const size = Math.min(left, sizeChoice.sample(rng));
    left -= size;
    // status first, so composition can follow (edge households are never registered)
    const ordinary = rng.chance(C.ORDINARY_EDGE_HOUSEHOLD_SHARE);
    const cause: PovertyCauseCode | null = ordinary ? null : causeChoice.sample(rng);
    const slots = composition(rng, size, cause);
    const headSurname = surname(rng);
    const headEth = ethChoice.sample(rng);
    const noLabourHousehold = cause === 'lack_labour';

    const members: GenMember[] = [];
    const ages: number[] = [];
    for (const s of slots) {
      const birthMs = Date.UTC(refYear - s.age - 1, 0, 1) + rng.int(1, 364) * DAY_MS;
      let bd = new Date(birthMs);
      const male = s.male;
      let idNumber: string | null = null;
      const r = rng.next();
      const native = r >= C.ID_OTHER_COUNTY_SHARE + C.ID_OTHER_PROVINCE_SHARE;
      const prefix = native
        ? county
        : r < C.ID_OTHER_PROVINCE_SHARE || ctx.counties.length < 2
          ? rng.pick(C.OTHER_PROVINCE_COUNTIES)
          : rng.pick(ctx.counties);
      for (let tries = 0; idNumber === null; tries++) {
        const birth8 = `${bd.getUTCFullYear()}${pad2(bd.getUTCMonth() + 1)}${pad2(bd.getUTCDate())}`;
        idNumber = ctx.ids.allocate(prefix, birth8, male, native && prefix === county, county);
        if (idNumber === null) bd = new Date(bd.getTime() - DAY_MS * (tries % 2 === 0 ? 1 : -1) * (tries + 1));
      }
      const birthDate = `${bd.getUTCFullYear()}-${pad2(bd.getUTCMonth() + 1)}-${pad2(bd.getUTCDate())}`;
      const age = s.age;

      // health
      const health: HealthCode[] = [];
      if (rng.chance(ageCurve(C.CHRONIC_BY_AGE, age))) health.push('chronic');
      if (rng.chance(ageCurve(C.SERIOUS_ILLNESS_BY_AGE, age))) health.push('serious_illness');
      if (rng.chance(ageCurve(C.DISABILITY_BY_AGE, age))) health.push('disabled');
      members.push({
        idNumber, name: '', relation: s.relation, sex: male ? 'male' : 'female', birthDate,
        ethnicity: s.kin ? headEth : rng.chance(0.8) ? headEth : ethChoice.sample(rng),
        education: null, schoolStatus: 'not_in_school', dropoutReason: null, health,
        disabilityCategory: null, disabilityGrade: null, labour: 'none', workMonths: null, workPlace: null, employer: null,
        publicWelfareMonths: null, monthlyWorkIncome: null, medicalInsurance: 'resident', criticalIllnessInsurance: true,
        commercialMedicalInsurance: false, pensionInsurance: false, medicalAid: false, dibao: 'none', tekun: 'none', phone: null,
      });
      ages.push(age);
      // names: kin share the head's surname (the head's own surname for a female head's children is the husband's: random)
      const sn = s.relation === 'head' || (s.kin && (slots[0]!.male || s.relation === 'father')) ? headSurname : surname(rng);
      members[members.length - 1]!.name = sn + givenName(rng, male, refYear - age - 1);
    }

    // make the members match the main cause
    const adults = ages.map((a, i) => (a >= 18 ? i : -1)).filter((i) => i >= 0);
    const pickAdult = () => (adults.length ? adults[rng.int(0, Math.min(adults.length, 2) - 1)]! : 0);
    if (cause === 'illness' && !members.some((m) => m.health.includes('chronic') || m.health.includes('serious_illness'))) {
      members[pickAdult()]!.health.push(rng.chance(0.45) ? 'serious_illness' : 'chronic');
    }
    if (cause === 'disability' && !members.some((m) => m.health.includes('disabled'))) {
      members[rng.chance(0.8) ? pickAdult() : rng.int(0, members.length - 1)]!.health.push('disabled');
    }
    if (cause === 'schooling' && !ages.some((a) => a >= 16 && a <= 22)) {
      // a child of the head, away at high school or college
      const i = members.findIndex((m) => m.relation === 'son' || m.relation === 'daughter');
      if (i > 0 && ages[0]! - 40 >= 0) {
        ages[i] = rng.int(16, 21);
        const bd = new Date(Date.UTC(refYear - ages[i]! - 1, 0, 1) + rng.int(1, 364) * DAY_MS);
        const m = members[i]!;
        const birth8 = `${bd.getUTCFullYear()}${pad2(bd.getUTCMonth() + 1)}${pad2(bd.getUTCDate())}`;
        const id = ctx.ids.allocate(county, birth8, m.sex === 'male', true, county);
        if (id) {
          m.idNumber = id;
          m.birthDate = `${birth8.slice(0, 4)}-${birth8.slice(4, 6)}-${birth8.slice(6)}`;
        } else ages[i] = ageFromBirth(m.birthDate, refYear);
      }
    }

    // per-member details that depend on health
    let hasLabour = false;
    let allNoLabour = true;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const age = ages[i]!;
      m.health.sort(healthOrder);
      if (m.health.length === 0) m.health.push('healthy');
      if (m.health.includes('disabled')) {
        m.disabilityCategory = disCatChoice.sample(rng);
        m.disabilityGrade = disGradeChoice.sample(rng);
      }
      const severe = m.disabilityGrade === '1' || m.disabilityGrade === '2';
      const school = schoolFor(rng, age, severe && (m.disabilityCategory === '5' || m.disabilityCategory === '7' || m.disabilityCategory === '6'));
      m.schoolStatus = school.status;
      m.dropoutReason = school.reason;
      m.education = school.education;
      if (m.health.includes('disabled') && m.education !== null && age >= 30 && rng.chance(0.3)) m.education = 'illiterate';
      const inSchool = school.status !== 'not_in_school' && school.status !== 'preschool';
      m.labour = labourFor(rng, age, m.health, m.disabilityGrade, inSchool, noLabourHousehold && age >= 16);
      if (m.labour === 'ordinary' || m.labour === 'skilled' || m.labour === 'weak') {
        hasLabour = true;
        allNoLabour = false;
      }
      // work
      if (age >= 16 && age < 65 && !inSchool && (m.labour === 'ordinary' || m.labour === 'skilled' || m.labour === 'weak')) {
        const p = m.labour === 'skilled' ? 0.85 : m.labour === 'ordinary' ? 0.74 : 0.3;
        if (rng.chance(p)) {
          const place = workPlaceChoice.sample(rng);
          const [lo, hi] = MONTHLY_WAGE[place];
          m.workMonths = m.labour === 'weak' ? rng.int(2, 8) : rng.int(4, 12);
          m.workPlace = place;
          m.monthlyWorkIncome = Math.round(rng.range(lo, hi) * (m.labour === 'skilled' ? 1.25 : m.labour === 'weak' ? 0.75 : 1) / 10) * 10;
          if (rng.chance(0.55)) {
            m.employer = place === 'out_of_province' || place === 'abroad'
              ? rng.pick(FAR_CITIES) + rng.pick(EMPLOYER_SUFFIXES)
              : (place === 'township' ? v.townshipName : v.countyName) + rng.pick(EMPLOYER_SUFFIXES);
          }
        } else m.workMonths = 0;
      }
      // insurance
      const employee = m.workPlace !== null && m.workMonths !== null && m.workMonths >= 10 && rng.chance(C.EMPLOYEE_INSURANCE_SHARE_OF_WORKERS);
      m.medicalInsurance = rng.chance(C.UNINSURED_SHARE) ? 'none' : employee ? 'employee' : 'resident';
      m.criticalIllnessInsurance = m.medicalInsurance === 'resident';
      m.commercialMedicalInsurance = m.medicalInsurance !== 'none' && !ordinary && rng.chance(C.COMMERCIAL_INSURANCE_SHARE);
      m.pensionInsurance = age >= 60 || (age >= 16 && !inSchool && rng.chance(0.88));
      if (age >= 18 && age <= 72 && (m.relation === 'head' || rng.chance(0.55))) m.phone = phone(rng);
    }

    // household-level attributes
    const onlyElderly = ages.every((a) => a >= 60);
    let attribute: HouseholdAttributeCode;
    if (ordinary) attribute = 'none';
    else if (allNoLabour && onlyElderly && size <= 2) attribute = attrElderly.sample(rng);
    else if (!members.some((m) => m.labour === 'ordinary' || m.labour === 'skilled')) attribute = attrWeak.sample(rng);
    else attribute = attrAble.sample(rng);
    const dibao: DibaoCode = attribute === 'dibao_poor' || attribute === 'dibao' || (ordinary && allNoLabour && rng.chance(0.3)) ? 'rural' : 'none';
    const tekun: TekunCode = attribute === 'tekun_poor' || attribute === 'wubao' ? 'rural' : 'none';
    for (const m of members) {
      m.dibao = dibao;
      m.tekun = tekun;
      const sick = m.health.includes('serious_illness') || m.health.includes('chronic');
      m.medicalAid = m.medicalInsurance !== 'none' && sick && (dibao !== 'none' || tekun !== 'none' || !ordinary) && rng.chance(0.5);
    }

    // public-welfare post: one member 30–69 with some labour
    if (!ordinary && rng.chance(C.PUBLIC_WELFARE_POST_SHARE * (hasLabour ? 1.6 : 0))) {
      const i = members.findIndex((m, k) => ages[k]! >= 30 && ages[k]! < 70 && (m.labour === 'weak' || m.labour === 'ordinary'));
      if (i >= 0) members[i]!.publicWelfareMonths = rng.chance(0.7) ? 12 : rng.int(4, 11);
    }

    // status (current year)
    let status: HouseholdStatusCode;
    let identifiedYear: number | null = null;
    let exitYear: number | null = null;
    if (ordinary) status = 'ordinary';
    else {
      const pPoor = f.poorShare * (hasLabour ? 1 : C.POOR_NO_LABOUR_HOUSEHOLD_FACTOR) / POOR_FACTOR_NORMALISER;
      status = rng.chance(pPoor) ? 'poor' : 'exited';
      identifiedYear = identifiedChoice.sample(rng);
      if (status === 'exited') {
        exitYear = exitChoice.sample(rng);
        if (exitYear < identifiedYear) exitYear = Math.min(2020, identifiedYear + rng.int(0, 2));
      }
    }
    const belowWarning = status === 'exited' && rng.chance(f.belowWarningShare);
    const returned = status === 'exited' && !belowWarning && rng.chance(C.RETURNED_SHARE);

    // land and living conditions
    const hasLand = rng.chance(0.86);
    const cultivated = hasLand ? fen(rng.range(1.5, 4.5) * Math.max(1, Math.min(size, 4))) : null;
    const h: GenHousehold = {
      householdNo: `G${v.code}${String(seq).padStart(4, '0')}`,
      villageCode: v.code,
      countyCode: county,
      address: `${v.townshipName}${village}${rng.int(1, groups)}组${rng.int(1, 120)}号`,
      phone: members[0]!.phone,
      attribute,
      isMilitaryFamily: rng.chance(0.01),
      identifiedYear,
      exitYear,
      mainCause: cause,
      otherCauses: [],
      land: {
        cultivated,
        forest: rng.chance(0.15) ? fen(rng.range(1, 20)) : null,
        returnedForest: rng.chance(0.08) ? fen(rng.range(0.5, 6)) : null,
        orchard: rng.chance(0.05) ? fen(rng.range(0.3, 3)) : null,
        pasture: rng.chance(0.02) ? fen(rng.range(1, 10)) : null,
        waterSurface: rng.chance(0.01) ? fen(rng.range(0.5, 5)) : null,
      },
      housingRating: (status === 'poor' ? housingPoor : housingExited).sample(rng),
      housingArea: fen(rng.range(36, 70) + size * rng.range(5, 15)),
      relocated: false,
      relocationKeysReceived: null,
      safeWater: true,
      waterProblem: null,
      roadType: roadChoice.sample(rng),
      roadDistanceKm: fen(rng.chance(0.7) ? rng.range(0, 0.3) : rng.range(0.3, 3)),
      electricity: rng.chance(0.999),
      sanitaryToilet: rng.chance(0.62),
      fuel: fuelChoice.sample(rng),
      dibao,
      tekun,
      wholeNoLabour: allNoLabour && !ordinary,
      members,
      income: [emptyIncome(), emptyIncome()],
      status: [
        { year: refYear - 1, status, exitYear, monitored: false, monitoredType: null, riskTypes: [] },
        { year: refYear, status, exitYear, monitored: false, monitoredType: null, riskTypes: [] },
      ],
    };
    if (rng.chance(0.012)) {
      h.relocated = true;
      h.relocationKeysReceived = rng.chance(0.95);
      h.housingRating = rng.chance(0.8) ? 'A' : 'B';
    }
    if (rng.chance(status === 'poor' ? 0.06 : 0.015)) {
      h.safeWater = false;
      h.waterProblem = waterProblemChoice.sample(rng);
    }
    if (cause && rng.chance(C.OTHER_CAUSE_SHARE)) {
      const n = rng.chance(0.4) ? 2 : 1;
      while (h.otherCauses.length < n) {
        const c = rng.pick(OTHER_CAUSES);
        if (c !== cause && !h.otherCauses.includes(c)) h.otherCauses.push(c);
      }
    }

    const draft: Draft = { h, ages, size, hasLabour };
    income(rng, draft, status, belowWarning, returned);
    monitoring(rng, draft, belowWarning, returned);
    yield h;
  }
}

/** Normalises the labour factor so that the overall poor share stays at the calibrated one. */
const POOR_FACTOR_NORMALISER = 1 + (C.POOR_NO_LABOUR_HOUSEHOLD_FACTOR - 1) * 0.25;

const HEALTH_ORDER: HealthCode[] = ['healthy', 'chronic', 'serious_illness', 'disabled'];
function healthOrder(a: HealthCode, b: HealthCode): number {
  return HEALTH_ORDER.indexOf(a) - HEALTH_ORDER.indexOf(b);
}

function ageFromBirth(birthDate: string, refYear: number): number {
  return refYear - Number(birthDate.slice(0, 4)) - 1;
}

export const INCOME_KEYS: readonly IncomeItemKey[] = INCOME_ITEMS.map((i) => i.key);

function emptyIncome(): GenIncome {
  return {
    publicWelfareWage: 0, otherWage: 0, operatingIncome: 0, assetDividend: 0, otherPropertyIncome: 0, pension: 0, familyPlanning: 0,
    ecoCompensation: 0, dibaoPayment: 0, tekunPayment: 0, otherTransfer: 0, operatingExpense: 0, compliantOutOfPocket: 0,
  };
}

function net(i: GenIncome): number {
  return i.publicWelfareWage + i.otherWage + i.operatingIncome + i.assetDividend + i.otherPropertyIncome + i.pension +
    i.familyPlanning + i.ecoCompensation + i.dibaoPayment + i.tekunPayment + i.otherTransfer - i.operatingExpense;
}

/**
 * Income of the current year, built item by item from the members, then brought to a target per-capita
 * net income that depends on the status (remaining poor below the exit standard, some exited households
 * under the warning line); the previous year is the current one without a year of growth.
 */
function income(rng: Rng, d: Draft, status: HouseholdStatusCode, belowWarning: boolean, returned: boolean): void {
  const { h, ages, size } = d;
  const cur = h.income[1];
  const registered = status !== 'ordinary';
  for (let i = 0; i < h.members.length; i++) {
    const m = h.members[i]!;
    const age = ages[i]!;
    if (m.workMonths && m.monthlyWorkIncome) cur.otherWage += m.workMonths * m.monthlyWorkIncome;
    if (m.publicWelfareMonths) cur.publicWelfareWage += m.publicWelfareMonths * rng.int(45, 80) * 10;
    if (age >= 60) {
      cur.pension += m.medicalInsurance === 'employee' ? rng.int(2200, 3200) * 12 : rng.int(110, 200) * 12;
      if (rng.chance(0.08)) cur.familyPlanning += 960;
    }
    if (m.health.includes('disabled')) cur.otherTransfer += rng.int(50, 100) * 12;
    if (age >= 80) cur.otherTransfer += rng.int(50, 100) * 12;
    if (m.health.includes('chronic')) cur.compliantOutOfPocket += rng.int(300, 2500);
    if (m.health.includes('serious_illness')) cur.compliantOutOfPocket += rng.int(3000, 22000);
  }
  if (h.dibao !== 'none') cur.dibaoPayment = size * rng.int(280, 430) * 12;
  if (h.tekun !== 'none') cur.tekunPayment = size * rng.int(600, 820) * 12;
  if (registered && rng.chance(0.65)) cur.assetDividend = rng.int(30, 150) * 10;
  if (rng.chance(0.18)) cur.otherPropertyIncome = h.land.cultivated ? fen(h.land.cultivated * rng.int(300, 600)) : rng.int(20, 100) * 10;
  if (h.land.returnedForest || h.land.forest) cur.ecoCompensation = fen((h.land.returnedForest ?? 0) * rng.int(90, 125) + (h.land.forest ?? 0) * rng.int(10, 20));
  if (rng.chance(0.05)) cur.otherTransfer += rng.int(50, 300) * 10;

  // target per-capita net income
  let target: number;
  if (status === 'poor') target = rng.range(2400, C.EXIT_STANDARD - 10);
  else if (returned) target = rng.range(3000, C.EXIT_STANDARD - 10);
  else if (belowWarning) target = rng.chance(0.12) ? rng.range(3000, 4000) : rng.range(4000, C.WARNING_LINE - 10);
  else if (status === 'ordinary') target = rng.range(5600, 9500);
  else target = Math.max(C.WARNING_LINE + rng.range(50, 900), rng.logNormal(C.EXITED_INCOME_MEDIAN, C.EXITED_INCOME_SIGMA));
  const want = target * size;

  const capped = status === 'poor' || returned || belowWarning;
  let fixed = net(cur);
  if (capped && fixed > want * 0.9) {
    // less work this year: reduce wages (months, then pay), then transfers, to stay under the target
    for (const m of h.members) {
      if (fixed <= want * 0.85) break;
      if (!m.workMonths || !m.monthlyWorkIncome) continue;
      const before = m.workMonths * m.monthlyWorkIncome;
      const room = Math.max(0, before - (fixed - want * 0.8));
      let after = 0;
      if (room < 800) {
        // did not work this year
        m.workMonths = 0;
        m.workPlace = null;
        m.employer = null;
        m.monthlyWorkIncome = null;
      } else {
        const months = Math.max(1, Math.min(m.workMonths, Math.floor(room / m.monthlyWorkIncome)));
        m.workMonths = months;
        if (months * m.monthlyWorkIncome > room) m.monthlyWorkIncome = Math.max(800, Math.floor(room / months / 10) * 10);
        after = months * m.monthlyWorkIncome;
      }
      cur.otherWage -= before - after;
      fixed -= before - after;
    }
    if (fixed > want * 0.9 && cur.publicWelfareWage > 0) {
      // no public-welfare post this year
      for (const m of h.members) m.publicWelfareMonths = null;
      fixed -= cur.publicWelfareWage;
      cur.publicWelfareWage = 0;
    }
    if (fixed > want * 0.9) {
      const scale = Math.max(0, (want * 0.85 - (cur.otherWage + cur.publicWelfareWage)) / Math.max(1, fixed - cur.otherWage - cur.publicWelfareWage));
      if (scale < 1) {
        for (const k of ['assetDividend', 'otherPropertyIncome', 'pension', 'familyPlanning', 'ecoCompensation', 'dibaoPayment', 'tekunPayment', 'otherTransfer'] as const) {
          cur[k] = fen(cur[k] * scale);
        }
      }
      fixed = net(cur);
    }
  }
  // operating income (farming, livestock) fills the gap; expenses are a share of the gross
  const gap = want - fixed;
  const expenseRatio = rng.range(0.2, 0.45);
  if (h.land.cultivated === null && gap <= 0) {
    // no farming
  } else if (gap < -3000 && !capped && rng.chance(0.06)) {
    cur.operatingIncome = -rng.int(20, 200) * 10; // a failed season
    cur.operatingExpense = rng.int(50, 300) * 10;
  } else if (gap > 0) {
    const gross = gap / (1 - expenseRatio);
    cur.operatingIncome = fen(gross);
    cur.operatingExpense = fen(gross - gap);
  } else if (!capped) {
    const gross = (h.land.cultivated ?? 1) * rng.int(500, 1100);
    cur.operatingIncome = fen(gross);
    cur.operatingExpense = fen(gross * expenseRatio);
  }
  for (const k of INCOME_KEYS) cur[k] = fen(cur[k]);
  const prev = h.income[0];
  const growth = 1 + rng.range(C.INCOME_GROWTH_MIN, C.INCOME_GROWTH_MAX);
  for (const k of INCOME_KEYS) prev[k] = k === 'compliantOutOfPocket' ? fen(cur[k] * rng.range(0.6, 1.3)) : fen(cur[k] / growth);
  if (returned) {
    // fell back this year: last year's income was above the line
    for (const k of ['otherWage', 'operatingIncome'] as const) prev[k] = fen(prev[k] * 1.6 + 2000 * size);
  }
}

/** Monitoring flags, types and ordered risk types, for the two years. */
function monitoring(rng: Rng, d: Draft, belowWarning: boolean, returned: boolean): void {
  const { h } = d;
  const cur = h.status[1];
  const prev = h.status[0];
  let type: MonitoredTypeCode | null = null;
  if (cur.status === 'ordinary') type = rng.chance(C.EDGE_MONITORED_SHARE) ? 'marginal' : null;
  else if (cur.status === 'exited') type = rng.chance(belowWarning ? C.UNSTABLE_EXITED_SHARE_BELOW_WARNING : C.UNSTABLE_EXITED_SHARE) ? 'unstable_exited' : null;
  if (returned) {
    cur.status = 'returned';
    type = 'unstable_exited';
  }
  if (type === null && rng.chance(C.SUDDEN_HARDSHIP_SHARE)) {
    type = 'sudden_hardship';
    h.income[1].compliantOutOfPocket = fen(h.income[1].compliantOutOfPocket + rng.int(2000, 6000) * 10);
  }
  // last year's status: a returned household was still exited
  if (cur.status === 'returned') prev.status = 'exited';
  const risks = type ? riskTypes(rng, d, type) : [];
  if (type) {
    cur.monitored = true;
    cur.monitoredType = type;
    cur.riskTypes = risks;
    if (type !== 'sudden_hardship' && rng.chance(0.75)) {
      prev.monitored = true;
      prev.monitoredType = type;
      prev.riskTypes = [...risks];
    }
  } else if (h.status[1].status === 'exited' && rng.chance(C.UNSTABLE_EXITED_SHARE * C.RISK_ELIMINATED_SHARE * 4)) {
    // monitored last year, risk eliminated this year
    prev.monitored = true;
    prev.monitoredType = 'unstable_exited';
    prev.riskTypes = riskTypes(rng, d, 'unstable_exited');
  }
}

function riskTypes(rng: Rng, d: Draft, type: MonitoredTypeCode): RiskTypeCode[] {
  const { h, ages, hasLabour } = d;
  const out: RiskTypeCode[] = [];
  const add = (r: RiskTypeCode) => {
    if (out.length < 5 && !out.includes(r)) out.push(r);
  };
  if (type === 'sudden_hardship') add(rng.chance(0.6) ? 'illness' : rng.chance(0.5) ? 'accident' : 'natural_disaster');
  const fromCause = h.mainCause ? riskOfCause[h.mainCause] : undefined;
  if (fromCause) add(fromCause);
  const sick = h.members.some((m) => m.health.includes('serious_illness') || m.health.includes('chronic'));
  if (sick && rng.chance(0.7)) add('illness');
  if (h.members.some((m) => m.health.includes('disabled')) && rng.chance(0.6)) add('disability');
  if (!hasLabour) add('lack_labour');
  if (h.members.some((m) => m.workMonths) && rng.chance(0.3)) add('unstable_employment');
  if (ages.some((a) => a >= 16 && a <= 22) && rng.chance(0.3)) add('schooling');
  if (h.housingRating === 'C' || h.housingRating === 'D') add('housing');
  if (!h.safeWater) add('drinking_water');
  if (rng.chance(0.03)) add('industry_failure');
  if (out.length === 0) add(h.members.some((m) => m.workMonths) && rng.chance(0.5) ? 'unstable_employment' : 'other');
  return out;
}
