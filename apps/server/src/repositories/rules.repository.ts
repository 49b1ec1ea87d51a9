/**
 * Warning rules, their versions and runs; and the one statement of a warning run that evaluates every active
 * rule over the fact tables and inserts the platform clues (deduplicated per household, rule and period).
 */
import { sql } from 'kysely';
import { HOUSEHOLD_FACTS_TABLE, MEMBER_FACTS_TABLE } from '@tuopin/domain';
import type { Tx } from '../db/database';
import { rawClient } from '../db/raw';
import { POLICY_TABLE, type Facts } from './rule-facts.repository';

export interface RuleRow {
  id: string;
  name: string;
  name_en: string | null;
  description: string | null;
  severity: 'high' | 'medium' | 'low';
  risk_type: string;
  channel: 'platform';
  expression: string;
  version: number;
  active: boolean;
  builtin: boolean;
  /** national ('000000000000') or the province, city or county whose administrators wrote it */
  region_code: string;
  updated_by_name: string | null;
  updated_at: Date;
}

/** A rule with its region's name (lists). */
export type RuleListRow = RuleRow & { region_name: string | null };

export interface RuleVersionRow {
  version: number;
  name: string;
  severity: 'high' | 'medium' | 'low';
  risk_type: string;
  expression: string;
  note: string | null;
  created_by_name: string | null;
  created_at: Date;
}

export interface RuleRunRow {
  id: number;
  region_code: string;
  region_name: string;
  region_full_name: string;
  region_level: number;
  year: number;
  period: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  message: string | null;
  results: { ruleId: string; ruleName: string; version: number; matches: number; newHits: number }[] | null;
  households: number | null;
  new_clues: number | null;
  extended_clues: number | null;
  created_by: number | null;
  created_by_name: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface CompiledRule {
  id: string;
  version: number;
  name: string;
  /** the rule as a boolean SQL expression over the household fact row h */
  sql: string;
  /** household fact columns the rule reads (CEL path → column) */
  household: { path: string; column: string }[];
  /** member fact columns it reads, when it looks at the members */
  member: { path: string; column: string }[] | null;
  severity: 'high' | 'medium' | 'low';
  riskType: string;
  /** the significant prefix of the rule's region ('' for a national rule): it only looks at households there */
  regionPrefix: string;
}

const SAFE_ID = /^[a-z][a-z0-9_]*$/;
const quoteKey = (k: string) => {
  if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(k)) throw new Error(`unsafe key ${k}`);
  return `'${k}'`;
};

/**
 * A snapshot of household and member facts as a jsonb expression over h (evaluated for matches only): the facts a
 * rule read (with the rule's id and version), or, without a rule, the facts every active rule reads. Members are
 * named (the clerk reading the clue must know whom a fact is about).
 */
function snapshotSql(household: CompiledRule['household'], member: CompiledRule['member'], rule: Pick<CompiledRule, 'id' | 'version'> | null): string {
  const base = [['householdNo', 'household_no'], ['status', 'status'], ['size', 'size']];
  const seen = new Set(base.map(([k]) => k));
  const own = household.filter((x) => !seen.has(x.path) && (seen.add(x.path), true));
  const hh = [...base.map(([k, c]) => `${quoteKey(k!)}, h.${c}`), ...own.map((x) => `${quoteKey(x.path)}, h.${x.column}`)].join(', ');
  const mSeen = new Set<string>();
  const mOwn = member?.filter((x) => !mSeen.has(x.path) && (mSeen.add(x.path), true)) ?? null;
  const members = mOwn === null ? 'null'
    : `coalesce((select jsonb_agg(jsonb_build_object('memberId', m.member_id,
                                                   'name', (select mm.name from members mm where mm.county_code = m.county_code and mm.id = m.member_id)${mOwn.map((x) => `, ${quoteKey(x.path)}, m.${x.column}`).join('')})
                                order by m.member_id)
         from ${MEMBER_FACTS_TABLE} m where m.county_code = h.county_code and m.household_id = h.household_id), '[]'::jsonb)`;
  const ruleSql = rule ? `, 'rule', jsonb_build_object('id', '${rule.id}', 'version', ${Number(rule.version)})` : '';
  return `jsonb_build_object('household', jsonb_build_object(${hh}), 'members', ${members}${ruleSql})`;
}

const RUN_COLUMNS = sql`r.*, g.name as region_name, g.full_name as region_full_name, g.level as region_level`;
/** A run's region as the reader may name it: its own region and below, or a region above it that the run covered. */
const RUN_REGION = sql`cross join lateral tuopin_region_ref(r.region_code) g`;

