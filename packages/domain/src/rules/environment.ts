/**
 * The environment of warning rules (预警规则): the variables a CEL rule may use, their fields, CEL types,
 * Chinese and English descriptions for the rule editor, and the column each field maps to in the fact
 * tables the SQL translation reads. Everything else in `rules/` (type-checking, evaluation, SQL) and the
 * server's fact tables are derived from these tables, so adding a field here adds it everywhere.
 *
 * Variables:
 *   household   Household       one household in the assessment year (status, housing, social security …)
 *   members     list(Member)    its current members (moved-out members are not included)
 *   income      Income          income of the assessment year (all fields null when none is recorded)
 *   lastIncome  Income          income of the year before (same fields)
 *   policy      Policy          the policy settings in force for the household's region and year
 *
 * Fact tables (see factTablesDdl): one row per household in the household fact table, holding the
 * household's fields, the income fields prefixed `income_`, the last year's prefixed `last_income_` and the
 * policy settings prefixed `policy_`; one row per member in the member fact table. Both tables carry the
 * household key (`county_code`, `household_id`), as the registry does.
 *
 * Null semantics (the same in evaluate.ts and compile-sql.ts, proven by the parity test):
 *   - A nullable field may be null ("not recorded"). Any comparison, arithmetic, string function or
 *     conversion with a null operand is null ("unknown"), as in SQL.
 *   - `&&`, `||` and `!` use three-valued logic (SQL's): `false && null` is false, `true || null` is true,
 *     `true && null`, `false || null` and `!null` are null. `c ? a : b` is null when `c` is null.
 *   - A rule matches a household only when its value is true; null (unknown) does not match.
 *   - `has(x.f)` and `x.f == null` / `x.f != null` test for a missing value and are never null.
 *   - `e in list` is true when an element equals e, otherwise null when e or an element is null, otherwise
 *     false (SQL's IN).
 *   - The macros count an element only when the predicate is true: `exists` = some element is true,
 *     `all` = every element is true (a null predicate fails `all`), `exists_one` = exactly one is true,
 *     `filter` keeps the elements whose predicate is true. They are never null.
 *   - Division or remainder by zero is null (not an error). Integer overflow and double overflow or
 *     underflow are errors in both evaluators.
 */
import type { CodeTable } from '../registry/codes';
import {
  DIBAO_TYPES, DISABILITY_CATEGORIES, DROPOUT_REASONS, EDUCATION_LEVELS, HEALTH_CONDITIONS, HOUSEHOLD_ATTRIBUTES,
  HOUSEHOLD_STATUSES, HOUSING_RATINGS, LABOUR_SKILLS, MEDICAL_INSURANCES, MONITORED_TYPES, POVERTY_CAUSES, RELATIONS,
  RISK_TYPES, SCHOOL_STATUSES, SEXES, TEKUN_TYPES, WATER_PROBLEMS, WORK_PLACES,
} from '../registry/codes';
import { POLICY_DEFINITIONS, type PolicyDefinition, type PolicyValues } from '../policy/settings';

/** CEL type of a field. Lists of strings are code sets (health conditions, risk types). */
export type RuleFieldType = 'bool' | 'int' | 'double' | 'string' | 'list<string>';

export interface RuleField {
  /** CEL field name (camelCase) */
  readonly name: string;
  readonly type: RuleFieldType;
  /** true when the value may be missing (null); lists are never null (empty instead) */
  readonly nullable: boolean;
  /** column of the fact table (without the variable's prefix) */
  readonly column: string;
  readonly zh: string;
  readonly en: string;
  /** for code fields: the code table whose codes are the values */
  readonly codes?: CodeTable;
  readonly unit?: 'yuan' | 'share' | 'years' | 'months' | 'days' | 'persons' | 'm2' | 'mu';
}

