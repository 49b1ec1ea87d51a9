/**
 * Plain data types of the household registry (建档立卡). Field names are camelCase; the database
 * uses the same names in snake_case. `null` means "not recorded".
 */
import type {
  DibaoCode, DisabilityCategoryCode, DisabilityGradeCode, DropoutReasonCode, EducationCode, EthnicityCode, FuelCode,
  HealthCode, HouseholdAttributeCode, IdType, HouseholdStatusCode, HousingRatingCode, LabourSkillCode, MedicalInsuranceCode,
  MonitoredTypeCode, PovertyCauseCode, RelationCode, RiskTypeCode, RoadTypeCode, SchoolStatusCode, SexCode, TekunCode,
  WaterProblemCode, WorkPlaceCode,
} from './codes';

/** Land holdings in 亩 (mu). */
export interface LandAreas {
  /** 耕地 */
  cultivated: number | null;
  /** 林地 */
  forest: number | null;
  /** 退耕还林 */
  returnedForest: number | null;
  /** 林果 */
  orchard: number | null;
  /** 牧草地 */
  pasture: number | null;
  /** 水面 */
  waterSurface: number | null;
}

export interface Household {
  /** 户编号 */
  householdNo: string;
  /** 12-digit village code (统计用区划代码) */
  villageCode: string;
  /** 6-digit county code, the first six digits of villageCode */
  countyCode: string;
  address: string | null;
  phone: string | null;
  /** 户属性 */
  attribute: HouseholdAttributeCode | null;
  /** 军烈属 */
  isMilitaryFamily: boolean | null;
  /** 识别年度 */
  identifiedYear: number | null;
  /** 脱贫年度 */
  exitYear: number | null;
  /** 主要致贫原因 */
  mainCause: PovertyCauseCode | null;
  /** 其他致贫原因, at most two */
  otherCauses: PovertyCauseCode[];
  land: LandAreas;

  // Housing and living conditions
  /** 住房安全等级 A–D */
  housingRating: HousingRatingCode | null;
  /** 住房面积 m² */
  housingArea: number | null;
  /** 易地扶贫搬迁户 */
  relocated: boolean | null;
  /** 搬迁户已拿到新房钥匙 (moved-in keys received) */
  relocationKeysReceived: boolean | null;
  /** 饮水安全 */
  safeWater: boolean | null;
  /** why the water is not safe (only when safeWater is false) */
  waterProblem: WaterProblemCode | null;
  /** 入户路类型 */
  roadType: RoadTypeCode | null;
  /** 与村主干路距离 km */
  roadDistanceKm: number | null;
  /** 通生活用电 */
  electricity: boolean | null;
  /** 有卫生厕所 */
  sanitaryToilet: boolean | null;
  /** 主要燃料类型 */
  fuel: FuelCode | null;

  // Social security
  /** 低保 */
  dibao: DibaoCode | null;
  /** 特困供养 */
  tekun: TekunCode | null;
  /** 整户无劳动能力兜底保障户 */
  wholeNoLabour: boolean | null;
}

export interface Member {
  idType: IdType;
  /** 证件号码: 18-character resident ID or 20/22-character disability certificate number */
  idNumber: string;
  name: string;
  relation: RelationCode | null;
  sex: SexCode | null;
  /** 'YYYY-MM-DD' */
  birthDate: string | null;
  ethnicity: EthnicityCode | null;
  /** 文化程度 */
  education: EducationCode | null;
  /** 在校生状况 */
  schoolStatus: SchoolStatusCode | null;
  /** 义务教育阶段未上学原因 */
  dropoutReason: DropoutReasonCode | null;
  /** 健康状况: a set; ['healthy'] alone or any combination of the others */
  health: HealthCode[];
  disabilityCategory: DisabilityCategoryCode | null;
  disabilityGrade: DisabilityGradeCode | null;
  /** 劳动技能 */
  labour: LabourSkillCode | null;
  /** 务工时间 (months this year, 0–12) */
  workMonths: number | null;
  /** 务工地点 */
  workPlace: WorkPlaceCode | null;
  /** 务工企业名称 */
  employer: string | null;
  /** 公益性岗位 (months this year, 0–12) */
  publicWelfareMonths: number | null;
  /** 月务工收入 yuan */
  monthlyWorkIncome: number | null;
  /** 基本医疗保险: exactly one of resident / employee; 'none' records an uninsured person */
  medicalInsurance: MedicalInsuranceCode | null;
  /** 大病保险 */
  criticalIllnessInsurance: boolean | null;
  /** 补充医疗保险（商业） */
  commercialMedicalInsurance: boolean | null;
  /** 城乡居民基本养老保险 */
  pensionInsurance: boolean | null;
  /** 享受医疗救助 */
  medicalAid: boolean | null;
  dibao: DibaoCode | null;
  tekun: TekunCode | null;
  phone: string | null;
}

/**
 * Income of one household for one year (the 12 months before the assessment), in yuan.
 * The item keys are the keys of INCOME_ITEMS (income.ts); a missing item counts as 0.
 */
export interface IncomeRecord {
  householdNo: string;
  year: number;
  /** 公益性岗位收入 */
  publicWelfareWage: number | null;
  /** 其他工资性收入 */
  otherWage: number | null;
  /** 生产经营性收入 (may be negative) */
  operatingIncome: number | null;
  /** 资产收益扶贫分红 */
  assetDividend: number | null;
  /** 其他财产性收入 */
  otherPropertyIncome: number | null;
  /** 养老金或离退休金 */
  pension: number | null;
  /** 计划生育金 */
  familyPlanning: number | null;
  /** 生态补偿金 */
  ecoCompensation: number | null;
  /** 最低生活保障金 */
  dibaoPayment: number | null;
  /** 特困人员救助供养金 */
  tekunPayment: number | null;
  /** 其他转移性收入 */
  otherTransfer: number | null;
  /** 生产经营性支出 */
  operatingExpense: number | null;
  /** 合规自付支出 (recorded for monitoring, not part of net income) */
  compliantOutOfPocket: number | null;
}

export type IncomeItemKey = Exclude<keyof IncomeRecord, 'householdNo' | 'year'>;

/** The status of a household in one year. */
export interface YearStatus {
  householdNo: string;
  year: number;
  status: HouseholdStatusCode;
  /** 脱贫年度 (for exited households) */
  exitYear: number | null;
  /** 是否监测对象 */
  monitored: boolean;
  monitoredType: MonitoredTypeCode | null;
  /** 风险类型: at most five, most important first */
  riskTypes: RiskTypeCode[];
}