export class RulesRepository {
  /** The rules the caller sees (row-level security: national, its chain above and its subtree). */
  async list(tx: Tx): Promise<RuleListRow[]> {
    return (await sql<RuleListRow>`select u.*, g.name as region_name from rules u left join lateral tuopin_region_ref(u.region_code) g on true
      order by u.builtin desc, u.region_code, u.id`.execute(tx)).rows;
  }

  /** Whether a rule id is taken by any rule, visible or not (ids are unique across regions). */
  async idTaken(tx: Tx, id: string): Promise<boolean> {
    return (await sql<{ taken: boolean }>`select rule_id_taken(${id}) as taken`.execute(tx)).rows[0]!.taken;
  }

  async get(tx: Tx, id: string, lock = false): Promise<RuleRow | undefined> {
    return (await sql<RuleRow>`select * from rules where id = ${id} ${lock ? sql`for update` : sql``}`.execute(tx)).rows[0];
  }

  async versions(tx: Tx, id: string): Promise<RuleVersionRow[]> {
    return (await sql<RuleVersionRow>`select * from rule_versions where rule_id = ${id} order by version desc`.execute(tx)).rows;
  }

  async insert(tx: Tx, r: Omit<RuleRow, 'updated_at' | 'channel'>, note: string | null): Promise<void> {
    await sql`insert into rules (id, name, name_en, description, severity, risk_type, expression, version, active, builtin, region_code, updated_by_name)
      values (${r.id}, ${r.name}, ${r.name_en}, ${r.description}, ${r.severity}, ${r.risk_type}, ${r.expression}, ${r.version}, ${r.active}, ${r.builtin},
              ${r.region_code}, ${r.updated_by_name})`.execute(tx);
    await this.addVersion(tx, r, note);
  }

  async update(tx: Tx, r: Omit<RuleRow, 'updated_at' | 'channel' | 'builtin' | 'region_code'>): Promise<void> {
    await sql`update rules set name = ${r.name}, name_en = ${r.name_en}, description = ${r.description}, severity = ${r.severity},
        risk_type = ${r.risk_type}, expression = ${r.expression}, version = ${r.version}, active = ${r.active},
        updated_by_name = ${r.updated_by_name}, updated_at = now()
      where id = ${r.id}`.execute(tx);
  }

  async addVersion(tx: Tx, r: Pick<RuleRow, 'id' | 'version' | 'name' | 'severity' | 'risk_type' | 'expression' | 'updated_by_name'>, note: string | null): Promise<void> {
    await sql`insert into rule_versions (rule_id, version, name, severity, risk_type, expression, note, created_by_name)
      values (${r.id}, ${r.version}, ${r.name}, ${r.severity}, ${r.risk_type}, ${r.expression}, ${note}, ${r.updated_by_name})`.execute(tx);
  }

  async insertRun(tx: Tx, v: { regionCode: string; year: number; period: string; userId: number; username: string }): Promise<number> {
    const r = await sql<{ id: number }>`insert into rule_runs (region_code, year, period, created_by, created_by_name)
      values (${v.regionCode}, ${v.year}, ${v.period}, ${v.userId}, ${v.username}) returning id`.execute(tx);
    return r.rows[0]!.id;
  }

  async getRun(tx: Tx, id: number): Promise<RuleRunRow | undefined> {
    return (await sql<RuleRunRow>`select ${RUN_COLUMNS} from rule_runs r ${RUN_REGION} where r.id = ${id}`.execute(tx)).rows[0];
  }

  /**
   * The runs that covered a region: those of the region and below (`prefix`), and those of the regions enclosing it
   * (`enclosing`: the codes of its chain above), newest first.
   */
  async listRuns(tx: Tx, prefix: string, enclosing: string[]): Promise<RuleRunRow[]> {
    return (await sql<RuleRunRow>`select ${RUN_COLUMNS} from rule_runs r ${RUN_REGION}
      where r.region_code like ${prefix + '%'} or r.region_code = any(${enclosing}::text[]) order by r.id desc limit 30`.execute(tx)).rows;
  }

  /** Takes a queued run for the job that executes it (one conditional update: a second job for it finds it taken). */
  async claimRun(tx: Tx, id: number): Promise<boolean> {
    const r = await sql`update rule_runs set status = 'running', progress = 0.02, message = '正在准备事实数据', started_at = now()
      where id = ${id} and status = 'queued'`.execute(tx);
    return Number(r.numAffectedRows ?? 0) === 1;
  }