/** 户 — one household in the assessment year. */
export const HOUSEHOLD_FIELDS = [
  { name: 'householdNo', type: 'string', nullable: false, column: 'household_no', zh: '户编号', en: 'Household number' },
  { name: 'villageCode', type: 'string', nullable: false, column: 'village_code', zh: '所在村（12 位区划代码）', en: 'Village (12-digit division code)' },
  { name: 'year', type: 'int', nullable: false, column: 'year', zh: '评估年度', en: 'Assessment year', unit: 'years' },
  { name: 'attribute', type: 'string', nullable: true, column: 'attribute', zh: '户属性', en: 'Household attribute', codes: HOUSEHOLD_ATTRIBUTES },
  { name: 'status', type: 'string', nullable: false, column: 'status', zh: '户状态（本年度；无记录时为一般农户）', en: 'Status in the year (ordinary when none is recorded)', codes: HOUSEHOLD_STATUSES },
  { name: 'identifiedYear', type: 'int', nullable: true, column: 'identified_year', zh: '识别年度', en: 'Year identified', unit: 'years' },
  { name: 'exitYear', type: 'int', nullable: true, column: 'exit_year', zh: '脱贫年度', en: 'Year exited', unit: 'years' },
  { name: 'monitored', type: 'bool', nullable: false, column: 'monitored', zh: '是否监测对象', en: 'Monitored household' },
  { name: 'monitoredType', type: 'string', nullable: true, column: 'monitored_type', zh: '监测对象类型', en: 'Monitored type', codes: MONITORED_TYPES },
  { name: 'riskTypes', type: 'list<string>', nullable: false, column: 'risk_types', zh: '风险类型', en: 'Risk types', codes: RISK_TYPES },
  { name: 'monthsMonitored', type: 'int', nullable: true, column: 'months_monitored', zh: '纳入监测的整月数（非监测对象为空）', en: 'Full months since identified as monitored (null when not monitored)', unit: 'months' },
  { name: 'hasDevelopmentMeasure', type: 'bool', nullable: false, column: 'has_development_measure', zh: '已落实产业或就业帮扶措施', en: 'Has an industry or employment measure' },
  { name: 'mainCause', type: 'string', nullable: true, column: 'main_cause', zh: '主要致贫原因', en: 'Main cause of poverty', codes: POVERTY_CAUSES },
  { name: 'isMilitaryFamily', type: 'bool', nullable: false, column: 'is_military_family', zh: '军烈属', en: 'Military or martyr family' },
  { name: 'housingRating', type: 'string', nullable: true, column: 'housing_rating', zh: '住房安全等级（A–D）', en: 'Housing safety rating (A–D)', codes: HOUSING_RATINGS },
  { name: 'housingArea', type: 'double', nullable: true, column: 'housing_area', zh: '住房面积', en: 'Housing area', unit: 'm2' },
  { name: 'relocated', type: 'bool', nullable: false, column: 'relocated', zh: '易地扶贫搬迁户', en: 'Relocated household' },
  { name: 'relocationKeysReceived', type: 'bool', nullable: true, column: 'relocation_keys_received', zh: '搬迁户已拿到新房钥匙', en: 'Relocation keys received' },
  { name: 'safeWater', type: 'bool', nullable: true, column: 'safe_water', zh: '饮水安全', en: 'Safe drinking water' },
  { name: 'waterProblem', type: 'string', nullable: true, column: 'water_problem', zh: '饮水不安全原因', en: 'Drinking water problem', codes: WATER_PROBLEMS },
  { name: 'electricity', type: 'bool', nullable: true, column: 'electricity', zh: '通生活用电', en: 'Has electricity' },
  { name: 'landCultivated', type: 'double', nullable: true, column: 'land_cultivated', zh: '耕地面积', en: 'Cultivated land', unit: 'mu' },
  { name: 'dibao', type: 'string', nullable: false, column: 'dibao', zh: '低保', en: 'Minimum living allowance (dibao)', codes: DIBAO_TYPES },
  { name: 'tekun', type: 'string', nullable: false, column: 'tekun', zh: '特困供养', en: 'Destitute-person support (tekun)', codes: TEKUN_TYPES },
  { name: 'wholeNoLabour', type: 'bool', nullable: false, column: 'whole_no_labour', zh: '整户无劳动能力兜底保障户', en: 'Whole household without labour, covered by social security' },
  { name: 'size', type: 'int', nullable: false, column: 'size', zh: '家庭人口数', en: 'Household size', unit: 'persons' },
  { name: 'labourCount', type: 'int', nullable: false, column: 'labour_count', zh: '有劳动能力的人数（普通、技能、弱或半劳动力）', en: 'Members with labour capacity (ordinary, skilled, weak)', unit: 'persons' },
] as const satisfies readonly RuleField[];

