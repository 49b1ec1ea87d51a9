/**
 * The built-in warning rules (内置预警规则) of DOMAIN §5–§8, written in CEL over the rule environment
 * (environment.ts). Every threshold is a policy setting (`policy.…`), never a number in the rule. They feed
 * the channel 平台监测分析 ('platform'). Tests check that each passes checkRule and matches the intended
 * households in TypeScript and in SQL.
 */
import type { RiskTypeCode } from '../registry/codes';

export type RuleSeverity = 'high' | 'medium' | 'low';

export const RULE_SEVERITIES = [
  { code: 'high', zh: '高', en: 'High' },
  { code: 'medium', zh: '中', en: 'Medium' },
  { code: 'low', zh: '低', en: 'Low' },
] as const;

export interface BuiltInRule {
  /** stable identifier */
  readonly id: string;
  readonly name: string;
  readonly nameEn: string;
  readonly description: string;
  readonly severity: RuleSeverity;
  readonly riskType: RiskTypeCode;
  /** the clue channel it feeds: 平台监测分析 */
  readonly channel: 'platform';
  readonly version: number;
  readonly expression: string;
}

export const BUILT_IN_RULES: readonly BuiltInRule[] = [
  {
    id: 'income_below_monitoring_line',
    name: '人均纯收入低于防返贫监测标准',
    nameEn: 'Per-capita net income under the monitoring line',
    description: '未纳入监测的农户，本年度人均纯收入低于监测标准。',
    severity: 'high',
    riskType: 'other',
    channel: 'platform',
    version: 1,
    expression: '!household.monitored && income.perCapitaNet < policy.monitoringLine',
  },
  {
    id: 'income_sharp_drop',
    name: '人均纯收入较上年骤减',
    nameEn: 'Per-capita net income fell sharply from last year',
    description: '上年人均纯收入为正，本年度比上年下降超过政策设定的比例。',
    severity: 'medium',
    riskType: 'other',
    channel: 'platform',
    version: 1,
    expression:
      '!household.monitored && lastIncome.perCapitaNet > 0.0\n' +
      '  && income.perCapitaNet < lastIncome.perCapitaNet * (1.0 - policy.incomeDropShare)',
  },
  {
    id: 'exited_below_unstable_line',
    name: '已脱贫户人均纯收入低于不稳定收入线',
    nameEn: 'Exited household under the unstable-income line',
    description: '已脱贫户人均纯收入低于不稳定收入线（默认 5,000 元），应纳入监测。',
    severity: 'high',
    riskType: 'other',
    channel: 'platform',
    version: 1,
    expression: "household.status == 'exited' && !household.monitored\n  && income.perCapitaNet < policy.exitUnstableLine",
  },
  {
    id: 'expected_income_below_dibao_line',
    name: '预计收入低于低保标准但未纳入低保',
    nameEn: 'Expected income under the dibao line, not on dibao',
    description: '人均纯收入低于农村低保标准而未享受低保，应纳入低保。',
    severity: 'high',
    riskType: 'other',
    channel: 'platform',
    version: 1,
    expression: "household.dibao == 'none' && household.tekun == 'none'\n  && income.perCapitaNet < policy.dibaoLine",
  },
  {
    id: 'member_uninsured',
    name: '有成员未参加基本医疗保险',
    nameEn: 'A member without basic medical insurance',
    description: '家庭成员中有人没有城乡居民或职工基本医疗保险（未记录视为未参保）。',
    severity: 'high',
    riskType: 'illness',
    channel: 'platform',
    version: 1,
    expression: 'members.exists(m, !m.insured)',
  },
  {
    id: 'child_out_of_school',
    name: '义务教育阶段适龄儿童失学辍学',
    nameEn: 'A child of compulsory-school age out of school',
    description: '义务教育年龄段（政策参数）的成员为非在校生，且不是因病、因残未入学。',
    severity: 'high',
    riskType: 'schooling',
    channel: 'platform',
    version: 1,
    expression:
      'members.exists(m, m.age >= policy.compulsoryAgeMin && m.age <= policy.compulsoryAgeMax\n' +
      "  && m.schoolStatus == 'not_in_school'\n" +
      "  && (m.dropoutReason == null || !(m.dropoutReason in ['illness', 'disability'])))",
  },
  {
    id: 'unsafe_housing',
    name: '住房为 C 级或 D 级危房',
    nameEn: 'House rated C or D',
    description: '住房安全等级为 C 或 D，且不是已拿到新房钥匙的易地搬迁户。',
    severity: 'high',
    riskType: 'housing',
    channel: 'platform',
    version: 1,
    expression:
      "household.housingRating in ['C', 'D']\n" +
      '  && !(household.relocated && has(household.relocationKeysReceived) && household.relocationKeysReceived)',
  },
  {
    id: 'medical_self_pay_high',
    name: '医疗合规自付支出超过预警线',
    nameEn: 'Medical out-of-pocket spending above the threshold',
    description:
      '年度合规自付支出超过上年农村居民人均可支配收入的设定比例（脱贫人口默认 50%，一般农户默认 100%）。',
    severity: 'medium',
    riskType: 'illness',
    channel: 'platform',
    version: 1,
    expression:
      'income.medicalSelfPay > policy.ruralDisposableIncome\n' +
      "  * (household.status in ['poor', 'exited', 'returned'] ? policy.medicalSelfPayShareFormerPoor : policy.medicalSelfPayShareOthers)",
  },
  {
    id: 'whole_household_no_labour',
    name: '整户无劳动能力且未纳入兜底保障',
    nameEn: 'No member with labour capacity and no social-security cover',
    description: '所有成员都是丧失劳动力或无劳动力，但尚未认定为整户无劳动能力兜底户，也未享受低保或特困供养，需要核实并落实兜底保障。',
    severity: 'medium',
    riskType: 'lack_labour',
    channel: 'platform',
    version: 1,
    expression:
      "size(members) > 0 && members.all(m, m.labour in ['lost', 'none'])\n" +
      "  && !household.wholeNoLabour && household.dibao == 'none' && household.tekun == 'none'",
  },
  {
    id: 'no_development_measure',
    name: '有劳动能力的监测户超过时限未落实发展类帮扶',
    nameEn: 'Monitored household with labour and no development measure in time',
    description: '纳入监测已满设定月数（默认 6 个月），家中有劳动能力，但没有产业或就业帮扶措施。',
    severity: 'medium',
    riskType: 'other',
    channel: 'platform',
    version: 1,
    expression:
      'household.monitored && household.monthsMonitored >= policy.developmentMeasureMonths\n' +
      '  && household.labourCount > 0 && !household.hasDevelopmentMeasure',
  },
];