  async setRun(
    tx: Tx, id: number,
    f: Partial<Pick<RuleRunRow, 'status' | 'progress' | 'message' | 'results' | 'households' | 'new_clues' | 'extended_clues'>> & { started?: boolean; finished?: boolean },
  ): Promise<void> {
    await sql`update rule_runs set
        status = coalesce(${f.status ?? null}, status),
        progress = coalesce(${f.progress ?? null}, progress),
        message = coalesce(${f.message ?? null}, message),
        results = coalesce(${f.results ? JSON.stringify(f.results) : null}::jsonb, results),
        households = coalesce(${f.households ?? null}, households),
        new_clues = coalesce(${f.new_clues ?? null}, new_clues),
        extended_clues = coalesce(${f.extended_clues ?? null}, extended_clues),
        started_at = case when ${f.started ?? false} then now() else started_at end,
        finished_at = case when ${f.finished ?? false} then now() else finished_at end
      where id = ${id}`.execute(tx);
  }

  /** After a failed or interrupted run (services/runs.ts cleanup): a run still queued or running becomes failed. */
  async failRun(tx: Tx, id: number, message: string): Promise<void> {
    await sql`update rule_runs set status = 'failed', progress = 1, finished_at = now(), message = ${message}
      where id = ${id} and status in ('queued', 'running')`.execute(tx);
  }

  /** failed → queued (a retry); false when it is not failed. */
  async requeueRun(tx: Tx, id: number): Promise<boolean> {
    const r = await sql`update rule_runs set status = 'queued', progress = 0, message = null, results = null, households = null,
        new_clues = null, extended_clues = null, started_at = null, finished_at = null
      where id = ${id} and status = 'failed'`.execute(tx);
    return Number(r.numAffectedRows ?? 0) === 1;
  }
}

/** How many households the facts hold, and which of them an expression matches (the first `limit` keys). */
export async function matchFacts(tx: Tx, facts: Facts, condition: string, limit: number): Promise<{ households: number; total: number; keys: { county_code: string; household_id: number }[] }> {
  const client = rawClient(tx);
  if (facts.paramIndex !== 1) throw new Error('matchFacts expects the facts parameter as $1');
  const c = (await client.query(
    `with ${facts.with} select count(*)::int as households, count(*) filter (where coalesce((${condition}), false))::int as total from ${HOUSEHOLD_FACTS_TABLE} h`,
    [facts.param],
  )).rows[0];
  const keys = (await client.query(
    `with ${facts.with} select county_code, household_id::int from ${HOUSEHOLD_FACTS_TABLE} h where ${condition} order by county_code, household_id limit $2`,
    [facts.param, limit],
  )).rows;
  return { households: c.households, total: c.total, keys };
}

/** Which of the given households an expression matches (the TypeScript/SQL agreement check of a dry run). */
export async function matchingKeys(tx: Tx, facts: Facts, condition: string, keys: { countyCode: string; householdId: number }[]): Promise<Set<string>> {
  const client = rawClient(tx);
  if (facts.paramIndex !== 1) throw new Error('matchingKeys expects the facts parameter as $1');
  const rows = (await client.query(
    `with ${facts.with} select county_code || ':' || household_id as k from ${HOUSEHOLD_FACTS_TABLE} h
      where (h.county_code, h.household_id) in (select u.c, u.h from unnest($2::text[], $3::bigint[]) u(c, h)) and ${condition}`,
    [facts.param, keys.map((k) => k.countyCode), keys.map((k) => k.householdId)],
  )).rows;
  return new Set(rows.map((r: { k: string }) => r.k));
}

/** A household of a dry run's preview: number, village, head and the facts the list shows. */
export interface RulePreviewRow {
  countyCode: string;
  id: number;
  householdNo: string;
  village: string;
  headName: string | null;
  perCapitaNet: number | null;
  status: string;
  monitored: boolean;
}

/** The preview rows of the given matched households (a dry run's first matches), in key order. */
export async function previewHouseholds(tx: Tx, facts: Facts, keys: { county_code: string; household_id: number }[]): Promise<RulePreviewRow[]> {
  if (facts.paramIndex !== 1) throw new Error('previewHouseholds expects the facts parameter as $1');
  if (keys.length === 0) return [];
  const client = rawClient(tx);
  const rows = (await client.query<{ county_code: string; id: number; household_no: string; village: string | null; head_name: string | null; per_capita: string | null; status: string; monitored: boolean }>(
    `with ${facts.with}
     select h.county_code, h.id::int, h.household_no, r.name as village, hm.name as head_name, f.income_per_capita_net as per_capita, f.status, f.monitored
       from unnest($2::text[], $3::bigint[]) k(county_code, id)
       join households h on h.county_code = k.county_code and h.id = k.id
       join ${HOUSEHOLD_FACTS_TABLE} f on f.county_code = h.county_code and f.household_id = h.id
       left join regions r on r.code = h.village_code
       left join lateral (select name from members m where m.county_code = h.county_code and m.household_id = h.id and m.active and m.relation = 'head' limit 1) hm on true
      order by h.county_code, h.id`,
    [facts.param, keys.map((k) => k.county_code), keys.map((k) => k.household_id)],
  )).rows;
  return rows.map((r) => ({
    countyCode: r.county_code, id: r.id, householdNo: r.household_no, village: r.village ?? '', headName: r.head_name,
    perCapitaNet: r.per_capita === null ? null : Number(r.per_capita), status: r.status, monitored: r.monitored,
  }));
}

