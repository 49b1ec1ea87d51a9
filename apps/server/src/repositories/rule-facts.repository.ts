/**
 * The fact tables that warning rules read (packages/domain/src/rules/environment.ts), built from the registry
 * with set-based SQL for a region and an assessment year: one row per household (its fields, this year's and
 * last year's income, the policy settings in force for its county) and one row per current member. They are
 * temporary tables of the caller's transaction, so row-level security of the registry applies while building
 * them and nothing outlives the run. The same query, limited to one household, gives the facts a rule is
 * previewed on, so the TypeScript and SQL evaluations of a rule always read the same facts.
 */
import {
  factColumns, factTablesDdl, HOUSEHOLD_FACTS_TABLE, INCOME_ITEMS, MEMBER_FACTS_TABLE, netIncomeSql, perCapitaNetIncomeSql, POLICY_DEFINITIONS,
  type FactColumn, type IncomeFacts, type MemberFacts, type HouseholdFacts, type PolicyValues, type RuleFacts,
} from '@tuopin/domain';
import type pg from 'pg';

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Income columns of one income_records alias: derived totals (null without a record), then every item. */
function incomeColumns(alias: string, prefix: string): Record<string, string> {
  const has = `${alias}.household_id is not null`;
  const sum = (group: string) => {
    const items = INCOME_ITEMS.filter((i) => i.group === group);
    return `case when ${has} then (${items.map((i) => `coalesce(${alias}.${i.column},0)`).join('+')})::float8 end`;
  };
  const cols: Record<string, string> = {
    [`${prefix}per_capita_net`]: `case when ${has} then ${perCapitaNetIncomeSql(alias, 'coalesce(ms.size, 0)')}::float8 end`,
    [`${prefix}net`]: `case when ${has} then ${netIncomeSql(alias)}::float8 end`,
    [`${prefix}wage`]: sum('wage'),
    [`${prefix}operating`]: sum('operating'),
    [`${prefix}property`]: sum('property'),
    [`${prefix}transfer`]: sum('transfer'),
    [`${prefix}productive_expense`]: sum('expense'),
    [`${prefix}medical_self_pay`]: sum('outOfPocket'),
  };
  for (const i of INCOME_ITEMS) {
    if (i.key === 'operatingIncome' || i.key === 'operatingExpense' || i.key === 'compliantOutOfPocket') continue;
    cols[`${prefix}${i.column}`] = `${alias}.${i.column}::float8`;
  }
  return cols;
}

/** SQL for every household fact column (the registry tables are h, s, i, li, ms, mr, p). */
function householdExpressions(): Record<string, string> {
  return {
    county_code: 'h.county_code',
    household_id: 'h.id',
    household_no: 'h.household_no',
    village_code: 'h.village_code',
    year: '$2::bigint',
    attribute: 'h.attribute',
    status: "coalesce(s.status, 'ordinary')",
    identified_year: 'h.identified_year::bigint',
    exit_year: 'coalesce(s.exit_year, h.exit_year)::bigint',
    monitored: 'coalesce(s.monitored, false)',
    monitored_type: 's.monitored_type',
    risk_types: "coalesce(s.risk_types, '{}')",
    months_monitored: `case when coalesce(s.monitored, false) and mr.identified_on is not null
      then (extract(year from age($3::date, mr.identified_on)) * 12 + extract(month from age($3::date, mr.identified_on)))::bigint end`,
    // assistance measures are not recorded yet: no household has one
    has_development_measure: 'false',
    main_cause: 'h.main_cause',
    is_military_family: 'coalesce(h.is_military_family, false)',
    housing_rating: 'h.housing_rating',
    housing_area: 'h.housing_area::float8',
    relocated: 'coalesce(h.relocated, false)',
    relocation_keys_received: 'h.relocation_keys_received',
    safe_water: 'h.safe_water',
    water_problem: 'h.water_problem',
    electricity: 'h.electricity',
    land_cultivated: 'h.land_cultivated::float8',
    dibao: "coalesce(h.dibao, 'none')",
    tekun: "coalesce(h.tekun, 'none')",
    whole_no_labour: 'coalesce(h.whole_no_labour, false)',
    size: 'coalesce(ms.size, 0)::bigint',
    labour_count: 'coalesce(ms.labour_count, 0)::bigint',
    ...incomeColumns('i', 'income_'),
    ...incomeColumns('li', 'last_income_'),
    ...Object.fromEntries(POLICY_DEFINITIONS.map((d) => [`policy_${snake(d.key)}`, `p.${snake(d.key)}`])),
  };
}

