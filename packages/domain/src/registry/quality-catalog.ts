/**
 * The catalogue of named rules shown on the data-quality page: the data-quality checks of DOMAIN §11
 * (QUALITY_CHECKS, ids as they are) and the field validations of validate.ts, which report under
 * `validate.<check>` (their check names are shared by households, members, income and statuses; the
 * field tells which record). Labels only: the rules themselves live in quality.ts and validate.ts.
 */
import type { Lang } from './codes';
import { HOUSEHOLD_COLUMNS, INCOME_COLUMNS, MEMBER_COLUMNS, type Column } from './columns';
import { QUALITY_CHECKS, qualityCheckById } from './quality';

/** Prefix of the rule id of a field-validation finding. */
export const VALIDATION_RULE_PREFIX = 'validate.';

/** Chinese and English names of the check names that validate.ts reports. */
export const VALIDATION_CHECK_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  required: { zh: '必填项为空', en: 'Required field is empty' },
  format: { zh: '格式不正确', en: 'Wrong format' },
  code: { zh: '代码不在代码表中', en: 'Value not in the code table' },
  type: { zh: '数据类型不正确', en: 'Wrong data type' },
  number: { zh: '应为数字', en: 'Not a number' },
  range: { zh: '数值超出范围', en: 'Number out of range' },
  too_long: { zh: '文本过长', en: 'Text too long' },
  year_range: { zh: '年度超出范围', en: 'Year out of range' },
  year_order: { zh: '年度先后矛盾', en: 'Years in the wrong order' },
  region_mismatch: { zh: '所在村不属于所在县', en: 'Village not in the county' },
  phone_format: { zh: '联系电话格式不正确', en: 'Wrong phone number format' },
  exit_without_registration: { zh: '非脱贫户填写了脱贫年度', en: 'Exit year on a household that never exited' },
  max_other_causes: { zh: '其他致贫原因超过两项', en: 'More than two other causes of poverty' },
  duplicate: { zh: '重复填写', en: 'Duplicate values' },
  relocation: { zh: '搬迁信息矛盾', en: 'Contradictory relocation data' },
  water_problem_required: { zh: '饮水不安全未填写原因', en: 'Unsafe water without a reason' },
  water_problem_unexpected: { zh: '饮水安全却填写了饮水问题', en: 'Water problem given for safe water' },
  attribute_dibao_mismatch: { zh: '户属性与低保不一致', en: 'Attribute and minimum-living allowance disagree' },
  attribute_tekun_mismatch: { zh: '户属性与特困供养不一致', en: 'Attribute and extreme-poverty support disagree' },
  id_type_mismatch: { zh: '证件类型与证件号码不符', en: 'ID type does not match the number' },
  id_15_digit: { zh: '15位旧身份证号', en: 'Old 15-digit ID number' },
  id_region: { zh: '证件号码的地区与所在地不符', en: 'ID number issued in another region' },
  date: { zh: '日期不正确', en: 'Invalid date' },
  age_school_mismatch: { zh: '年龄与在校生状况不符', en: 'Age does not fit the school stage' },
  dropout_reason_unexpected: { zh: '在校生填写了未上学原因', en: 'Dropout reason given for a pupil' },
  health_exclusive: { zh: '健康与疾病或残疾同时选择', en: 'Healthy together with an illness or disability' },
  disability_without_health: { zh: '未选残疾却填写了残疾类别或等级', en: 'Disability category without disability' },
  disability_cert_health: { zh: '持残疾人证但健康状况无残疾', en: 'Disability certificate without disability' },
  disability_cert_mismatch: { zh: '残疾类别或等级与残疾人证号不符', en: 'Disability data differ from the certificate' },
  work_place_required: { zh: '有务工时间未填写务工地点', en: 'Work months without a work place' },
  income_item: { zh: '收入项不正确', en: 'Invalid income item' },
  income_precision: { zh: '收入超过两位小数', en: 'Income with more than two decimals' },
  monitored_type_unexpected: { zh: '非监测对象填写了监测类型', en: 'Monitored type on a household not monitored' },
  monitored_type_status: { zh: '监测类型与户状态不一致', en: 'Monitored type does not fit the status' },
  max_risk_types: { zh: '风险类型超过五项', en: 'More than five risk types' },
  risk_required: { zh: '监测对象未填写风险类型', en: 'Monitored household without a risk type' },
  risk_unexpected: { zh: '非监测对象填写了风险类型', en: 'Risk types on a household not monitored' },
};

/**
 * Validation checks that a data-quality check already reports, with more precision (a member without medical
 * insurance is an error there, a warning in field validation). A run reports the quality check only.
 */
export const VALIDATION_CHECKS_COVERED_BY_QUALITY: readonly string[] = [
  'minor_with_labour', // minor_with_labour
  'medical_insurance', // medical_insurance_not_one
  'dropout_reason_required', // compulsory_school_dropout
  'id_sex_mismatch', // id_birth_sex_mismatch
  'id_birth_mismatch', // id_birth_sex_mismatch
  'id_number', // invalid_id_number
];

/** Name of a rule (a quality check id or `validate.<check>`) in the language; the id itself when unknown. */
export function qualityRuleLabel(ruleId: string, lang: Lang = 'zh'): string {
  const q = qualityCheckById(ruleId);
  if (q) return q[lang];
  if (ruleId.startsWith(VALIDATION_RULE_PREFIX)) {
    const v = VALIDATION_CHECK_LABELS[ruleId.slice(VALIDATION_RULE_PREFIX.length)];
    if (v) return lang === 'zh' ? `字段校验：${v.zh}` : `Field check: ${v.en}`;
  }
  return ruleId;
}

/** Every quality check id, in display order (field validations follow by name). */
export const QUALITY_RULE_ORDER: readonly string[] = QUALITY_CHECKS.map((c) => c.id);

const EXTRA_FIELDS: Record<string, string> = {
  assistance: '帮扶措施',
  riskTypes: '风险类型',
  year: '年度',
  countyCode: '所在县',
};

function headerOf(columns: readonly Column[], key: string): string | undefined {
  return columns.find((c) => c.key === key)?.header;
}

/**
 * The Chinese name of a finding's field ('labour' → 劳动技能, 'health.1' → 健康状况, 'land.cultivated' → 耕地面积（亩）):
 * a member field for a member's finding, else a household, income or status field.
 */
export function qualityFieldLabel(field: string, isMember: boolean): string {
  const base = /^(otherCauses|health|riskTypes)\.\d+$/.test(field) ? field.slice(0, field.indexOf('.')) : field;
  const found = (isMember ? headerOf(MEMBER_COLUMNS, base) : undefined)
    ?? headerOf(HOUSEHOLD_COLUMNS, base)
    ?? headerOf(INCOME_COLUMNS, base)
    ?? EXTRA_FIELDS[base]
    ?? headerOf(MEMBER_COLUMNS, base);
  return found ?? field;
}
