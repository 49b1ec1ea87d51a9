/**
 * Policy settings (政策参数) by region and year: poverty line, monitoring line, 低保 line, rigid-spending
 * thresholds, the compulsory-school age range, publicity days, procedure time limits. Every number of
 * DOMAIN §5–§8 is the default of a setting here, never a constant in code.
 *
 * Resolution (the same in resolvePolicy below and in the server's SQL): for a region and a year, the value is
 * taken from the latest year not after the asked year that has a value anywhere on the region's chain
 * (nation → province → city → county); within that year the deepest region wins (a county overrides its city,
 * a city its province). With nothing set, the built-in default of the year applies: defaults carry the year they
 * start from (`defaults`), and a setting that did not exist yet (`since`: the monitoring line exists from 2021)
 * has no value at all for earlier years — null, and rules and pages treat it as not applicable. Settings are set at
 * the nation, province, city or county level only (townships and villages inherit).
 */
import { regionLevel, regionPrefix, type RegionLevel } from '../regions';
import { msg, renderMessage, type Message } from '../messages/index';

export type PolicyUnit = 'yuan' | 'share' | 'years' | 'days' | 'months';

export interface PolicyDefinition {
  key: string;
  zh: string;
  en: string;
  unit: PolicyUnit;
  /** Group on the settings page */
  group: 'lines' | 'spending' | 'people' | 'procedure';
  /** The default of the latest period (what applies today when nothing is set) */
  default: number;
  /** The first year the setting exists; before it the setting is absent (null). Omitted: every year. */
  since?: number;
  /**
   * Defaults by the year they start from, oldest first (each applies from its year until the next); before the first
   * one (and without any) `default` applies. The last one's value is `default`.
   */
  defaults?: readonly { from: number; value: number; basis: string }[];
  min: number;
  max: number;
  /** Whole numbers only */
  integer: boolean;
  /** Where the default comes from, in Chinese */
  basis: string;
}

const def = <const D extends PolicyDefinition>(d: D) => d;

