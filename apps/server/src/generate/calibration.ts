/**
 * Calibration of the synthetic registry: every number the generator uses to shape its output is here,
 * with the figure of the seeds it comes from (docs: /work/shared/DOMAIN.md §12; seeds 000 = Liaoning
 * end-2019 report "1.42万全部脱贫", 001 = 清河区2020年脱贫攻坚工作实施方案).
 *
 * Where the seeds give no figure the value is a stated assumption chosen to look like a north-eastern
 * registry after 2020: an old population, small households, illness and disability as leading causes.
 * These are demo-data shapes, not policy settings: policy values (lines, thresholds) belong to settings.
 */

/** Weights as [value, weight] pairs; weights need not sum to 1. */
export type Weights<T> = readonly (readonly [T, number])[];

// ---------------------------------------------------------------------------------------------
// Status shares

/**
 * Share of registered (建档立卡) persons still 未脱贫, over a whole province. Seed 000: Liaoning had
 * 14,228 poor people left at the end of 2019; the seeds do not give the registered total, so the share
 * is set so that a 1,000,000-person run of Liaoning has about 14,200 未脱贫 people, the seed's figure.
 */
export const POOR_PERSON_SHARE = 0.014228;

/**
 * Where the remaining poor people are, by city (seed 000, end of 2019, 14,228 people): "重点是朝阳市，占到总人数
 * 一半"; 铁岭市 1,819, 鞍山市 1,754, 营口市 1,169, 葫芦岛市 689, 阜新市 659, 锦州市 529. 朝阳 = half
 * (7,114); the 495 left over are spread over the other seven cities in proportion to their persons.
 */
export const POOR_PEOPLE_BY_CITY: Readonly<Record<string, number>> = {
  '2113': 7114, // 朝阳市: "占到总人数一半"
  '2112': 1819, // 铁岭市
  '2103': 1754, // 鞍山市
  '2108': 1169, // 营口市
  '2114': 689, // 葫芦岛市
  '2109': 659, // 阜新市
  '2107': 529, // 锦州市
};
/** Seed 000 total (1.42万). */
export const POOR_PEOPLE_TOTAL = 14228;

/**
 * Relative size of each city's registered population (assumption: the seeds give no per-city totals).
 * 辽西北 (朝阳, 葫芦岛, 阜新, 铁岭, 锦州) carries most of it, as the seeds' figures suggest: 朝阳 holds half
 * of the remaining poor and 葫芦岛 (71,000) and 朝阳 (50,000) most of the 210,000 exited people under
 * 5,000 yuan. Cities of other provinces get weight 1 per village.
 */
export const PERSONS_WEIGHT_BY_CITY: Readonly<Record<string, number>> = {
  '2113': 0.24, // 朝阳市
  '2114': 0.18, // 葫芦岛市
  '2109': 0.11, // 阜新市
  '2112': 0.1, // 铁岭市
  '2107': 0.08, // 锦州市
  '2103': 0.05, // 鞍山市
  '2101': 0.05, // 沈阳市
  '2108': 0.04, // 营口市
  '2104': 0.04, // 抚顺市
  '2106': 0.03, // 丹东市
  '2102': 0.03, // 大连市
  '2105': 0.02, // 本溪市
  '2110': 0.02, // 辽阳市
  '2111': 0.01, // 盘锦市
};

/**
 * Share of exited persons whose per-capita net income is below the 5,000-yuan warning line (DOMAIN §5;
 * seeds 000, 001, 004). The brief's target is about 5% overall. Seed 000: of Liaoning's 210,000 exited
 * people under 5,000, 葫芦岛 had 71,000 and 朝阳 50,000; those two cities get that part of the 5%, the
 * rest is spread over the other cities by persons. (Seed 001 shows a district can be far above the
 * average: 清河区 had 187 of its 1,025 exited people under 5,000, 18%.)
 */
export const EXITED_BELOW_WARNING_SHARE = 0.05;
export const BELOW_WARNING_PEOPLE_BY_CITY: Readonly<Record<string, number>> = {
  '2114': 71000, // 葫芦岛市
  '2113': 50000, // 朝阳市
};
export const BELOW_WARNING_PEOPLE_TOTAL = 210000;
/** The warning line itself (yuan per person per year). */
export const WARNING_LINE = 5000;
/** Exit standard (seed 000, 001: 年人均收入超过4400元). Remaining poor households are generated below it. */
export const EXIT_STANDARD = 4400;

/**
 * Seed 000: of the 14,228 remaining poor, 7,053 had (some) labour capacity and 7,175 none: about half.
 * A household with nobody able to work is this much more likely to be one of the remaining poor than
 * others (tuned so that about half of the generated 未脱贫 people have labour capacity).
 */
