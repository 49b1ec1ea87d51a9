/**
 * Warning rules, their versions and runs; and the one statement of a warning run that evaluates every active
 * rule over the fact tables and inserts the platform clues (deduplicated per household, rule and period).
 */
import { sql } from 'kysely';
import type pg from 'pg';
import { HOUSEHOLD_FACTS_TABLE, MEMBER_FACTS_TABLE } from '@tuopin/domain';
import type { Tx } from '../db/database';
import { POLICY_TABLE } from './rule-facts.repository';

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
  updated_by_name: string | null;
  updated_at: Date;
}

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
  results: { ruleId: string; ruleName: string; version: number; matches: number; newClues: number }[] | null;
  households: number | null;
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
  sql: string;
}

const RUN_COLUMNS = sql`r.*, g.name as region_name, g.full_name as region_full_name, g.level as region_level`;

export class RulesRepository {
  async list(tx: Tx): Promise<RuleRow[]> {
    return (await sql<RuleRow>`select * from rules order by builtin desc, id`.execute(tx)).rows;
  }

  async get(tx: Tx, id: string, lock = false): Promise<RuleRow | undefined> {
    return (await sql<RuleRow>`select * from rules where id = ${id} ${lock ? sql`for update` : sql``}`.execute(tx)).rows[0];
  }

  async versions(tx: Tx, id: string): Promise<RuleVersionRow[]> {
    return (await sql<RuleVersionRow>`select * from rule_versions where rule_id = ${id} order by version desc`.execute(tx)).rows;
  }

  async insert(tx: Tx, r: Omit<RuleRow, 'updated_at' | 'channel'>, note: string | null): Promise<void> {
    await sql`insert into rules (id, name, name_en, description, severity, risk_type, expression, version, active, builtin, updated_by_name)
      values (${r.id}, ${r.name}, ${r.name_en}, ${r.description}, ${r.severity}, ${r.risk_type}, ${r.expression}, ${r.version}, ${r.active}, ${r.builtin}, ${r.updated_by_name})`.execute(tx);
    await this.addVersion(tx, r, note);
  }

  async update(tx: Tx, r: Omit<RuleRow, 'updated_at' | 'channel' | 'builtin'>): Promise<void> {
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
    return (await sql<RuleRunRow>`select ${RUN_COLUMNS} from rule_runs r join regions g on g.code = r.region_code where r.id = ${id}`.execute(tx)).rows[0];
  }

  /** With the creator's role and home region (system transactions only: the job acts as the creator). */
  async getRunWithCreator(tx: Tx, id: number): Promise<(RuleRunRow & { role: string; user_region: string; username: string }) | undefined> {
    return (await sql<RuleRunRow & { role: string; user_region: string; username: string }>`
      select ${RUN_COLUMNS}, u.role, u.region_code as user_region, u.username
        from rule_runs r join regions g on g.code = r.region_code join users u on u.id = r.created_by where r.id = ${id}`.execute(tx)).rows[0];
  }

  /** Counties that have households under the prefix (those whose settings a run needs). */
  async counties(tx: Tx, prefix: string): Promise<string[]> {
    return (await sql<{ county_code: string }>`select distinct county_code from households where village_code like ${prefix + '%'} order by 1`.execute(tx))
      .rows.map((r) => r.county_code);
  }

  async listRuns(tx: Tx, prefix: string): Promise<RuleRunRow[]> {
    return (await sql<RuleRunRow>`select ${RUN_COLUMNS} from rule_runs r join regions g on g.code = r.region_code
      where r.region_code like ${prefix + '%'} order by r.id desc limit 30`.execute(tx)).rows;
  }

  async setRun(tx: Tx, id: number, f: Partial<Pick<RuleRunRow, 'status' | 'progress' | 'message' | 'results' | 'households'>> & { started?: boolean; finished?: boolean }): Promise<void> {
    await sql`update rule_runs set
        status = coalesce(${f.status ?? null}, status),
        progress = coalesce(${f.progress ?? null}, progress),
        message = coalesce(${f.message ?? null}, message),
        results = coalesce(${f.results ? JSON.stringify(f.results) : null}::jsonb, results),
        households = coalesce(${f.households ?? null}, households),
        started_at = case when ${f.started ?? false} then now() else started_at end,
        finished_at = case when ${f.finished ?? false} then now() else finished_at end
      where id = ${id}`.execute(tx);
  }
}