const LABOUR_CAPABLE_SQL = "('ordinary', 'skilled', 'weak')";
/** Age in full years at $2 from the birth date, else from the birth date inside an 18-character ID number. */
const AGE_SQL = `extract(year from age($2::date, coalesce(m.birth_date,
  case when m.id_number ~ '^\\d{17}[0-9X]' then to_date(substr(m.id_number, 7, 8), 'YYYYMMDD') end)))::bigint`;

function memberExpressions(): Record<string, string> {
  return {
    county_code: 'm.county_code',
    household_id: 'm.household_id',
    member_id: 'm.id',
    relation: "coalesce(m.relation, 'other')",
    sex: 'm.sex',
    age: 'a.age',
    education: 'm.education',
    school_status: 'm.school_status',
    dropout_reason: 'm.dropout_reason',
    in_compulsory_age: 'a.age between f.policy_compulsory_age_min and f.policy_compulsory_age_max',
    health: "coalesce(m.health, '{}')",
    disabled: "('disabled' = any(coalesce(m.health, '{}')) or m.disability_category is not null)",
    disability_category: 'm.disability_category::text',
    disability_grade: 'm.disability_grade::bigint',
    labour: 'm.labour',
    labour_capable: `case when m.labour is not null then m.labour in ${LABOUR_CAPABLE_SQL} end`,
    work_months: 'm.work_months::bigint',
    work_place: 'm.work_place',
    public_welfare_months: 'm.public_welfare_months::bigint',
    monthly_work_income: 'm.monthly_work_income::float8',
    medical_insurance: 'm.medical_insurance',
    insured: "coalesce(m.medical_insurance in ('resident', 'employee'), false)",
    critical_illness_insurance: 'coalesce(m.critical_illness_insurance, false)',
    pension_insurance: 'coalesce(m.pension_insurance, false)',
    medical_aid: 'coalesce(m.medical_aid, false)',
    dibao: "coalesce(m.dibao, 'none')",
    tekun: "coalesce(m.tekun, 'none')",
  };
}

function select(columns: FactColumn[], exprs: Record<string, string>): string {
  const missing = columns.filter((c) => !(c.column in exprs)).map((c) => c.column);
  if (missing.length) throw new Error(`fact columns without an expression: ${missing.join(', ')}`);
  return columns.map((c) => `${exprs[c.column]} as ${c.column}`).join(',\n    ');
}

export const POLICY_TABLE = 'rule_policy';

export interface CountyPolicy {
  countyCode: string;
  values: PolicyValues;
  /** key → id of the stored setting row used (absent: the built-in default) */
  sources: Record<string, number>;
}

/**
 * Creates the temporary fact tables (and the per-county policy table) in the caller's transaction.
 * `household` limits the facts to one household (previews); otherwise every household under `prefix`.
 */