/** 成员 — one current member. */
export const MEMBER_FIELDS = [
  { name: 'relation', type: 'string', nullable: false, column: 'relation', zh: '与户主关系', en: 'Relation to the head', codes: RELATIONS },
  { name: 'sex', type: 'string', nullable: true, column: 'sex', zh: '性别', en: 'Sex', codes: SEXES },
  { name: 'age', type: 'int', nullable: true, column: 'age', zh: '年龄（评估日的周岁）', en: 'Age in full years at the assessment date', unit: 'years' },
  { name: 'education', type: 'string', nullable: true, column: 'education', zh: '文化程度', en: 'Education', codes: EDUCATION_LEVELS },
  { name: 'schoolStatus', type: 'string', nullable: true, column: 'school_status', zh: '在校生状况', en: 'School status', codes: SCHOOL_STATUSES },
  { name: 'dropoutReason', type: 'string', nullable: true, column: 'dropout_reason', zh: '义务教育阶段未上学原因', en: 'Reason for not attending compulsory school', codes: DROPOUT_REASONS },
  { name: 'inCompulsoryAge', type: 'bool', nullable: true, column: 'in_compulsory_age', zh: '处于义务教育年龄（按政策参数）', en: 'Of compulsory-school age (per the policy setting)' },
  { name: 'health', type: 'list<string>', nullable: false, column: 'health', zh: '健康状况', en: 'Health conditions', codes: HEALTH_CONDITIONS },
  { name: 'disabled', type: 'bool', nullable: false, column: 'disabled', zh: '残疾', en: 'Disabled' },
  { name: 'disabilityCategory', type: 'string', nullable: true, column: 'disability_category', zh: '残疾类别', en: 'Disability category', codes: DISABILITY_CATEGORIES },
  { name: 'disabilityGrade', type: 'int', nullable: true, column: 'disability_grade', zh: '残疾等级（1–4）', en: 'Disability grade (1–4)' },
  { name: 'labour', type: 'string', nullable: true, column: 'labour', zh: '劳动技能', en: 'Labour skill', codes: LABOUR_SKILLS },
  { name: 'labourCapable', type: 'bool', nullable: true, column: 'labour_capable', zh: '有劳动能力（普通、技能、弱或半劳动力）', en: 'Has labour capacity (ordinary, skilled, weak)' },
  { name: 'workMonths', type: 'int', nullable: true, column: 'work_months', zh: '务工时间（月）', en: 'Months worked this year', unit: 'months' },
  { name: 'workPlace', type: 'string', nullable: true, column: 'work_place', zh: '务工地点', en: 'Work place', codes: WORK_PLACES },
  { name: 'publicWelfareMonths', type: 'int', nullable: true, column: 'public_welfare_months', zh: '公益性岗位（月）', en: 'Months in a public-welfare post', unit: 'months' },
  { name: 'monthlyWorkIncome', type: 'double', nullable: true, column: 'monthly_work_income', zh: '月务工收入', en: 'Monthly work income', unit: 'yuan' },
  { name: 'medicalInsurance', type: 'string', nullable: true, column: 'medical_insurance', zh: '基本医疗保险', en: 'Basic medical insurance', codes: MEDICAL_INSURANCES },
  { name: 'insured', type: 'bool', nullable: false, column: 'insured', zh: '参加基本医疗保险（居民或职工；未记录视为未参保）', en: 'Has basic medical insurance (resident or employee; unrecorded counts as not insured)' },
  { name: 'criticalIllnessInsurance', type: 'bool', nullable: false, column: 'critical_illness_insurance', zh: '大病保险', en: 'Critical-illness insurance' },
  { name: 'pensionInsurance', type: 'bool', nullable: false, column: 'pension_insurance', zh: '城乡居民基本养老保险', en: 'Resident pension insurance' },
  { name: 'medicalAid', type: 'bool', nullable: false, column: 'medical_aid', zh: '享受医疗救助', en: 'Receives medical aid' },
  { name: 'dibao', type: 'string', nullable: false, column: 'dibao', zh: '低保', en: 'Minimum living allowance (dibao)', codes: DIBAO_TYPES },
  { name: 'tekun', type: 'string', nullable: false, column: 'tekun', zh: '特困供养', en: 'Destitute-person support (tekun)', codes: TEKUN_TYPES },
] as const satisfies readonly RuleField[];