/**
 * collectRuleHits inside a savepoint: a rule that cannot be computed on this data (SQLSTATE class 22, an overflow say)
 * is rolled back alone and its error code returned, so that the run's other rules go on.
 */
export async function collectRuleHitsOrDataError(tx: Tx, rule: CompiledRule): Promise<{ matches: number } | { dataError: string; message: string }> {
  const client = rawClient(tx);
  await client.query('savepoint rule_hits');
  try {
    const matches = await collectRuleHits(tx, rule);
    await client.query('release savepoint rule_hits');
    return { matches };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('22')) throw e;
    await client.query('rollback to savepoint rule_hits');
    return { dataError: code, message: (e as Error).message };
  }
}

/** The temporary table of one run's rule hits (its transaction): one row per rule and matching household. */
const HITS_TABLE = 'rule_hits';
/** The hits not recorded before for the household, rule and period. */
const NEW_HITS_TABLE = 'rule_new_hits';
/** The open or assigned platform clues of the period of the households with new hits. */
const OPEN_CLUES_TABLE = 'rule_open_clues';

/** Creates the run's hit table (dropped at commit); collectRuleHits fills it, groupRuleHits turns it into clues. */
export async function createHitTable(tx: Tx): Promise<void> {
  const client = rawClient(tx);
  await client.query(`create temp table ${HITS_TABLE} (
      county_code text not null, household_id bigint not null, village_code text not null, rule_id text not null, rule_version integer not null,
      rule_name text not null, severity text not null, risk_type text not null, facts jsonb not null) on commit drop`);
}

/**
 * Evaluates one rule over every household of the materialised fact tables (materializeFacts) and records each
 * match, with exactly the facts the rule read, in the run's hit table. The rule's SQL is the statement's WHERE
 * clause, so the planner turns its member conditions (EXISTS / NOT EXISTS over the member facts) into one hashed
 * semi- or anti-join instead of probing the members of every household. A rule of a province, city or county
 * only looks at the households of its region. Returns the matches.
 */
export async function collectRuleHits(tx: Tx, rule: CompiledRule): Promise<number> {
  const client = rawClient(tx);
  if (!SAFE_ID.test(rule.id)) throw new Error(`unsafe rule id ${rule.id}`);
  if (!/^\d*$/.test(rule.regionPrefix)) throw new Error(`unsafe region prefix ${rule.regionPrefix}`);
  const own = rule.regionPrefix ? `h.village_code like '${rule.regionPrefix}%' and ` : '';
  const res = await client.query(
    `insert into ${HITS_TABLE} (county_code, household_id, village_code, rule_id, rule_version, rule_name, severity, risk_type, facts)
     select h.county_code, h.household_id, h.village_code, $1, $2, $3, $4, $5, ${snapshotSql(rule.household, rule.member, rule)}
       from ${HOUSEHOLD_FACTS_TABLE} h where ${own}(${rule.sql})`,
    [rule.id, rule.version, rule.name, rule.severity, rule.riskType],
  );
  return res.rowCount ?? 0;
}

/** The counties of the run's hits (the clues it creates or extends are theirs): the chains of its bulk audit summary. */
export async function hitCounties(tx: Tx): Promise<string[]> {
  return (await rawClient(tx).query<{ c: string }>(`select distinct county_code as c from ${HITS_TABLE} order by 1`)).rows.map((r) => r.c);
}

/**
 * Turns the run's hits into clues, set-based, one clue per household and period listing every rule that fired:
 * (1) the hits of a household, rule and period already recorded (in any earlier run of the period, whatever became
 * of the clue) are dropped — a second run of a period creates nothing; (2) the open or assigned platform clues of
 * the period of the households with new hits are read; (3) in one statement, a household with new hits and no such
 * clue gets one (summary: every rule's name, most severe first; the household's facts of this run: the fields every
 * active rule reads), and the new hits are recorded in `clue_rules` on the household's clue, new or existing (the
 * new clues' ids from the insert's RETURNING, so clues is not searched again); (4) the existing clues that received
 * hits get their summary and facts brought up to date. Statistics are taken on the keys only (a full ANALYZE of the
 * hits' facts cost a second per 17,000 hits). A household whose open clue a concurrent run of the same period
 * creates between (2) and (3) keeps its new hits for the next run (`on conflict do nothing`). Returns the new hits
 * per rule, the clues created and the existing clues extended.
 */