/** Households of the fact tables an expression matches, and how many there are (dry runs). */
export async function matchFacts(client: pg.PoolClient, condition: string, limit: number): Promise<{ total: number; keys: { county_code: string; household_id: number }[] }> {
  const total = Number((await client.query(`select count(*)::int as n from ${HOUSEHOLD_FACTS_TABLE} h where ${condition}`)).rows[0].n);
  const keys = (await client.query(
    `select county_code, household_id::int from ${HOUSEHOLD_FACTS_TABLE} h where ${condition} order by county_code, household_id limit $1`, [limit],
  )).rows;
  return { total, keys };
}

/** Keys of the households an expression matches among the given ones (TypeScript/SQL agreement check). */
export async function matchingKeys(client: pg.PoolClient, condition: string): Promise<Set<string>> {
  const rows = (await client.query(`select county_code || ':' || household_id as k from ${HOUSEHOLD_FACTS_TABLE} h where ${condition}`)).rows;
  return new Set(rows.map((r: { k: string }) => r.k));
}

/**
 * Evaluates every rule over the households of one county in the fact tables — one pass: each household row is
 * matched against all rules through a lateral VALUES list — and inserts a platform clue per match unless the
 * household already has one for that rule and period. Returns matches and new clues per rule.
 */
export async function insertRuleClues(
  client: pg.PoolClient,
  rules: CompiledRule[],
  v: { countyCode: string; period: string; foundOn: string; userId: number; username: string },
): Promise<Map<string, { matches: number; newClues: number }>> {
  const out = new Map<string, { matches: number; newClues: number }>();
  if (!rules.length) return out;
  const values = rules.map((r, i) => `($${6 + i * 3}::text, $${7 + i * 3}::int, $${8 + i * 3}::text, coalesce((${r.sql}), false))`).join(',\n       ');
  const params: unknown[] = [v.countyCode, v.period, v.foundOn, v.userId, v.username];
  for (const r of rules) params.push(r.id, r.version, r.name);
  const res = await client.query(
    `with hits as (
       select h.county_code, h.household_id, h.village_code, r.rule_id, r.version, r.name
         from ${HOUSEHOLD_FACTS_TABLE} h
         cross join lateral (values
       ${values}) as r(rule_id, version, name, hit)
        where h.county_code = $1 and r.hit
     ), ins as (
       insert into clues (county_code, household_id, village_code, channel, rule_id, rule_version, period, summary, facts, policy, found_on,
                          status, created_by, created_by_name)
       select x.county_code, x.household_id, x.village_code, 'platform', x.rule_id, x.version, $2, x.name || '（平台监测分析）',
              jsonb_build_object(
                'household', to_jsonb(h) - 'county_code' - 'household_id',
                'members', coalesce((select jsonb_agg(to_jsonb(m) - 'county_code' - 'household_id' order by m.member_id)
                                       from ${MEMBER_FACTS_TABLE} m where m.county_code = x.county_code and m.household_id = x.household_id), '[]'::jsonb),
                'rule', jsonb_build_object('id', x.rule_id, 'version', x.version)),
              jsonb_build_object('values', to_jsonb(p) - 'county_code' - 'sources', 'sources', p.sources),
              $3::date, 'open', $4, $5
         from hits x
         join ${HOUSEHOLD_FACTS_TABLE} h on h.county_code = x.county_code and h.household_id = x.household_id
         join ${POLICY_TABLE} p on p.county_code = x.county_code
       on conflict (county_code, household_id, rule_id, period) where rule_id is not null do nothing
       returning rule_id
     )
     select r.rule_id, (select count(*) from hits where hits.rule_id = r.rule_id)::int as matches,
            (select count(*) from ins where ins.rule_id = r.rule_id)::int as new_clues
       from (select unnest($${6 + rules.length * 3}::text[]) as rule_id) r`,
    [...params, rules.map((r) => r.id)],
  );
  for (const row of res.rows as { rule_id: string; matches: number; new_clues: number }[]) out.set(row.rule_id, { matches: row.matches, newClues: row.new_clues });
  return out;
}