/**
 * 收入 — one year's income (yuan). Every field is null when no income is recorded for the year; group
 * totals count missing items as 0 (as incomeTotals does), items are null when not recorded.
 */
export const INCOME_FIELDS = [
  { name: 'perCapitaNet', type: 'double', nullable: true, column: 'per_capita_net', zh: '人均纯收入（家庭人口为 0 时为空）', en: 'Per-capita net income (null when the household has no members)', unit: 'yuan' },
  { name: 'total', type: 'double', nullable: true, column: 'net', zh: '家庭纯收入', en: 'Household net income', unit: 'yuan' },
  { name: 'wage', type: 'double', nullable: true, column: 'wage', zh: '工资性收入', en: 'Wage income', unit: 'yuan' },
  { name: 'operating', type: 'double', nullable: true, column: 'operating', zh: '生产经营性收入（可为负）', en: 'Operating income (may be negative)', unit: 'yuan' },
  { name: 'property', type: 'double', nullable: true, column: 'property', zh: '财产性收入', en: 'Property income', unit: 'yuan' },
  { name: 'transfer', type: 'double', nullable: true, column: 'transfer', zh: '转移性收入', en: 'Transfer income', unit: 'yuan' },
  { name: 'productiveExpense', type: 'double', nullable: true, column: 'productive_expense', zh: '生产经营性支出', en: 'Operating expenses', unit: 'yuan' },
  { name: 'medicalSelfPay', type: 'double', nullable: true, column: 'medical_self_pay', zh: '合规自付支出（医疗等）', en: 'Compliant out-of-pocket spending (medical …)', unit: 'yuan' },
  { name: 'publicWelfareWage', type: 'double', nullable: true, column: 'public_welfare_wage', zh: '公益性岗位收入', en: 'Public-welfare post wages', unit: 'yuan' },
  { name: 'otherWage', type: 'double', nullable: true, column: 'other_wage', zh: '其他工资性收入', en: 'Other wages', unit: 'yuan' },
  { name: 'assetDividend', type: 'double', nullable: true, column: 'asset_dividend', zh: '资产收益扶贫分红收入', en: 'Asset-income dividends', unit: 'yuan' },
  { name: 'otherPropertyIncome', type: 'double', nullable: true, column: 'other_property_income', zh: '其他财产性收入', en: 'Other property income', unit: 'yuan' },
  { name: 'pension', type: 'double', nullable: true, column: 'pension', zh: '养老金或离退休金', en: 'Pensions', unit: 'yuan' },
  { name: 'familyPlanning', type: 'double', nullable: true, column: 'family_planning', zh: '计划生育金', en: 'Family-planning payments', unit: 'yuan' },
  { name: 'ecoCompensation', type: 'double', nullable: true, column: 'eco_compensation', zh: '生态补偿金', en: 'Ecological compensation', unit: 'yuan' },
  { name: 'dibaoPayment', type: 'double', nullable: true, column: 'dibao_payment', zh: '最低生活保障金', en: 'Minimum living allowance received', unit: 'yuan' },
  { name: 'tekunPayment', type: 'double', nullable: true, column: 'tekun_payment', zh: '特困人员救助供养金', en: 'Destitute-person support received', unit: 'yuan' },
  { name: 'otherTransfer', type: 'double', nullable: true, column: 'other_transfer', zh: '其他转移性收入', en: 'Other transfers', unit: 'yuan' },
] as const satisfies readonly RuleField[];

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** 政策参数 — every policy setting (policy/settings.ts), as in force for the household's region and year. */
export const POLICY_FIELDS: readonly RuleField[] = POLICY_DEFINITIONS.map((d: PolicyDefinition) => ({
  name: d.key,
  type: d.integer ? 'int' : 'double',
  // a setting that starts in a year (the monitoring line, 2021) is null before it: a rule on it does not match then
  nullable: d.since !== undefined,
  column: snake(d.key),
  zh: d.zh,
  en: d.en,
  unit: d.unit,
}));

export type RuleMessageName = 'Household' | 'Member' | 'Income' | 'Policy';

