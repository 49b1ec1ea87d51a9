/**
 * Code tables of the household registry (建档立卡). Every enumerated field is stored as a short,
 * stable ASCII code; the Chinese label is what users see and what spreadsheets contain. The same
 * tables are used by the server, the web app and the import.
 *
 * `aliases` are other spellings met in real spreadsheets (older names, short forms); they are only
 * used by codeByLabel, never shown.
 */

export interface CodeEntry {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly aliases?: readonly string[];
}

export type CodeTable = readonly CodeEntry[];
export type CodeOf<T extends CodeTable> = T[number]['code'];
export type Lang = 'zh' | 'en';

/** 证件类型 */
export const ID_TYPES = [
  { code: 'resident_id', zh: '居民身份证', en: 'Resident identity card', aliases: ['身份证'] },
  { code: 'disability_cert', zh: '残疾人证', en: 'Disability certificate' },
] as const satisfies CodeTable;
export type IdType = CodeOf<typeof ID_TYPES>;

/** 户属性 */
export const HOUSEHOLD_ATTRIBUTES = [
  { code: 'general_poor', zh: '一般贫困户', en: 'Ordinary poor household' },
  { code: 'dibao_poor', zh: '低保贫困户', en: 'Poor household on minimum living allowance' },
  { code: 'tekun_poor', zh: '特困供养户', en: 'Poor household in destitute-person support', aliases: ['特困供养贫困户'] },
  { code: 'dibao', zh: '低保户', en: 'Minimum living allowance household' },
  { code: 'wubao', zh: '五保户', en: 'Five-guarantees household' },
  { code: 'none', zh: '一般农户', en: 'Ordinary rural household (none)', aliases: ['无'] },
] as const satisfies CodeTable;
export type HouseholdAttributeCode = CodeOf<typeof HOUSEHOLD_ATTRIBUTES>;

/** 户状态 (per year) */
export const HOUSEHOLD_STATUSES = [
  { code: 'ordinary', zh: '一般农户', en: 'Ordinary rural household' },
  { code: 'poor', zh: '未脱贫户', en: 'Poor, not yet exited' },
  { code: 'exited', zh: '已脱贫户', en: 'Exited poverty', aliases: ['脱贫户'] },
  { code: 'returned', zh: '返贫户', en: 'Returned to poverty' },
] as const satisfies CodeTable;
export type HouseholdStatusCode = CodeOf<typeof HOUSEHOLD_STATUSES>;

/** 监测对象类型 */
export const MONITORED_TYPES = [
  { code: 'unstable_exited', zh: '脱贫不稳定户', en: 'Unstable exited household' },
  { code: 'marginal', zh: '边缘易致贫户', en: 'Marginal household at risk of poverty' },
  { code: 'sudden_hardship', zh: '突发严重困难户', en: 'Household in sudden severe hardship' },
] as const satisfies CodeTable;
export type MonitoredTypeCode = CodeOf<typeof MONITORED_TYPES>;