export const POOR_NO_LABOUR_HOUSEHOLD_FACTOR = 1.6;

/** Ordinary rural households (一般农户) generated as edge households, share of households (assumption). */
export const ORDINARY_EDGE_HOUSEHOLD_SHARE = 0.04;
/** Share of those edge households that are monitored as 边缘易致贫户. */
export const EDGE_MONITORED_SHARE = 0.7;
/** Exited households monitored as 脱贫不稳定户: base share, and for households under the warning line. */
export const UNSTABLE_EXITED_SHARE = 0.03;
export const UNSTABLE_EXITED_SHARE_BELOW_WARNING = 0.45;
/** Households of any status hit by sudden severe hardship (突发严重困难户): high out-of-pocket spending. */
export const SUDDEN_HARDSHIP_SHARE = 0.006;
/** Monitored last year, risk eliminated this year (风险消除): share of last year's monitored households. */
export const RISK_ELIMINATED_SHARE = 0.25;
/** Exited households back in poverty this year (返贫户), a very small share. */
export const RETURNED_SHARE = 0.0015;

/** Year identified (识别年度): the 2014 campaign identified most households (assumption). */
export const IDENTIFIED_YEAR_WEIGHTS: Weights<number> = [
  [2014, 0.6], [2015, 0.14], [2016, 0.1], [2017, 0.07], [2018, 0.05], [2019, 0.04],
];
/** Exit year (脱贫年度), 2014–2020; the peak of exits in 2016–2018 (assumption). Never before identification. */
export const EXIT_YEAR_WEIGHTS: Weights<number> = [
  [2014, 0.06], [2015, 0.13], [2016, 0.22], [2017, 0.23], [2018, 0.19], [2019, 0.13], [2020, 0.04],
];

// ---------------------------------------------------------------------------------------------
// Household attribute and cause

/**
 * Main cause of poverty (主要致贫原因). Seed 000: "因病、因残致贫的比例偏高", and the remaining poor are
 * largely without labour; seed 001 (清河区): 51 of 85 people to exit needed medical help, 48 social-security
 * support (兜底). So 因病 and 因残 lead, 缺劳力 is common. Members are then built to match the cause
 * (a sick member for 因病, a disabled one for 因残, nobody fit to work for 缺劳力, a student for 因学).
 */
export const MAIN_CAUSE_WEIGHTS: Weights<string> = [
  ['illness', 0.38],
  ['disability', 0.2],
  ['lack_labour', 0.14],
  ['lack_funds', 0.07],
  ['lack_skills', 0.06],
  ['schooling', 0.04],
  ['disaster', 0.025],
  ['lack_land', 0.025],
  ['low_motivation', 0.02],
  ['poor_transport', 0.01],
  ['lack_water', 0.005],
  ['other', 0.005],
];
/** Share of households with one or two other causes. */
export const OTHER_CAUSE_SHARE = 0.45;

/** 户属性 of registered households, by the household's labour (assumption): elderly households without
 * labour are those in 特困供养 / 五保 and 低保; households with full labour are mostly 一般贫困户. */
export const ATTRIBUTE_WEIGHTS_ELDERLY_NO_LABOUR: Weights<string> = [
  ['dibao_poor', 0.52], ['general_poor', 0.2], ['tekun_poor', 0.17], ['wubao', 0.06], ['dibao', 0.05],
];
export const ATTRIBUTE_WEIGHTS_WEAK: Weights<string> = [['general_poor', 0.52], ['dibao_poor', 0.45], ['dibao', 0.03]];
export const ATTRIBUTE_WEIGHTS_ABLE: Weights<string> = [['general_poor', 0.83], ['dibao_poor', 0.15], ['dibao', 0.02]];

// ---------------------------------------------------------------------------------------------
// Household size and members

/**
 * Household size 1–7, mean ≈ 2.3 for the registered poor (assumption from the brief; seed 001: the 39
 * households to exit in 清河区 had 85 people, 2.18 per household; 104 households / 187 people under
 * 5,000, 1.8). Many elderly singles and couples.
 */
export const HOUSEHOLD_SIZE_WEIGHTS: Weights<number> = [
  [1, 0.32], [2, 0.34], [3, 0.16], [4, 0.11], [5, 0.045], [6, 0.018], [7, 0.007],
];