export const RULE_MESSAGES: Readonly<Record<RuleMessageName, { readonly zh: string; readonly en: string; readonly fields: readonly RuleField[] }>> = {
  Household: { zh: '户', en: 'Household', fields: HOUSEHOLD_FIELDS },
  Member: { zh: '成员', en: 'Member', fields: MEMBER_FIELDS },
  Income: { zh: '年度收入', en: 'Income of a year', fields: INCOME_FIELDS },
  Policy: { zh: '政策参数', en: 'Policy settings', fields: POLICY_FIELDS },
};

export type RuleVariableName = 'household' | 'members' | 'income' | 'lastIncome' | 'policy';

export interface RuleVariable {
  readonly name: RuleVariableName;
  readonly message: RuleMessageName;
  /** a list of messages (members) rather than one */
  readonly list: boolean;
  /** the fact table the fields live in, and the column prefix there */
  readonly table: 'household' | 'member';
  readonly columnPrefix: string;
  readonly zh: string;
  readonly en: string;
}

export const RULE_VARIABLES: readonly RuleVariable[] = [
  { name: 'household', message: 'Household', list: false, table: 'household', columnPrefix: '', zh: '本户（评估年度）', en: 'The household (assessment year)' },
  { name: 'members', message: 'Member', list: true, table: 'member', columnPrefix: '', zh: '本户现有成员列表', en: 'The current members (a list)' },
  { name: 'income', message: 'Income', list: false, table: 'household', columnPrefix: 'income_', zh: '本年度收入（未记录时各项为空）', en: 'Income of the assessment year (null fields when not recorded)' },
  { name: 'lastIncome', message: 'Income', list: false, table: 'household', columnPrefix: 'last_income_', zh: '上年度收入（未记录时各项为空）', en: 'Income of the year before (null fields when not recorded)' },
  { name: 'policy', message: 'Policy', list: false, table: 'household', columnPrefix: 'policy_', zh: '适用的政策参数', en: 'The policy settings in force' },
];

export function ruleVariable(name: string): RuleVariable | undefined {
  return RULE_VARIABLES.find((v) => v.name === name);
}

export function ruleField(message: RuleMessageName, name: string): RuleField | undefined {
  return RULE_MESSAGES[message].fields.find((f) => f.name === name);
}

// ---------------------------------------------------------------------------------------------
// Facts: the JavaScript shape of one household's facts (what evaluate() reads)

type TsValue<T extends RuleFieldType> = T extends 'int'
  ? number | bigint
  : T extends 'double'
    ? number
    : T extends 'string'
      ? string
      : T extends 'bool'
        ? boolean
        : readonly string[];

/** The facts object of a field table: field name → value (null allowed for nullable fields). */
export type FactsOf<F extends readonly RuleField[]> = {
  [D in F[number] as D['name']]: D['nullable'] extends true ? TsValue<D['type']> | null : TsValue<D['type']>;
};

export type HouseholdFacts = FactsOf<typeof HOUSEHOLD_FIELDS>;
export type MemberFacts = FactsOf<typeof MEMBER_FIELDS>;
/** An income record's facts; a missing record is `null` (every field null). Missing keys count as null. */
export type IncomeFacts = Partial<FactsOf<typeof INCOME_FIELDS>>;
export type PolicyFacts = PolicyValues;

/** Everything a rule can see of one household. */
export interface RuleFacts {
  household: HouseholdFacts;
  members: readonly MemberFacts[];
  income: IncomeFacts | null;
  lastIncome: IncomeFacts | null;
  policy: PolicyFacts;
}

// ---------------------------------------------------------------------------------------------
// Fact tables

export const HOUSEHOLD_FACTS_TABLE = 'rule_household_facts';
export const MEMBER_FACTS_TABLE = 'rule_member_facts';
/** The household key, in both fact tables (as in the registry: households are keyed by county and id). */
export const HOUSEHOLD_KEY_COLUMNS = ['county_code', 'household_id'] as const;

export interface FactColumn {
  readonly column: string;
  /** PostgreSQL type */
  readonly sqlType: 'boolean' | 'bigint' | 'double precision' | 'text' | 'text[]';
  readonly nullable: boolean;
  /** where the value comes from: a key, or a variable's field */
  readonly source: { readonly kind: 'key' } | { readonly kind: 'field'; readonly variable: RuleVariableName; readonly field: RuleField };
}