export const POLICY_DEFINITIONS = [
  def({ key: 'povertyLine', zh: '脱贫标准（人均纯收入）', en: 'Poverty line (per-capita net income)', unit: 'yuan', group: 'lines', default: 4400, min: 0, max: 100000, integer: false,
    basis: '辽宁省 2020 年脱贫标准 4,400 元（全国约 4,000 元）；2020 年及以前的脱贫退出按此标准，此后用于巩固脱贫成果的评估' }),
  def({ key: 'monitoringLine', zh: '防返贫监测标准', en: 'Monitoring line', unit: 'yuan', group: 'lines', default: 7260, min: 0, max: 100000, integer: false,
    since: 2021,
    defaults: [
      { from: 2021, value: 6000, basis: '2021 年全国底线 6,000 元' },
      { from: 2022, value: 7260, basis: '辽宁 2022 年 7,260 元' },
    ],
    basis: '2021 年起设立，各省逐年确定；2021 年全国底线 6,000 元，辽宁 2022 年 7,260 元' }),
  def({ key: 'dibaoLine', zh: '农村低保标准（年）', en: 'Rural 低保 line (yearly)', unit: 'yuan', group: 'lines', default: 4400, min: 0, max: 100000, integer: false,
    basis: '预计收入低于 4,400 元的农户全部纳入低保（辽宁）' }),
  def({ key: 'exitUnstableLine', zh: '脱贫不稳定收入线', en: 'Unstable exited household line', unit: 'yuan', group: 'lines', default: 5000, min: 0, max: 100000, integer: false,
    basis: '已脱贫户人均纯收入低于 5,000 元的列为不稳定户，纳入监测' }),
  def({ key: 'incomeDropShare', zh: '收入骤减比例', en: 'Sharp income fall (share of last year)', unit: 'share', group: 'lines', default: 0.3, min: 0.01, max: 1, integer: false,
    basis: '人均纯收入较上年下降超过此比例视为骤减' }),
  def({ key: 'ruralDisposableIncome', zh: '上年农村居民人均可支配收入', en: "Last year's rural per-capita disposable income", unit: 'yuan', group: 'spending', default: 20000, min: 0, max: 200000, integer: false,
    basis: '医疗自付预警的基数；默认 20,000 元，应按本省上年统计公报的数字逐年设定' }),
  def({ key: 'medicalSelfPayShareFormerPoor', zh: '医疗自付预警比例（脱贫人口）', en: 'Medical self-pay trigger (former poor), share of disposable income', unit: 'share', group: 'spending', default: 0.5, min: 0, max: 10, integer: false,
    basis: '年度自付超过上年农村居民人均可支配收入的 50%' }),
  def({ key: 'medicalSelfPayShareOthers', zh: '医疗自付预警比例（一般农户）', en: 'Medical self-pay trigger (others), share of disposable income', unit: 'share', group: 'spending', default: 1, min: 0, max: 10, integer: false,
    basis: '年度自付超过上年农村居民人均可支配收入的 100%' }),
  def({ key: 'singleStaySelfPayFormerPoor', zh: '单次住院自付预警（脱贫人口）', en: 'Single hospital stay self-pay trigger (former poor)', unit: 'yuan', group: 'spending', default: 5000, min: 0, max: 1000000, integer: false,
    basis: '单次住院自付 5,000 元及以上' }),
  def({ key: 'singleStaySelfPayOthers', zh: '单次住院自付预警（一般农户）', en: 'Single hospital stay self-pay trigger (others)', unit: 'yuan', group: 'spending', default: 20000, min: 0, max: 1000000, integer: false,
    basis: '单次住院自付 20,000 元及以上' }),
  def({ key: 'schoolCostThreshold', zh: '高中及职业教育费用预警', en: 'High-school / vocational cost trigger', unit: 'yuan', group: 'spending', default: 10000, min: 0, max: 1000000, integer: false,
    basis: '高中或中高职教育费用超过 10,000 元' }),
  def({ key: 'vehicleValueThreshold', zh: '车辆价值核查线', en: 'Vehicle value checked at identification', unit: 'yuan', group: 'spending', default: 30000, min: 0, max: 10000000, integer: false,
    basis: '家庭拥有价值 3 万元以上车辆需核实' }),
  def({ key: 'compulsoryAgeMin', zh: '义务教育年龄下限', en: 'Compulsory-school age, from', unit: 'years', group: 'people', default: 6, min: 3, max: 10, integer: true,
    basis: '6–15 周岁适龄儿童' }),
  def({ key: 'compulsoryAgeMax', zh: '义务教育年龄上限', en: 'Compulsory-school age, to', unit: 'years', group: 'people', default: 15, min: 10, max: 20, integer: true,
    basis: '6–15 周岁适龄儿童' }),
  def({ key: 'labourAgeMin', zh: '劳动年龄下限', en: 'Working age, from', unit: 'years', group: 'people', default: 16, min: 14, max: 20, integer: true,
    basis: '16–59 周岁' }),
  def({ key: 'labourAgeMax', zh: '劳动年龄上限', en: 'Working age, to', unit: 'years', group: 'people', default: 59, min: 50, max: 70, integer: true,
    basis: '16–59 周岁' }),
  def({ key: 'acceptanceDays', zh: '农户申报受理时限', en: 'Days to accept an application', unit: 'days', group: 'procedure', default: 2, min: 1, max: 30, integer: true,
    basis: '乡镇在 2 日内受理农户自主申报' }),
  def({ key: 'publicityDays', zh: '公示天数（不少于）', en: 'Publicity days (at least)', unit: 'days', group: 'procedure', default: 5, min: 1, max: 30, integer: true,
    basis: '村级公示不少于 5 日（旧规 7 日）' }),
  def({ key: 'identificationDays', zh: '识别程序总时限', en: 'Identification procedure time limit', unit: 'days', group: 'procedure', default: 15, min: 1, max: 90, integer: true,
    basis: '从发现线索到完成认定不超过 15 日（部分省份 20 个工作日）' }),
  def({ key: 'verificationDays', zh: '入户核实时限', en: 'Home verification time limit', unit: 'days', group: 'procedure', default: 3, min: 1, max: 30, integer: true,
    basis: '识别程序各环节时限之和不超过总时限' }),
  def({ key: 'reviewDays', zh: '各级审核时限', en: 'Review time limit per level', unit: 'days', group: 'procedure', default: 2, min: 1, max: 30, integer: true,
    basis: '村评议、乡镇审核、县审定各环节' }),
  def({ key: 'eliminationStableMonths', zh: '风险消除收入稳定月数', en: 'Months of stable income before elimination', unit: 'months', group: 'procedure', default: 6, min: 1, max: 36, integer: true,
    basis: '收入持续稳定半年以上' }),
  def({ key: 'quickEliminationMonths', zh: '短期消除预警月数', en: 'Elimination this soon after identification is flagged', unit: 'months', group: 'procedure', default: 2, min: 1, max: 12, integer: true,
    basis: '认定后两个月内消除风险的需重点核查' }),
  def({ key: 'developmentMeasureMonths', zh: '发展类帮扶措施落实时限', en: 'Months to a development measure', unit: 'months', group: 'procedure', default: 6, min: 1, max: 24, integer: true,
    basis: '有劳动能力的监测户 6 个月内落实产业或就业帮扶' }),
] as const satisfies readonly PolicyDefinition[];