/** Probability of a condition by age band (upper bound exclusive). */
export type AgeCurve = readonly (readonly [maxAge: number, p: number])[];
export const CHRONIC_BY_AGE: AgeCurve = [[16, 0.02], [30, 0.05], [45, 0.14], [60, 0.32], [70, 0.48], [200, 0.58]];
export const SERIOUS_ILLNESS_BY_AGE: AgeCurve = [[16, 0.004], [30, 0.01], [45, 0.025], [60, 0.045], [70, 0.06], [200, 0.07]];
/** Disability ~10–15% overall (the registered poor: seed 000 "因残致贫的比例偏高"). */
export const DISABILITY_BY_AGE: AgeCurve = [[16, 0.02], [45, 0.055], [60, 0.08], [200, 0.095]];
/** GB/T 26341 categories: physical most common. */
export const DISABILITY_CATEGORY_WEIGHTS: Weights<string> = [
  ['4', 0.4], ['1', 0.13], ['2', 0.12], ['5', 0.11], ['6', 0.11], ['7', 0.08], ['3', 0.05],
];
export const DISABILITY_GRADE_WEIGHTS: Weights<string> = [['1', 0.14], ['2', 0.28], ['3', 0.3], ['4', 0.28]];

/** Children aged 6–15 out of school: with a reason (mostly health), and without (the quality checks' finds). */
export const DROPOUT_WITH_REASON_SHARE = 0.012;
export const DROPOUT_WITHOUT_REASON_SHARE = 0.006;
/** Healthy 16–59-year-olds recorded as weak labour (a data-quality "check" of DOMAIN §11). */
export const HEALTHY_WEAK_LABOUR_SHARE = 0.015;

/** Medical insurance: nearly everyone is insured (seed 000: 参保 checks "不落一户、不漏一人"). */
export const UNINSURED_SHARE = 0.004;
export const EMPLOYEE_INSURANCE_SHARE_OF_WORKERS = 0.04;
export const COMMERCIAL_INSURANCE_SHARE = 0.55;

/** Housing rating of exited and ordinary households; of the remaining poor. Seed 001: 21 of the 39
 * households to exit in 清河区 needed renovation (C 13, D 8); seed 000: 6,779 dangerous houses left in
 * Liaoning. Exited households are mostly safe, a few C/D remain (to be found by the checks). */
export const HOUSING_WEIGHTS_EXITED: Weights<string> = [['A', 0.52], ['B', 0.44], ['C', 0.03], ['D', 0.01]];
export const HOUSING_WEIGHTS_POOR: Weights<string> = [['A', 0.25], ['B', 0.4], ['C', 0.22], ['D', 0.13]];

/** Public-welfare posts (公益岗位, seed 000 "合理开发、规范管理公益岗位"): share of households with one. */
export const PUBLIC_WELFARE_POST_SHARE = 0.12;

/** Per-capita net income of exited households above the warning line: log-normal median and spread. */
export const EXITED_INCOME_MEDIAN = 10500;
export const EXITED_INCOME_SIGMA = 0.42;
/** Yearly income growth from the previous year to the current one. */
export const INCOME_GROWTH_MIN = 0.02;
export const INCOME_GROWTH_MAX = 0.1;

// ---------------------------------------------------------------------------------------------
// Ethnicity (Liaoning: Han, with Manchu the largest minority, Mongol in the west)

export const ETHNICITY_DEFAULT: Weights<string> = [['01', 0.85], ['11', 0.12], ['02', 0.015], ['03', 0.006], ['10', 0.005], ['38', 0.003], ['97', 0.001]];
export const ETHNICITY_MANCHU_AREA: Weights<string> = [['11', 0.55], ['01', 0.43], ['02', 0.01], ['03', 0.01]];
export const ETHNICITY_MONGOL_AREA: Weights<string> = [['02', 0.3], ['01', 0.64], ['11', 0.05], ['03', 0.01]];
export const ETHNICITY_KOREAN_AREA: Weights<string> = [['10', 0.4], ['01', 0.55], ['11', 0.05]];
export const ETHNICITY_XIBE_AREA: Weights<string> = [['38', 0.3], ['01', 0.6], ['11', 0.1]];

// ---------------------------------------------------------------------------------------------
// Identity numbers

/** Share of people whose ID was issued in another county of the province / another province. */
export const ID_OTHER_COUNTY_SHARE = 0.05;
export const ID_OTHER_PROVINCE_SHARE = 0.015;
/** Real county codes of neighbouring provinces, used as the birthplace of people born outside. */
export const OTHER_PROVINCE_COUNTIES: readonly string[] = [
  '220102', // 吉林省长春市南关区
  '220282', // 吉林省吉林市桦甸市
  '150402', // 内蒙古赤峰市红山区
  '150502', // 内蒙古通辽市科尔沁区
  '130302', // 河北省秦皇岛市海港区
  '230102', // 黑龙江省哈尔滨市道里区
  '370202', // 山东省青岛市市南区
  '371002', // 山东省威海市环翠区
];