export async function buildFacts(
  client: pg.PoolClient,
  opts: { prefix: string; year: number; referenceDate: string; policies: CountyPolicy[]; household?: { countyCode: string; id: number } },
): Promise<number> {
  for (const t of [HOUSEHOLD_FACTS_TABLE, MEMBER_FACTS_TABLE, POLICY_TABLE]) await client.query(`drop table if exists pg_temp.${t}`);
  for (const ddl of factTablesDdl()) await client.query(`${ddl.replace(/^create table/, 'create temp table')} on commit drop`);
  const policyCols = POLICY_DEFINITIONS.map((d) => `${snake(d.key)} ${d.integer ? 'bigint' : 'float8'} not null`);
  await client.query(`create temp table ${POLICY_TABLE} (county_code text primary key, ${policyCols.join(', ')}, sources jsonb not null) on commit drop`);
  await client.query(
    `insert into ${POLICY_TABLE} select * from json_populate_recordset(null::${POLICY_TABLE}, $1::json)`,
    [JSON.stringify(opts.policies.map((p) => ({
      county_code: p.countyCode, sources: p.sources, ...Object.fromEntries(POLICY_DEFINITIONS.map((d) => [snake(d.key), p.values[d.key]])),
    })))],
  );
  const hCols = factColumns('household');
  const one = opts.household ? 'and h.county_code = $4 and h.id = $5' : '';
  const params: unknown[] = [opts.prefix, opts.year, opts.referenceDate];
  if (opts.household) params.push(opts.household.countyCode, opts.household.id);
  const r = await client.query(
    `insert into ${HOUSEHOLD_FACTS_TABLE} (${hCols.map((c) => c.column).join(', ')})
     select
    ${select(hCols, householdExpressions())}
       from households h
       join ${POLICY_TABLE} p on p.county_code = h.county_code
       left join household_year_status s on s.county_code = h.county_code and s.household_id = h.id and s.year = $2
       left join income_records i on i.county_code = h.county_code and i.household_id = h.id and i.year = $2
       left join income_records li on li.county_code = h.county_code and li.household_id = h.id and li.year = $2 - 1
       left join (select county_code, household_id, count(*) as size, count(*) filter (where labour in ${LABOUR_CAPABLE_SQL}) as labour_count
                    from members where active and village_code like $1 || '%' group by county_code, household_id) ms
              on ms.county_code = h.county_code and ms.household_id = h.id
       left join monitoring_records mr on mr.county_code = h.county_code and mr.household_id = h.id and mr.eliminated_on is null
      where h.village_code like $1 || '%' ${one}`,
    params,
  );
  const mCols = factColumns('member');
  await client.query(
    `insert into ${MEMBER_FACTS_TABLE} (${mCols.map((c) => c.column).join(', ')})
     select
    ${select(mCols, memberExpressions())}
       from members m
       join ${HOUSEHOLD_FACTS_TABLE} f on f.county_code = m.county_code and f.household_id = m.household_id
       cross join lateral (select ${AGE_SQL} as age) a
      where m.active and m.village_code like $1 || '%'`,
    [opts.prefix, opts.referenceDate],
  );
  await client.query(`analyze ${HOUSEHOLD_FACTS_TABLE}`);
  await client.query(`analyze ${MEMBER_FACTS_TABLE}`);
  return r.rowCount ?? 0;
}

type Row = Record<string, unknown>;

/** A household's facts (as evaluateRule reads them) from its fact rows. */
export function factsFromRows(h: Row, members: Row[]): RuleFacts {
  const pick = (row: Row, variable: string) => {
    const out: Record<string, unknown> = {};
    for (const c of factColumns(variable === 'members' ? 'member' : 'household')) {
      if (c.source.kind !== 'field' || c.source.variable !== variable) continue;
      const v = row[c.column];
      out[c.source.field.name] = c.sqlType === 'bigint' && v !== null && v !== undefined ? Number(v) : v;
    }
    return out;
  };
  const income = (variable: 'income' | 'lastIncome') => {
    const v = pick(h, variable);
    return Object.values(v).every((x) => x === null) ? null : (v as IncomeFacts);
  };
  return {
    household: pick(h, 'household') as unknown as HouseholdFacts,
    members: members.map((m) => pick(m, 'members') as unknown as MemberFacts),
    income: income('income'),
    lastIncome: income('lastIncome'),
    policy: pick(h, 'policy') as unknown as PolicyValues,
  };
}

/** Reads back the facts of the households in the fact tables (for previews and snapshots). */
export async function readFacts(client: pg.PoolClient, limit: number): Promise<{ countyCode: string; householdId: number; facts: RuleFacts }[]> {
  const hs = (await client.query(`select * from ${HOUSEHOLD_FACTS_TABLE} order by county_code, household_id limit $1`, [limit])).rows as Row[];
  if (!hs.length) return [];
  const ms = (await client.query(
    `select m.* from ${MEMBER_FACTS_TABLE} m join (select county_code, household_id from ${HOUSEHOLD_FACTS_TABLE} order by county_code, household_id limit $1) h
       using (county_code, household_id) order by m.member_id`,
    [limit],
  )).rows as Row[];
  return hs.map((h) => ({
    countyCode: String(h.county_code),
    householdId: Number(h.household_id),
    facts: factsFromRows(h, ms.filter((m) => m.county_code === h.county_code && Number(m.household_id) === Number(h.household_id))),
  }));
}