export type PolicyKey = (typeof POLICY_DEFINITIONS)[number]['key'];
export const POLICY_KEYS = POLICY_DEFINITIONS.map((d) => d.key) as PolicyKey[];
/** Settings that start in a year (`since`): absent (null) for earlier years. */
export type DatedPolicyKey = Extract<(typeof POLICY_DEFINITIONS)[number], { since: number }>['key'];
/** The settings in force for a region and year; a setting that did not exist yet in the year is null. */
export type PolicyValues = { [K in PolicyKey]: K extends DatedPolicyKey ? number | null : number };

const BY_KEY = new Map<string, PolicyDefinition>(POLICY_DEFINITIONS.map((d) => [d.key, d]));

export function policyDefinition(key: string): PolicyDefinition | undefined {
  return BY_KEY.get(key);
}

export function isPolicyKey(key: string): key is PolicyKey {
  return BY_KEY.has(key);
}

/** The defaults that apply today (the latest period of each setting). */
export const POLICY_DEFAULTS = Object.fromEntries(POLICY_DEFINITIONS.map((d) => [d.key, d.default])) as PolicyValues;

/** The built-in default of a setting for a year: null before the year it exists from, else that period's value. */
export function policyDefaultFor(key: string, year: number): number | null {
  const d = BY_KEY.get(key);
  if (!d) return null;
  if (d.since !== undefined && year < d.since) return null;
  let value = d.default;
  if (d.defaults?.length) {
    value = year < d.defaults[0]!.from ? d.default : d.defaults[0]!.value;
    for (const p of d.defaults) if (p.from <= year) value = p.value;
  }
  return value;
}

/** Where the built-in default of a setting for a year comes from (its period's basis), or null when absent that year. */
export function policyDefaultBasis(key: string, year: number): string | null {
  const d = BY_KEY.get(key);
  if (!d || (d.since !== undefined && year < d.since)) return null;
  return [...(d.defaults ?? [])].reverse().find((p) => p.from <= year)?.basis ?? d.basis;
}

/** Whether a setting exists in a year (false before its `since`). */
export function policyExists(key: string, year: number): boolean {
  const d = BY_KEY.get(key);
  return !!d && (d.since === undefined || year >= d.since);
}

/** The built-in defaults of every setting for a year. */
export function policyDefaults(year: number): PolicyValues {
  return Object.fromEntries(POLICY_DEFINITIONS.map((d) => [d.key, policyDefaultFor(d.key, year)])) as PolicyValues;
}

/**
 * The income line that matters for a year, the one a household page headlines: the monitoring line from the year
 * it exists (2021), the exit standard (脱贫标准) before — and whenever the monitoring line is not set.
 */
export function incomeLineOf(values: Pick<PolicyValues, 'monitoringLine' | 'povertyLine'>): { key: 'monitoringLine' | 'povertyLine'; value: number } {
  return values.monitoringLine !== null ? { key: 'monitoringLine', value: values.monitoringLine } : { key: 'povertyLine', value: values.povertyLine };
}