/** 致贫原因 (main and other causes) */
export const POVERTY_CAUSES = [
  { code: 'illness', zh: '因病', en: 'Illness' },
  { code: 'disability', zh: '因残', en: 'Disability' },
  { code: 'schooling', zh: '因学', en: 'Schooling costs' },
  { code: 'disaster', zh: '因灾', en: 'Disaster' },
  { code: 'lack_land', zh: '缺土地', en: 'Lack of land' },
  { code: 'lack_water', zh: '缺水', en: 'Lack of water' },
  { code: 'lack_skills', zh: '缺技术', en: 'Lack of skills' },
  { code: 'lack_labour', zh: '缺劳力', en: 'Lack of labour', aliases: ['缺劳动力'] },
  { code: 'lack_funds', zh: '缺资金', en: 'Lack of funds' },
  { code: 'poor_transport', zh: '交通条件落后', en: 'Poor transport' },
  { code: 'low_motivation', zh: '自身发展动力不足', en: 'Lack of own drive' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies CodeTable;
export type PovertyCauseCode = CodeOf<typeof POVERTY_CAUSES>;

/** 风险类型 (up to five per monitored household, ordered) */
export const RISK_TYPES = [
  { code: 'illness', zh: '因病', en: 'Illness' },
  { code: 'disability', zh: '因残', en: 'Disability' },
  { code: 'schooling', zh: '因学', en: 'Schooling costs' },
  { code: 'natural_disaster', zh: '因自然灾害', en: 'Natural disaster', aliases: ['因灾'] },
  { code: 'accident', zh: '因意外事故', en: 'Accident' },
  { code: 'industry_failure', zh: '因产业项目失败', en: 'Failed industry project' },
  { code: 'unstable_employment', zh: '因务工就业不稳', en: 'Unstable employment' },
  { code: 'lack_labour', zh: '缺劳动力', en: 'Lack of labour', aliases: ['缺劳力'] },
  { code: 'housing', zh: '因安全住房', en: 'Housing safety' },
  { code: 'drinking_water', zh: '因安全饮水', en: 'Drinking water safety' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies CodeTable;
export type RiskTypeCode = CodeOf<typeof RISK_TYPES>;

/** 与户主关系 */
export const RELATIONS = [
  { code: 'head', zh: '户主', en: 'Head of household', aliases: ['本人'] },
  { code: 'spouse', zh: '配偶', en: 'Spouse' },
  { code: 'son', zh: '之子', en: 'Son' },
  { code: 'daughter', zh: '之女', en: 'Daughter' },
  { code: 'daughter_in_law', zh: '之儿媳', en: 'Daughter-in-law' },
  { code: 'grandson', zh: '之孙子', en: 'Grandson' },
  { code: 'granddaughter', zh: '之孙女', en: 'Granddaughter' },
  { code: 'father', zh: '之父', en: 'Father' },
  { code: 'mother', zh: '之母', en: 'Mother' },
  { code: 'sibling', zh: '兄弟姐妹', en: 'Sibling' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies CodeTable;
export type RelationCode = CodeOf<typeof RELATIONS>;

/** 性别 */
export const SEXES = [
  { code: 'male', zh: '男', en: 'Male' },
  { code: 'female', zh: '女', en: 'Female' },
] as const satisfies CodeTable;
export type SexCode = CodeOf<typeof SEXES>;

/** 民族: the 56 ethnic groups with their GB 3304 two-digit codes, plus 97 其他 and 98 外国血统中国籍人士. */
export const ETHNICITIES = [
  { code: '01', zh: '汉族', en: 'Han' },
  { code: '02', zh: '蒙古族', en: 'Mongol' },
  { code: '03', zh: '回族', en: 'Hui' },
  { code: '04', zh: '藏族', en: 'Tibetan' },
  { code: '05', zh: '维吾尔族', en: 'Uyghur' },
  { code: '06', zh: '苗族', en: 'Miao' },
  { code: '07', zh: '彝族', en: 'Yi' },
  { code: '08', zh: '壮族', en: 'Zhuang' },
  { code: '09', zh: '布依族', en: 'Buyei' },
  { code: '10', zh: '朝鲜族', en: 'Korean' },
  { code: '11', zh: '满族', en: 'Manchu' },
  { code: '12', zh: '侗族', en: 'Dong' },
  { code: '13', zh: '瑶族', en: 'Yao' },
  { code: '14', zh: '白族', en: 'Bai' },
  { code: '15', zh: '土家族', en: 'Tujia' },
  { code: '16', zh: '哈尼族', en: 'Hani' },
  { code: '17', zh: '哈萨克族', en: 'Kazakh' },
  { code: '18', zh: '傣族', en: 'Dai' },
  { code: '19', zh: '黎族', en: 'Li' },
  { code: '20', zh: '傈僳族', en: 'Lisu' },
  { code: '21', zh: '佤族', en: 'Va' },
  { code: '22', zh: '畲族', en: 'She' },
  { code: '23', zh: '高山族', en: 'Gaoshan' },
  { code: '24', zh: '拉祜族', en: 'Lahu' },
  { code: '25', zh: '水族', en: 'Sui' },
  { code: '26', zh: '东乡族', en: 'Dongxiang' },
  { code: '27', zh: '纳西族', en: 'Naxi' },
  { code: '28', zh: '景颇族', en: 'Jingpo' },
  { code: '29', zh: '柯尔克孜族', en: 'Kyrgyz' },
  { code: '30', zh: '土族', en: 'Tu' },
  { code: '31', zh: '达斡尔族', en: 'Daur' },
  { code: '32', zh: '仫佬族', en: 'Mulao' },
  { code: '33', zh: '羌族', en: 'Qiang' },
  { code: '34', zh: '布朗族', en: 'Blang' },
  { code: '35', zh: '撒拉族', en: 'Salar' },
  { code: '36', zh: '毛南族', en: 'Maonan', aliases: ['毛难族'] },
  { code: '37', zh: '仡佬族', en: 'Gelao' },
  { code: '38', zh: '锡伯族', en: 'Xibe' },
  { code: '39', zh: '阿昌族', en: 'Achang' },
  { code: '40', zh: '普米族', en: 'Pumi' },
  { code: '41', zh: '塔吉克族', en: 'Tajik' },
  { code: '42', zh: '怒族', en: 'Nu' },
  { code: '43', zh: '乌孜别克族', en: 'Uzbek' },
  { code: '44', zh: '俄罗斯族', en: 'Russian' },
  { code: '45', zh: '鄂温克族', en: 'Evenki' },
  { code: '46', zh: '德昂族', en: "De'ang", aliases: ['崩龙族'] },
  { code: '47', zh: '保安族', en: 'Bonan' },
  { code: '48', zh: '裕固族', en: 'Yugur' },
  { code: '49', zh: '京族', en: 'Gin' },
  { code: '50', zh: '塔塔尔族', en: 'Tatar' },
  { code: '51', zh: '独龙族', en: 'Derung' },
  { code: '52', zh: '鄂伦春族', en: 'Oroqen' },
  { code: '53', zh: '赫哲族', en: 'Hezhen' },
  { code: '54', zh: '门巴族', en: 'Monpa' },
  { code: '55', zh: '珞巴族', en: 'Lhoba' },
  { code: '56', zh: '基诺族', en: 'Jino' },
  { code: '97', zh: '其他', en: 'Other', aliases: ['其它'] },
  { code: '98', zh: '外国血统中国籍人士', en: 'Chinese citizen of foreign origin', aliases: ['外国血统'] },
] as const satisfies CodeTable;
export type EthnicityCode = CodeOf<typeof ETHNICITIES>;

/** 文化程度 */
export const EDUCATION_LEVELS = [
  { code: 'illiterate', zh: '文盲或半文盲', en: 'Illiterate or semi-literate', aliases: ['文盲', '半文盲', '文盲/半文盲'] },
  { code: 'primary', zh: '小学', en: 'Primary school' },
  { code: 'junior', zh: '初中', en: 'Junior high school' },
  { code: 'senior', zh: '高中', en: 'Senior high school', aliases: ['高中及中专', '中专'] },
  { code: 'college', zh: '大专', en: 'Junior college' },
  { code: 'bachelor_plus', zh: '本科及以上', en: "Bachelor's degree or above" },
] as const satisfies CodeTable;
export type EducationCode = CodeOf<typeof EDUCATION_LEVELS>;

/** 在校生状况 */
export const SCHOOL_STATUSES = [
  { code: 'preschool', zh: '学龄前', en: 'Preschool age', aliases: ['学前教育', '学龄前儿童'] },
  { code: 'primary_1', zh: '小学一年级', en: 'Primary grade 1' },
  { code: 'primary_2', zh: '小学二年级', en: 'Primary grade 2' },
  { code: 'primary_3', zh: '小学三年级', en: 'Primary grade 3' },
  { code: 'primary_4', zh: '小学四年级', en: 'Primary grade 4' },
  { code: 'primary_5', zh: '小学五年级', en: 'Primary grade 5' },
  { code: 'primary_6', zh: '小学六年级', en: 'Primary grade 6' },
  { code: 'junior_7', zh: '七年级', en: 'Grade 7', aliases: ['初中一年级', '初一'] },
  { code: 'junior_8', zh: '八年级', en: 'Grade 8', aliases: ['初中二年级', '初二'] },
  { code: 'junior_9', zh: '九年级', en: 'Grade 9', aliases: ['初中三年级', '初三'] },
  { code: 'senior_1', zh: '高中一年级', en: 'Senior high grade 1', aliases: ['高一'] },
  { code: 'senior_2', zh: '高中二年级', en: 'Senior high grade 2', aliases: ['高二'] },
  { code: 'senior_3', zh: '高中三年级', en: 'Senior high grade 3', aliases: ['高三'] },
  { code: 'secondary_vocational', zh: '中职', en: 'Secondary vocational school' },
  { code: 'higher_vocational', zh: '高职', en: 'Higher vocational college' },
  { code: 'college', zh: '大专', en: 'Junior college' },
  { code: 'bachelor_plus', zh: '本科及以上', en: "Bachelor's or above" },
  { code: 'not_in_school', zh: '非在校生', en: 'Not in school', aliases: ['非在校'] },
] as const satisfies CodeTable;
export type SchoolStatusCode = CodeOf<typeof SCHOOL_STATUSES>;

/** 义务教育阶段未上学原因 */
export const DROPOUT_REASONS = [
  { code: 'illness', zh: '因病', en: 'Illness' },
  { code: 'disability', zh: '因残', en: 'Disability' },
  { code: 'weariness', zh: '厌学', en: 'Weariness of school' },
  { code: 'family_hardship', zh: '家庭困难', en: 'Family hardship' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies CodeTable;
export type DropoutReasonCode = CodeOf<typeof DROPOUT_REASONS>;

/** 健康状况 — a member may have several (a set); 健康 excludes the others. */
export const HEALTH_CONDITIONS = [
  { code: 'healthy', zh: '健康', en: 'Healthy' },
  { code: 'chronic', zh: '长期慢性病', en: 'Long-term chronic disease' },
  { code: 'serious_illness', zh: '患有大病', en: 'Serious illness' },
  { code: 'disabled', zh: '残疾', en: 'Disability' },
] as const satisfies CodeTable;
export type HealthCode = CodeOf<typeof HEALTH_CONDITIONS>;

/** 残疾类别 (GB/T 26341): the code is the digit used in the disability certificate number. */
export const DISABILITY_CATEGORIES = [
  { code: '1', zh: '视力残疾', en: 'Visual', aliases: ['视力'] },
  { code: '2', zh: '听力残疾', en: 'Hearing', aliases: ['听力'] },
  { code: '3', zh: '言语残疾', en: 'Speech', aliases: ['言语'] },
  { code: '4', zh: '肢体残疾', en: 'Physical', aliases: ['肢体'] },
  { code: '5', zh: '智力残疾', en: 'Intellectual', aliases: ['智力'] },
  { code: '6', zh: '精神残疾', en: 'Mental', aliases: ['精神'] },
  { code: '7', zh: '多重残疾', en: 'Multiple', aliases: ['多重'] },
] as const satisfies CodeTable;
export type DisabilityCategoryCode = CodeOf<typeof DISABILITY_CATEGORIES>;

/** 残疾等级: the code is the digit used in the disability certificate number. */
export const DISABILITY_GRADES = [
  { code: '1', zh: '一级', en: 'Grade 1', aliases: ['1级'] },
  { code: '2', zh: '二级', en: 'Grade 2', aliases: ['2级'] },
  { code: '3', zh: '三级', en: 'Grade 3', aliases: ['3级'] },
  { code: '4', zh: '四级', en: 'Grade 4', aliases: ['4级'] },
] as const satisfies CodeTable;
export type DisabilityGradeCode = CodeOf<typeof DISABILITY_GRADES>;

/** 劳动技能 */
export const LABOUR_SKILLS = [
  { code: 'ordinary', zh: '普通劳动力', en: 'Ordinary labour' },
  { code: 'skilled', zh: '技能劳动力', en: 'Skilled labour' },
  { code: 'weak', zh: '弱劳动力或半劳动力', en: 'Weak or half labour', aliases: ['弱劳动力', '半劳动力'] },
  { code: 'lost', zh: '丧失劳动力', en: 'Lost labour capacity' },
  { code: 'none', zh: '无劳动力', en: 'No labour capacity' },
] as const satisfies CodeTable;
export type LabourSkillCode = CodeOf<typeof LABOUR_SKILLS>;

/** Labour skills that count as having labour capacity (有劳动能力). */
export const LABOUR_CAPABLE: readonly LabourSkillCode[] = ['ordinary', 'skilled', 'weak'];
/** Labour skills that count as full labour (普通 or 技能). */
export const FULL_LABOUR: readonly LabourSkillCode[] = ['ordinary', 'skilled'];

/** 务工地点 */
export const WORK_PLACES = [
  { code: 'township', zh: '乡镇内', en: 'Within the township' },
  { code: 'county', zh: '县内乡外', en: 'Within the county, outside the township' },
  { code: 'province', zh: '县外省内', en: 'Within the province, outside the county' },
  { code: 'out_of_province', zh: '省外', en: 'Outside the province' },
  { code: 'abroad', zh: '境外', en: 'Abroad' },
] as const satisfies CodeTable;
export type WorkPlaceCode = CodeOf<typeof WORK_PLACES>;

/** 基本医疗保险 */
export const MEDICAL_INSURANCES = [
  { code: 'resident', zh: '城乡居民基本医疗保险', en: 'Urban-rural resident basic medical insurance', aliases: ['城乡居民医保', '居民医保'] },
  { code: 'employee', zh: '职工基本医疗保险', en: 'Employee basic medical insurance', aliases: ['职工医保'] },
  { code: 'none', zh: '未参保', en: 'Not insured', aliases: ['无'] },
] as const satisfies CodeTable;
export type MedicalInsuranceCode = CodeOf<typeof MEDICAL_INSURANCES>;

/** 低保 */
export const DIBAO_TYPES = [
  { code: 'rural', zh: '农村', en: 'Rural', aliases: ['农村低保'] },
  { code: 'urban', zh: '城市', en: 'Urban', aliases: ['城市低保'] },
  { code: 'none', zh: '无', en: 'None', aliases: ['否'] },
] as const satisfies CodeTable;
export type DibaoCode = CodeOf<typeof DIBAO_TYPES>;

/** 特困供养 */
export const TEKUN_TYPES = [
  { code: 'rural', zh: '农村', en: 'Rural', aliases: ['农村特困', '农村特困供养'] },
  { code: 'urban', zh: '城市', en: 'Urban', aliases: ['城市特困', '城市特困供养'] },
  { code: 'none', zh: '无', en: 'None', aliases: ['否'] },
] as const satisfies CodeTable;
export type TekunCode = CodeOf<typeof TEKUN_TYPES>;

/** 住房安全等级 (appraised by the housing department): A and B are safe, C and D dangerous. */
export const HOUSING_RATINGS = [
  { code: 'A', zh: 'A级', en: 'Grade A (safe)' },
  { code: 'B', zh: 'B级', en: 'Grade B (safe)' },
  { code: 'C', zh: 'C级', en: 'Grade C (dangerous)', aliases: ['C级危房'] },
  { code: 'D', zh: 'D级', en: 'Grade D (dangerous)', aliases: ['D级危房'] },
] as const satisfies CodeTable;
export type HousingRatingCode = CodeOf<typeof HOUSING_RATINGS>;
export const SAFE_HOUSING_RATINGS: readonly HousingRatingCode[] = ['A', 'B'];

/** 入户路类型 */
export const ROAD_TYPES = [
  { code: 'hardened', zh: '硬化路', en: 'Hardened road' },
  { code: 'gravel', zh: '砂石路', en: 'Gravel road', aliases: ['沙石路'] },
  { code: 'dirt', zh: '土路', en: 'Dirt road' },
  { code: 'none', zh: '无', en: 'None' },
] as const satisfies CodeTable;
export type RoadTypeCode = CodeOf<typeof ROAD_TYPES>;

/** 主要燃料类型 */
export const FUELS = [
  { code: 'firewood', zh: '柴草', en: 'Firewood and straw' },
  { code: 'coal', zh: '煤', en: 'Coal' },
  { code: 'electricity', zh: '电', en: 'Electricity' },
  { code: 'gas', zh: '燃气', en: 'Gas' },
  { code: 'biogas', zh: '沼气', en: 'Biogas' },
  { code: 'solar', zh: '太阳能', en: 'Solar' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies CodeTable;
export type FuelCode = CodeOf<typeof FUELS>;

/** 饮水安全问题原因 */
export const WATER_PROBLEMS = [
  { code: 'quantity', zh: '水量不足', en: 'Insufficient quantity' },
  { code: 'quality', zh: '水质不达标', en: 'Quality below standard' },
  { code: 'access', zh: '取水不便', en: 'Inconvenient access' },
  { code: 'reliability', zh: '保障率不足', en: 'Insufficient reliability' },
] as const satisfies CodeTable;
export type WaterProblemCode = CodeOf<typeof WATER_PROBLEMS>;

/** All registry code tables by name, for generic form widgets and the import. */
export const REGISTRY_CODE_TABLES = {
  idType: ID_TYPES,
  householdAttribute: HOUSEHOLD_ATTRIBUTES,
  householdStatus: HOUSEHOLD_STATUSES,
  monitoredType: MONITORED_TYPES,
  povertyCause: POVERTY_CAUSES,
  riskType: RISK_TYPES,
  relation: RELATIONS,
  sex: SEXES,
  ethnicity: ETHNICITIES,
  education: EDUCATION_LEVELS,
  schoolStatus: SCHOOL_STATUSES,
  dropoutReason: DROPOUT_REASONS,
  health: HEALTH_CONDITIONS,
  disabilityCategory: DISABILITY_CATEGORIES,
  disabilityGrade: DISABILITY_GRADES,
  labourSkill: LABOUR_SKILLS,
  workPlace: WORK_PLACES,
  medicalInsurance: MEDICAL_INSURANCES,
  dibao: DIBAO_TYPES,
  tekun: TEKUN_TYPES,
  housingRating: HOUSING_RATINGS,
  roadType: ROAD_TYPES,
  fuel: FUELS,
  waterProblem: WATER_PROBLEMS,
} as const satisfies Record<string, CodeTable>;
export type RegistryCodeTableName = keyof typeof REGISTRY_CODE_TABLES;

/** True when value is one of the table's codes (exact match). */
export function isCode<T extends CodeTable>(table: T, value: unknown): value is CodeOf<T> {
  return typeof value === 'string' && table.some((e) => e.code === value);
}

/** The label of a code in the given language; null when the code is missing or unknown. */
export function label<T extends CodeTable>(table: T, code: string | null | undefined, lang: Lang = 'zh'): string | null {
  if (code === null || code === undefined) return null;
  const entry = table.find((e) => e.code === code);
  return entry ? entry[lang] : null;
}

/** Full-width ASCII (Ａ１) to half-width, and every kind of white space removed. */
function normalizeLabel(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\u00A0]/g, '');
}

/**
 * The code for a label read from a spreadsheet or typed by a user. Accepts the code itself
 * (codes compared case-insensitively; numeric codes also without leading zeros), the Chinese label,
 * a known alias, an ethnic group without 族, or the English label (case-insensitive). White space
 * and full-width characters are tolerated. Null when unknown.
 */
export function codeByLabel<T extends CodeTable>(table: T, input: string | null | undefined): CodeOf<T> | null {
  if (typeof input !== 'string') return null;
  const s = normalizeLabel(input);
  if (s === '') return null;
  const lower = s.toLowerCase();
  const found =
    table.find((e) => e.code === s) ??
    table.find((e) => normalizeLabel(e.zh) === s) ??
    table.find((e) => e.aliases?.some((a) => normalizeLabel(a) === s)) ??
    table.find((e) => e.code.toLowerCase() === lower) ??
    // numeric codes that lost their leading zero in a spreadsheet ('1' for '01')
    (/^\d+$/.test(s) ? table.find((e) => /^\d+$/.test(e.code) && Number(e.code) === Number(s)) : undefined) ??
    // ethnic group names written without 族 ('汉' for '汉族')
    table.find((e) => e.zh.endsWith('族') && normalizeLabel(e.zh) === `${s}族`) ??
    table.find((e) => normalizeLabel(e.en).toLowerCase() === lower);
  return found ? (found.code as CodeOf<T>) : null;
}