const SQL_TYPES: Record<RuleFieldType, FactColumn['sqlType']> = {
  bool: 'boolean',
  int: 'bigint',
  double: 'double precision',
  string: 'text',
  'list<string>': 'text[]',
};

/** The columns of a fact table, keys first, in a stable order. */
export function factColumns(table: 'household' | 'member'): FactColumn[] {
  const cols: FactColumn[] = [
    { column: 'county_code', sqlType: 'text', nullable: false, source: { kind: 'key' } },
    { column: 'household_id', sqlType: 'bigint', nullable: false, source: { kind: 'key' } },
  ];
  if (table === 'member') cols.push({ column: 'member_id', sqlType: 'bigint', nullable: false, source: { kind: 'key' } });
  for (const v of RULE_VARIABLES) {
    if (v.table !== table) continue;
    for (const f of RULE_MESSAGES[v.message].fields) {
      cols.push({ column: v.columnPrefix + f.column, sqlType: SQL_TYPES[f.type], nullable: f.nullable, source: { kind: 'field', variable: v.name, field: f } });
    }
  }
  return cols;
}

const SQL_IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * CREATE TABLE statements for the two fact tables (household facts with its primary key, member facts with
 * an index on the household key). Table names must be plain lower-case identifiers.
 */
export function factTablesDdl(options: { household?: string; member?: string; unlogged?: boolean } = {}): string[] {
  const household = options.household ?? HOUSEHOLD_FACTS_TABLE;
  const member = options.member ?? MEMBER_FACTS_TABLE;
  for (const t of [household, member]) if (!SQL_IDENT.test(t)) throw new Error(`invalid table name: ${t}`);
  const kind = options.unlogged ? 'unlogged table' : 'table';
  const body = (table: 'household' | 'member') =>
    factColumns(table)
      .map((c) => `  ${c.column} ${c.sqlType}${c.nullable ? '' : ' not null'}`)
      .join(',\n');
  return [
    `create ${kind} ${household} (\n${body('household')},\n  primary key (county_code, household_id)\n)`,
    `create ${kind} ${member} (\n${body('member')},\n  primary key (county_code, household_id, member_id)\n)`,
  ];
}

/** A fact value ready for a database driver: ints as decimal strings, doubles as numbers, lists as arrays. */
export type FactCellValue = string | number | boolean | readonly string[] | null;

function cell(field: RuleField, value: unknown): FactCellValue {
  if (value === undefined || value === null) {
    if (field.type === 'list<string>') return [];
    return null;
  }
  switch (field.type) {
    case 'int':
      return typeof value === 'bigint' ? value.toString() : String(value as number);
    case 'double':
      return Number(value);
    case 'list<string>':
      return value as readonly string[];
    default:
      return value as string | boolean;
  }
}

export interface FactKey {
  countyCode: string;
  householdId: number | bigint;
}

/**
 * The fact-table rows of one household, as objects keyed by column (for json_populate_recordset or a
 * driver). Members get member_id 1, 2, … unless `memberIds` is given.
 */
export function factRows(
  key: FactKey,
  facts: RuleFacts,
  memberIds?: readonly (number | bigint)[],
): { household: Record<string, FactCellValue>; members: Record<string, FactCellValue>[] } {
  const keyCells = { county_code: key.countyCode, household_id: key.householdId.toString() };
  const household: Record<string, FactCellValue> = { ...keyCells };
  for (const c of factColumns('household')) {
    if (c.source.kind !== 'field') continue;
    const { variable, field } = c.source;
    const obj = (variable === 'members' ? null : facts[variable]) as Record<string, unknown> | null;
    household[c.column] = cell(field, obj?.[field.name]);
  }
  const memberCols = factColumns('member');
  const members = facts.members.map((m, i) => {
    const row: Record<string, FactCellValue> = { ...keyCells, member_id: (memberIds?.[i] ?? i + 1).toString() };
    for (const c of memberCols) {
      if (c.source.kind !== 'field') continue;
      row[c.column] = cell(c.source.field, (m as Record<string, unknown>)[c.source.field.name]);
    }
    return row;
  });
  return { household, members };
}