/** Region levels at which settings may be set: nation, province, city, county. */
export const POLICY_LEVELS: readonly RegionLevel[] = [0, 1, 2, 3];

/** A value checked against its definition; the message is Chinese and names the setting. */
export function checkPolicyValue(key: string, value: unknown): string | null {
  const p = policyValueProblem(key, value);
  return p ? renderMessage(p, 'zh')! : null;
}

const nameOf = (d: { zh: string; en: string }) => ({ zh: d.zh, en: d.en });

/** The same check as checkPolicyValue, as a catalogue message (code and params); null when the value is acceptable. */
export function policyValueProblem(key: string, value: unknown): Message | null {
  const d = BY_KEY.get(key);
  if (!d) return msg('policy.unknownKey', { key });
  if (typeof value !== 'number' || !Number.isFinite(value)) return msg('policy.notNumber', { name: nameOf(d) });
  if (d.integer && !Number.isInteger(value)) return msg('policy.notInteger', { name: nameOf(d) });
  if (value < d.min || value > d.max) return msg('policy.outOfRange', { name: nameOf(d), min: d.min, max: d.max });
  if (!d.integer && Math.round(value * 10000) !== value * 10000 && Math.abs(Math.round(value * 10000) - value * 10000) > 1e-6) {
    return msg('policy.tooManyDecimals', { name: nameOf(d) });
  }
  return null;
}

/** Pairs of settings that must be ordered (from ≤ to). */
export const POLICY_RANGES: readonly [PolicyKey, PolicyKey][] = [
  ['compulsoryAgeMin', 'compulsoryAgeMax'],
  ['labourAgeMin', 'labourAgeMax'],
];

/** The first ordered pair that is out of order, as a Chinese message; null when all are in order. */
export function checkPolicyRanges(values: PolicyValues): string | null {
  const p = policyRangeProblem(values);
  return p ? renderMessage(p, 'zh')! : null;
}

/** The same check as checkPolicyRanges, as a catalogue message. */
export function policyRangeProblem(values: PolicyValues): Message | null {
  for (const [lo, hi] of POLICY_RANGES) {
    const [a, b] = [values[lo], values[hi]];
    if (a !== null && b !== null && a > b) {
      return msg('policy.rangeOrder', { low: nameOf(BY_KEY.get(lo)!), lowValue: a, high: nameOf(BY_KEY.get(hi)!), highValue: b });
    }
  }
  return null;
}

/** One stored value: set at a region for a year. */
export interface PolicyValueRow {
  id: number;
  regionCode: string;
  year: number;
  key: string;
  value: number;
}

/** Where an effective value comes from: a stored row, or the built-in default. */
export interface PolicySource {
  id: number | null;
  regionCode: string | null;
  year: number | null;
}

export interface EffectivePolicy {
  values: PolicyValues;
  sources: Record<PolicyKey, PolicySource>;
}

/**
 * The settings in force for a region and year, from the stored rows of the region's chain (rows of other
 * regions are ignored). Latest year first, then the deepest region.
 */
export function resolvePolicy(rows: readonly PolicyValueRow[], regionCode: string, year: number): EffectivePolicy {
  const values = policyDefaults(year);
  const sources = Object.fromEntries(POLICY_KEYS.map((k) => [k, { id: null, regionCode: null, year: null }])) as Record<PolicyKey, PolicySource>;
  const best = new Map<string, { row: PolicyValueRow; depth: number }>();
  for (const row of rows) {
    // a value of a year the setting did not exist in yet (or asked for such a year) never applies
    if (row.year > year || !isPolicyKey(row.key) || !policyExists(row.key, year) || !policyExists(row.key, row.year)) continue;
    if (!regionCode.startsWith(regionPrefix(row.regionCode))) continue;
    const depth = regionLevel(row.regionCode);
    const cur = best.get(row.key);
    if (!cur || row.year > cur.row.year || (row.year === cur.row.year && depth > cur.depth)) best.set(row.key, { row, depth });
  }
  for (const [key, { row }] of best) {
    (values as Record<PolicyKey, number | null>)[key as PolicyKey] = row.value;
    sources[key as PolicyKey] = { id: row.id, regionCode: row.regionCode, year: row.year };
  }
  return { values, sources };
}
