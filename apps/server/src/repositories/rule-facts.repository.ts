/**
 * The fact tables that warning rules read (packages/domain/src/rules/environment.ts), as views over the registry
 * for a region and an assessment year: one row per household (its fields, this year's and last year's income,
 * the policy settings in force for its county) and one row per current member. They are temporary views of the
 * caller's session, dropped after use, and run with the caller's rights, so row-level security applies. The same query, limited to one household, gives the facts a rule is
 * previewed on, so the TypeScript and SQL evaluations of a rule always read the same facts.
 */
import {
  factColumns, HOUSEHOLD_FACTS_TABLE, INCOME_ITEMS, MEMBER_FACTS_TABLE, netIncomeSql, perCapitaNetIncomeSql, POLICY_DEFINITIONS,
  type FactColumn, type IncomeFacts, type MemberFacts, type HouseholdFacts, type PolicyValues, type RuleFacts,
} from '@tuopin/domain';
import { sql } from 'kysely';
import { ancestorCodes, regionLevel, regionPrefix, resolvePolicy } from '@tuopin/domain';
import type { Tx } from '../db/database';
import { rawClient } from '../db/raw';
import type { PolicyRepository } from './policy.repository';
import { developmentMeasureInForceSql } from './assistance.repository';

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

/** SQL for every household fact column (the registry tables are h, s, i, li, ms, mr, dm, p). */
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
    // an industry or employment measure in force at the reference date (assistance_measures)
    has_development_measure: 'dm.household_id is not null',
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
/** Age in full years at $3 from the birth date, else from the birth date inside an 18-character ID number. */
const AGE_SQL = `extract(year from age($3::date, coalesce(m.birth_date,
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
    in_compulsory_age: 'a.age between f.compulsory_age_min and f.compulsory_age_max',
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
 * The settings in force for each county that has households under `prefix` (visible to the caller), by the
 * domain's one resolution rule, with the ids of the stored rows used. `policy` is the container's repository.
 */
export async function countyPolicies(tx: Tx, policy: PolicyRepository, prefix: string, year: number): Promise<CountyPolicy[]> {
  const counties = (await sql<{ county_code: string }>`
    select distinct county_code from households where village_code like ${prefix + '%'} order by 1`.execute(tx)).rows.map((r) => r.county_code);
  if (!counties.length) return [];
  const prefixes = new Set<string>();
  for (const c of counties) for (const a of [...ancestorCodes(`${c}000000`), `${c}000000`]) if (regionLevel(a) <= 3) prefixes.add(regionPrefix(a));
  const rows = (await policy.chain(tx, [...prefixes], year)).map((r) => ({ id: r.id, regionCode: r.region_code, year: r.year, key: r.key, value: r.value }));
  return counties.map((c) => {
    const { values, sources } = resolvePolicy(rows, `${c}000000`, year);
    return { countyCode: c, values, sources: Object.fromEntries(Object.entries(sources).filter(([, s]) => s.id !== null).map(([k, s]) => [k, s.id!])) };
  });
}

const DIGITS = /^\d{0,12}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The fact tables as SQL: WITH-clause items to put before a query that reads them, and their parameter. */
export interface Facts {
  /** `rule_policy as (…), rule_household_facts as not materialized (…), rule_member_facts as not materialized (…)` */
  with: string;
  /** the value of the one parameter the items use (the settings of each county, as JSON) */
  param: string;
  /** number of that parameter in the query */
  paramIndex: number;
  /** The same items, but the household sizes counted from the materialised member facts (materializeFacts). */
  withMaterializedMembers: string;
}

/**
 * The fact tables of a region and year, as common table expressions over the registry. Nothing is
 * materialised but the settings: a query over them is planned as one pass over the registry, computing only the
 * columns it reads, with the member list as correlated subqueries on the members' index. They are read in the
 * caller's scoped transaction, so row-level security applies, and need no DDL (read-only transactions can preview).
 * Prefix, year and date are checked and written into the SQL; the settings are parameter `$paramIndex`.
 */
export function factsSql(opts: { prefix: string; year: number; referenceDate: string; policies: CountyPolicy[]; paramIndex: number }): Facts {
  const { prefix, year, referenceDate, paramIndex } = opts;
  if (!DIGITS.test(prefix) || !Number.isInteger(year) || !ISO_DATE.test(referenceDate) || !Number.isInteger(paramIndex)) throw new Error('invalid fact parameters');
  const bind = (text: string) => text.replaceAll('$1', `'${prefix}'`).replaceAll('$2', String(year)).replaceAll('$3', `'${referenceDate}'`);
  const policyCols = POLICY_DEFINITIONS.map((d) => `${snake(d.key)} ${d.integer ? 'bigint' : 'float8'}`);
  const hCols = factColumns('household');
  const mCols = factColumns('member');
  const registryMembers = `members mc where active and village_code like $1 || '%'`;
  const items = (membersFrom: string) => [
    // Not materialised: a function scan the planner may run inside parallel workers (a CTE scan may not).
    `${POLICY_TABLE} as not materialized (select * from jsonb_to_recordset($${paramIndex}::jsonb) as p(county_code text, ${policyCols.join(', ')}, sources jsonb))`,
    bind(`${HOUSEHOLD_FACTS_TABLE} as not materialized (
     select
    ${select(hCols, householdExpressions())}
       from households h
       join ${POLICY_TABLE} p on p.county_code = h.county_code
       left join household_year_status s on s.county_code = h.county_code and s.household_id = h.id and s.year = $2
       left join income_records i on i.county_code = h.county_code and i.household_id = h.id and i.year = $2
       left join income_records li on li.county_code = h.county_code and li.household_id = h.id and li.year = $2 - 1
       left join (select county_code, household_id, count(*) as size, count(*) filter (where labour in ${LABOUR_CAPABLE_SQL}) as labour_count
                    from ${membersFrom} group by county_code, household_id) ms
              on ms.county_code = h.county_code and ms.household_id = h.id
       left join monitoring_records mr on mr.county_code = h.county_code and mr.household_id = h.id and mr.eliminated_on is null
       left join (select distinct am.county_code, am.household_id from assistance_measures am
                   where ${developmentMeasureInForceSql('am', '$3::date', true)} and am.village_code like $1 || '%') dm
              on dm.county_code = h.county_code and dm.household_id = h.id
      where h.village_code like $1 || '%')`),
    bind(`${MEMBER_FACTS_TABLE} as not materialized (
     select
    ${select(mCols, memberExpressions())}
       from members m
       join ${POLICY_TABLE} f on f.county_code = m.county_code
       cross join lateral (select ${AGE_SQL} as age) a
      where m.active and m.village_code like $1 || '%')`),
  ].join(',\n');
  const param = JSON.stringify(opts.policies.map((p) => ({
    county_code: p.countyCode, sources: p.sources, ...Object.fromEntries(POLICY_DEFINITIONS.map((d) => [snake(d.key), p.values[d.key]])),
  })));
  // pg_temp: the temporary table of materializeFacts, never the common table expression of the same name.
  return { with: items(registryMembers), withMaterializedMembers: items(`pg_temp.${MEMBER_FACTS_TABLE} mc`), param, paramIndex };
}

/**
 * Materialises the fact tables as temporary tables of the transaction (a run reads them many times: once per
 * group of counties). Needs a writable transaction; previews read the common table expressions directly.
 */
export async function materializeFacts(
  tx: Tx, facts: Facts, columns?: { household: string[]; member: string[] },
): Promise<number> {
  const client = rawClient(tx);
  if (facts.paramIndex !== 1) throw new Error('materializeFacts expects the facts parameter as $1');
  // Only the columns the rules read (plus keys and what a clue's snapshot always shows) are computed.
  const keep = (table: 'household' | 'member', wanted: string[] | undefined) => {
    const all = factColumns(table).map((c) => c.column);
    if (!wanted) return '*';
    const base = table === 'household' ? ['county_code', 'household_id', 'household_no', 'village_code', 'status', 'size'] : ['county_code', 'household_id', 'member_id', 'labour'];
    const set = new Set([...base, ...wanted]);
    return all.filter((c) => set.has(c)).join(', ');
  };
  const cols: Record<string, string> = { [HOUSEHOLD_FACTS_TABLE]: keep('household', columns?.household), [MEMBER_FACTS_TABLE]: keep('member', columns?.member), [POLICY_TABLE]: '*' };
  // A run joins and aggregates whole registry tables: hash tables in memory instead of batches on disk.
  await client.query(`set local work_mem = '256MB'`);
  // Members first: the households' sizes are then counted from the member facts instead of the members table again.
  await client.query(`create temp table ${MEMBER_FACTS_TABLE} on commit drop as with ${facts.with} select ${cols[MEMBER_FACTS_TABLE]} from ${MEMBER_FACTS_TABLE}`, [facts.param]);
  await client.query(`create temp table ${HOUSEHOLD_FACTS_TABLE} on commit drop as with ${facts.withMaterializedMembers} select ${cols[HOUSEHOLD_FACTS_TABLE]} from ${HOUSEHOLD_FACTS_TABLE}`, [facts.param]);
  await client.query(`create temp table ${POLICY_TABLE} on commit drop as with ${facts.with} select * from ${POLICY_TABLE}`, [facts.param]);
  // The member index serves the snapshots and correlated member conditions; households are read by scans. Household
  // ids come from one identity sequence, so the id alone finds a household's members (the rules' SQL still compares
  // the county too); an integer key builds in a third of the time of (county, id).
  await client.query(`create index on ${MEMBER_FACTS_TABLE} (household_id)`);
  await client.query(`alter table ${POLICY_TABLE} add primary key (county_code)`);
  // Row counts and keys for the planner (a full analyze of every fact column costs more than it saves).
  await client.query(`analyze ${HOUSEHOLD_FACTS_TABLE} (county_code, household_id)`);
  await client.query(`analyze ${MEMBER_FACTS_TABLE} (county_code, household_id)`);
  return Number((await client.query(`select count(*)::int as n from ${HOUSEHOLD_FACTS_TABLE}`)).rows[0].n);
}

/** A row of a fact table: its household's key and one column per fact (`factColumns`), as `pg` returns them. */
interface FactRow {
  county_code: string;
  household_id: number;
  [column: string]: unknown;
}

/** A household's facts (as evaluateRule reads them) from its fact rows. */
function factsFromRows(h: FactRow, members: FactRow[]): RuleFacts {
  const pick = (row: FactRow, variable: string) => {
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

/** The village of a household visible to the caller (null when it does not exist or is outside the scope). */
export async function householdVillage(tx: Tx, countyCode: string, id: number): Promise<string | null> {
  const r = await sql<{ village_code: string }>`select village_code from households where county_code = ${countyCode} and id = ${id}`.execute(tx);
  return r.rows[0]?.village_code ?? null;
}

/** One household's facts from the fact tables (built for its village). */
export async function readHouseholdFacts(tx: Tx, facts: Facts, countyCode: string, id: number): Promise<RuleFacts | null> {
  const client = rawClient(tx);
  if (facts.paramIndex !== 1) throw new Error('readHouseholdFacts expects the facts parameter as $1');
  const h = (await client.query(`with ${facts.with} select * from ${HOUSEHOLD_FACTS_TABLE} where county_code = $2 and household_id = $3`, [facts.param, countyCode, id])).rows[0] as FactRow | undefined;
  if (!h) return null;
  const ms = (await client.query(
    `with ${facts.with} select * from ${MEMBER_FACTS_TABLE} where county_code = $2 and household_id = $3 order by member_id`, [facts.param, countyCode, id],
  )).rows as FactRow[];
  return factsFromRows(h, ms);
}

/** Reads back the facts of the first `limit` households of the fact tables (previews and agreement checks). */
export async function readFacts(tx: Tx, facts: Facts, limit: number): Promise<{ countyCode: string; householdId: number; facts: RuleFacts }[]> {
  const client = rawClient(tx);
  if (facts.paramIndex !== 1) throw new Error('readFacts expects the facts parameter as $1');
  const hs = (await client.query(
    `with ${facts.with} select * from ${HOUSEHOLD_FACTS_TABLE} order by county_code, household_id limit $2`, [facts.param, limit],
  )).rows as FactRow[];
  if (!hs.length) return [];
  const ms = (await client.query(
    `with ${facts.with} select m.* from ${MEMBER_FACTS_TABLE} m
      where (m.county_code, m.household_id) in (select u.c, u.h from unnest($2::text[], $3::bigint[]) u(c, h)) order by m.member_id`,
    [facts.param, hs.map((h) => h.county_code), hs.map((h) => h.household_id)],
  )).rows as FactRow[];
  return hs.map((h) => ({
    countyCode: h.county_code,
    householdId: h.household_id,
    facts: factsFromRows(h, ms.filter((m) => m.county_code === h.county_code && m.household_id === h.household_id)),
  }));
}