export async function groupRuleHits(
  tx: Tx,
  all: Pick<CompiledRule, 'household' | 'member'>,
  v: { period: string; foundOn: string; userId: number; username: string },
): Promise<{ newHits: Map<string, number>; created: number; extended: number }> {
  const client = rawClient(tx);
  await client.query(`analyze ${HITS_TABLE} (county_code, household_id, rule_id)`);
  await client.query(
    `create temp table ${NEW_HITS_TABLE} on commit drop as
     select n.* from ${HITS_TABLE} n
      where not exists (select 1 from clue_rules r where r.county_code = n.county_code and r.household_id = n.household_id and r.period = $1 and r.rule_id = n.rule_id)`,
    [v.period],
  );
  await client.query(`analyze ${NEW_HITS_TABLE} (county_code, household_id)`);
  await client.query(
    `create temp table ${OPEN_CLUES_TABLE} on commit drop as
     select c.county_code, c.household_id, c.id from clues c
      where c.channel = 'platform' and c.status in ('open', 'assigned') and c.period = $1
        and (c.county_code, c.household_id) in (select county_code, household_id from ${NEW_HITS_TABLE})`,
    [v.period],
  );
  const names = (alias: string) => `string_agg(${alias}.rule_name, '；' order by case ${alias}.severity when 'high' then 0 when 'medium' then 1 else 2 end, ${alias}.rule_id)`;
  const counts = (await client.query(
    `with g as (
       select n.county_code, n.household_id, min(n.village_code) as village_code, ${names('n')} as names
         from ${NEW_HITS_TABLE} n
        where not exists (select 1 from ${OPEN_CLUES_TABLE} o where o.county_code = n.county_code and o.household_id = n.household_id)
        group by n.county_code, n.household_id
     ), ins as (
       insert into clues (county_code, household_id, village_code, channel, period, summary, facts, policy, found_on, status, created_by, created_by_name)
       select g.county_code, g.household_id, g.village_code, 'platform', $1, left(g.names || '（平台监测分析）', 2000), ${snapshotSql(all.household, all.member, null)},
              jsonb_build_object('sources', p.sources), $2::date, 'open', $3, $4
         from g
         join ${HOUSEHOLD_FACTS_TABLE} h on h.county_code = g.county_code and h.household_id = g.household_id
         join ${POLICY_TABLE} p on p.county_code = g.county_code
       on conflict (county_code, household_id, period) where channel = 'platform' and status in ('open', 'assigned') do nothing
       returning county_code, household_id, id
     ), target as (
       select county_code, household_id, id from ins
       union all
       select county_code, household_id, id from ${OPEN_CLUES_TABLE}
     ), hits as (
       insert into clue_rules (county_code, household_id, period, rule_id, clue_id, village_code, rule_version, rule_name, severity, risk_type, facts, found_on)
       select n.county_code, n.household_id, $1, n.rule_id, t.id, n.village_code, n.rule_version, n.rule_name, n.severity, n.risk_type, n.facts, $2::date
         from ${NEW_HITS_TABLE} n join target t on t.county_code = n.county_code and t.household_id = n.household_id
       on conflict do nothing
       returning 1
     )
     select (select count(*) from ins)::int as created, (select count(*) from hits)::int as hits`,
    [v.period, v.foundOn, v.userId, v.username],
  )).rows[0] as { created: number; hits: number };
  const extended = (await client.query(
    `update clues c set summary = left(g.names || '（平台监测分析）', 2000), facts = ${snapshotSql(all.household, all.member, null)}, updated_at = now()
       from ${OPEN_CLUES_TABLE} o
       join ${HOUSEHOLD_FACTS_TABLE} h on h.county_code = o.county_code and h.household_id = o.household_id
       cross join lateral (select ${names('r')} as names from clue_rules r where r.county_code = o.county_code and r.clue_id = o.id) g
      where c.county_code = o.county_code and c.id = o.id`,
  )).rowCount ?? 0;
  const newHits = new Map<string, number>(
    (await client.query(`select rule_id, count(*)::int as n from ${NEW_HITS_TABLE} group by rule_id`)).rows.map((r: { rule_id: string; n: number }) => [r.rule_id, r.n]),
  );
  return { newHits, created: counts.created, extended };
}
