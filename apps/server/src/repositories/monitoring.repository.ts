/**
 * SQL of the monitoring tables (clues, procedures, monitoring_records) and the yearly status it sets. Receives a
 * scoped transaction: row-level security limits every statement to the caller's region.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/database';

/** Household number, village name and the head's name of a clue's or procedure's household. */
export interface HouseholdColsRow {
  household_no: string;
  village_name: string;
  head_name: string | null;
}

/** A clue as `clueSelect` reads it (dates as YYYY-MM-DD text; the rules that fired as JSON). */
export interface ClueRow extends HouseholdColsRow {
  county_code: string;
  id: number;
  household_id: number;
  village_code: string;
  channel: string;
  period: string | null;
  summary: string;
  facts: unknown;
  policy: unknown;
  found_on: string;
  applied_on: string | null;
  accept_due_on: string | null;
  source_note: string | null;
  status: string;
  dismiss_reason: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
  assigned_at: Date | null;
  procedure_id: number | null;
  created_by_name: string | null;
  created_at: Date;
  accept_overdue: boolean;
  /** The rules that fired (`clueRulesCol`: ruleId, version, name, severity, riskType, foundOn as YYYY-MM-DD, facts), never null */
  rules: { ruleId: string; version: number; name: string; severity: string; riskType: string; foundOn: string; facts: unknown }[];
}

/** A clue locked for a change of status. */
export interface LockedClueRow extends HouseholdColsRow {
  county_code: string;
  id: number;
  status: string;
  village_code: string;
}

/** A procedure as `procSelect` reads it (dates as YYYY-MM-DD text; state, snapshots, policy and outcome as JSON). */
export interface ProcedureRow extends HouseholdColsRow {
  county_code: string;
  id: number;
  household_id: number;
  village_code: string;
  kind: string;
  status: string;
  state: unknown;
  step: string | null;
  started_on: string;
  step_since: string;
  due_on: string;
  step_due_on: string | null;
  year: number;
  clue_id: number | null;
  facts_start: unknown;
  snapshots: unknown;
  policy: unknown;
  outcome: unknown;
  quick: boolean;
  overdue: boolean;
  step_overdue: boolean;
}

/** An active procedure at the publicity step, with its household's size. */
export interface PublicityRow {
  county_code: string;
  id: number;
  household_id: number;
  kind: string;
  state: unknown;
  started_on: string;
  step_since: string;
  village_name: string;
  township_name: string | null;
  head_name: string | null;
  size: number;
  monitored_type: string | null;
  risk_types: string[] | null;
}

/** A monitoring record of a household (dates as YYYY-MM-DD text). */
export interface MonitoringRecordRow {
  id: number;
  identified_on: string;
  monitored_type: string;
  risk_types: string[];
  source: string;
  identification_id: number | null;
  import_id: number | null;
  eliminated_on: string | null;
  elimination_type: string | null;
  elimination_id: number | null;
  quick_elimination: boolean;
}

/** The open monitoring record of a household. */
export type OpenRecordRow = Pick<MonitoringRecordRow, 'id' | 'identified_on' | 'monitored_type' | 'risk_types' | 'source'>;

/** A user who may verify (with the name of the user's region). */
export interface VerifierRow {
  id: number;
  display_name: string;
  username: string;
  role: string;
  region_code: string;
  region_name: string;
}

export interface MonitoringUserRow {
  id: number;
  display_name: string;
  role: string;
  region_code: string;
  status: string;
}

/** Household number, village name and the head's name of a row's household (aliased c / p). */
const householdCols = (a: string) => sql.raw(`
  h.household_no, r.name as village_name,
  (select m.name from members m where m.county_code = ${a}.county_code and m.household_id = ${a}.household_id and m.active and m.relation = 'head'
    order by m.id limit 1) as head_name`);

/** The rules that fired for a platform clue, most severe first, each with the facts it read (clue_rules). */
const clueRulesCol = sql.raw(`
  (select coalesce(jsonb_agg(jsonb_build_object('ruleId', cr.rule_id, 'version', cr.rule_version, 'name', cr.rule_name, 'severity', cr.severity,
                                                'riskType', cr.risk_type, 'foundOn', cr.found_on, 'facts', cr.facts)
                             order by case cr.severity when 'high' then 0 when 'medium' then 1 else 2 end, cr.rule_id), '[]'::jsonb)
     from clue_rules cr where cr.county_code = c.county_code and cr.clue_id = c.id) as rules`);

/** The clue columns; `today` (the service's date in China, YYYY-MM-DD) decides the acceptance clock. */
const clueSelect = (today: string) => sql`
  select c.county_code, c.id, c.household_id, c.village_code, c.channel, c.period, c.summary, c.facts, c.policy,
         c.found_on::text as found_on, c.applied_on::text as applied_on, c.accept_due_on::text as accept_due_on, c.source_note, c.status,
         c.dismiss_reason, c.assignee_id, c.assignee_name, c.assigned_at, c.procedure_id, c.created_by_name, c.created_at,
         (c.channel = 'application' and c.status = 'open' and c.accept_due_on < ${today}::date) as accept_overdue,
         ${clueRulesCol},
         ${householdCols('c')}
    from clues c
    join households h on h.county_code = c.county_code and h.id = c.household_id
    join regions r on r.code = c.village_code`;

/** The procedure columns; `today` decides the overdue flags. */
const procSelect = (today: string) => sql`
  select p.county_code, p.id, p.household_id, p.village_code, p.kind, p.status, p.state, p.step, p.started_on::text as started_on,
         p.step_since::text as step_since, p.due_on::text as due_on, p.step_due_on::text as step_due_on, p.year, p.clue_id, p.facts_start,
         p.snapshots, p.policy, p.outcome, p.quick,
         (p.status = 'active' and p.due_on < ${today}::date) as overdue,
         (p.status = 'active' and p.step_due_on < ${today}::date) as step_overdue,
         ${householdCols('p')}
    from procedures p
    join households h on h.county_code = p.county_code and h.id = p.household_id
    join regions r on r.code = p.village_code`;

export interface ClueFilter {
  regionPrefix: string;
  status?: string;
  channel?: string;
  overdue?: boolean;
  assigneeId?: number;
  ruleId?: string;
  period?: string;
}

export interface ProcedureFilter {
  regionPrefix: string;
  kind?: string;
  status?: string;
  step?: string;
  overdue?: boolean;
  /** Only procedures waiting for this user's confirmation of the home verification */
  confirmingUserId?: number;
}

const json = (v: unknown) => JSON.stringify(v);

/**
 * One statement that gives every household of `source` whose latest yearly status says monitored a monitoring record
 * marked 'migrated' (monitored before the platform: no identification procedure here), and brings an open migrated
 * record up to date with a newer file (type and risk types; its date only to an earlier one, a default date being the
 * latest possible); a record signed here is never touched, and an import never closes a record
 * (risk elimination is the procedure's). Used inside the import commit and by the demo generator; migration 0013
 * repaired existing databases with the same definition.
 *
 * `source` is a SQL query with the columns county_code, household_id, identified_on (the file's 纳入监测日期, or
 * null) and import_id (or null); `today` the SQL of today's date in China. Without a date from the file the record
 * is identified on the reference date of the first year of the unbroken monitored run that ends at the latest
 * status (31 December of a past year, today for the current year): the latest date the data shows it monitored
 * from, so the months monitored (and the elimination's half year of stable income) are never overstated.
 */
export function migratedRecordsSql(source: string, today: string): string {
  return `
    with src as (${source}),
    ys as (
      select y.county_code, y.household_id, y.year, y.village_code, y.monitored, y.monitored_type, y.risk_types
        from household_year_status y join src on src.county_code = y.county_code and src.household_id = y.household_id
    ),
    latest as (
      select distinct on (county_code, household_id) * from ys order by county_code, household_id, year desc
    ),
    runs as (
      select county_code, household_id, coalesce(max(year) filter (where not monitored) + 1, min(year)) as first_year
        from ys group by county_code, household_id
    )
    insert into monitoring_records (county_code, household_id, village_code, identified_on, monitored_type, risk_types, source, import_id)
    select l.county_code, l.household_id, l.village_code,
           coalesce(src.identified_on, least(make_date(r.first_year, 12, 31), ${today})), l.monitored_type, l.risk_types, 'migrated', src.import_id
      from latest l
      join runs r on r.county_code = l.county_code and r.household_id = l.household_id
      join src on src.county_code = l.county_code and src.household_id = l.household_id
     where l.monitored and l.monitored_type is not null and cardinality(l.risk_types) between 1 and 5
       -- a file of a year whose risk was eliminated since (here, by the procedure) does not open a new episode
       and not exists (select 1 from monitoring_records e where e.county_code = l.county_code and e.household_id = l.household_id
                         and e.eliminated_on >= make_date(l.year, 1, 1))
    on conflict (county_code, household_id) where eliminated_on is null do update
       set identified_on = least(monitoring_records.identified_on, excluded.identified_on), monitored_type = excluded.monitored_type, risk_types = excluded.risk_types,
           village_code = excluded.village_code, import_id = excluded.import_id, updated_at = now()
     where monitoring_records.source = 'migrated'
       and (least(monitoring_records.identified_on, excluded.identified_on), excluded.monitored_type, excluded.risk_types, excluded.village_code)
           is distinct from (monitoring_records.identified_on, monitoring_records.monitored_type, monitoring_records.risk_types, monitoring_records.village_code)`;
}

export class MonitoringRepository {
  /**
   * @param today the date the clocks are read against ('YYYY-MM-DD'), the one the service decides with — not the
   * database's current_date, which follows the session's time zone
   */
  constructor(private readonly today: () => string) {}

  // ---- clues ---------------------------------------------------------------------------

  private clueWhere(f: ClueFilter): RawBuilder<unknown> {
    const conds: RawBuilder<unknown>[] = [sql`c.village_code like ${f.regionPrefix + '%'}`];
    if (f.status) conds.push(sql`c.status = ${f.status}`);
    if (f.channel) conds.push(sql`c.channel = ${f.channel}`);
    if (f.ruleId) conds.push(sql`exists (select 1 from clue_rules cr where cr.county_code = c.county_code and cr.clue_id = c.id and cr.rule_id = ${f.ruleId})`);
    if (f.period) conds.push(sql`c.period = ${f.period}`);
    if (f.overdue === true) conds.push(sql`c.channel = 'application' and c.status = 'open' and c.accept_due_on < ${this.today()}::date`);
    if (f.overdue === false) conds.push(sql`not (c.channel = 'application' and c.status = 'open' and c.accept_due_on < ${this.today()}::date)`);
    if (f.assigneeId) conds.push(sql`c.assignee_id = ${f.assigneeId}`);
    return sql.join(conds, sql` and `);
  }

  async clueList(tx: Tx, f: ClueFilter, after: number | null, limit: number): Promise<ClueRow[]> {
    const r = await sql<ClueRow>`${clueSelect(this.today())} where ${this.clueWhere(f)} ${after ? sql`and c.id < ${after}` : sql``}
      order by c.id desc limit ${limit}`.execute(tx);
    return r.rows;
  }

  async clueCount(tx: Tx, f: ClueFilter): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from clues c where ${this.clueWhere(f)}`.execute(tx);
    return r.rows[0]!.n;
  }

  async clue(tx: Tx, countyCode: string, id: number, forUpdate = false): Promise<ClueRow | undefined> {
    const r = await sql<ClueRow>`${clueSelect(this.today())} where c.county_code = ${countyCode} and c.id = ${id} ${forUpdate ? sql`for update of c` : sql``}`.execute(tx);
    return r.rows[0];
  }

  async householdClues(tx: Tx, countyCode: string, householdId: number): Promise<ClueRow[]> {
    const r = await sql<ClueRow>`${clueSelect(this.today())} where c.county_code = ${countyCode} and c.household_id = ${householdId} order by c.id desc`.execute(tx);
    return r.rows;
  }

  async insertClue(tx: Tx, c: {
    countyCode: string; householdId: number; villageCode: string; channel: string; summary: string; facts: unknown; policy: unknown; foundOn: string;
    appliedOn: string | null; acceptDueOn: string | null; sourceNote: string | null; userId: number; userName: string;
  }): Promise<number> {
    const r = await sql<{ id: number }>`
      insert into clues (county_code, household_id, village_code, channel, summary, facts, policy, found_on, applied_on, accept_due_on, source_note,
                         created_by, created_by_name)
      values (${c.countyCode}, ${c.householdId}, ${c.villageCode}, ${c.channel}, ${c.summary}, ${json(c.facts)}::jsonb, ${json(c.policy)}::jsonb,
              ${c.foundOn}, ${c.appliedOn}, ${c.acceptDueOn}, ${c.sourceNote}, ${c.userId}, ${c.userName})
      returning id`.execute(tx);
    return r.rows[0]!.id;
  }

  /** Assigns the given open or assigned clues to one person, in one statement (each row audited by the trigger). */
  async assignClues(tx: Tx, keys: { countyCode: string; id: number }[], assignee: { id: number; name: string }): Promise<number> {
    const r = await sql`update clues set status = 'assigned', assignee_id = ${assignee.id}, assignee_name = ${assignee.name}, assigned_at = now(), updated_at = now()
      where (county_code, id) in (select k.c, k.i from unnest(${keys.map((k) => k.countyCode)}::text[], ${keys.map((k) => k.id)}::bigint[]) k(c, i))
        and status in ('open', 'assigned')`.execute(tx);
    return Number(r.numAffectedRows ?? 0);
  }

  /**
   * Locks the given clues (those the caller sees) for a change of status, in key order (two bulk changes never wait
   * for each other in a cycle); returns the ones found with their status.
   */
  async lockClues(tx: Tx, keys: { countyCode: string; id: number }[]): Promise<LockedClueRow[]> {
    const r = await sql<LockedClueRow>`
      select c.county_code, c.id, c.status, c.village_code, ${householdCols('c')}
        from clues c
        join households h on h.county_code = c.county_code and h.id = c.household_id
        join regions r on r.code = c.village_code
       where (c.county_code, c.id) in (select k.c, k.i from unnest(${keys.map((k) => k.countyCode)}::text[], ${keys.map((k) => k.id)}::bigint[]) k(c, i))
       order by c.county_code, c.id
         for update of c`.execute(tx);
    return r.rows;
  }

  /** Dismisses the given clues with one reason, in one statement (each row audited by the trigger, with the reason). */
  async dismissClues(tx: Tx, keys: { countyCode: string; id: number }[], reason: string): Promise<number> {
    const r = await sql`update clues set status = 'dismissed', dismiss_reason = ${reason}, updated_at = now()
      where (county_code, id) in (select k.c, k.i from unnest(${keys.map((k) => k.countyCode)}::text[], ${keys.map((k) => k.id)}::bigint[]) k(c, i))
        and status in ('open', 'assigned')`.execute(tx);
    return Number(r.numAffectedRows ?? 0);
  }

  async setClueStatus(tx: Tx, countyCode: string, id: number, status: string, extra: { dismissReason?: string; procedureId?: number } = {}): Promise<void> {
    await sql`update clues set status = ${status}, updated_at = now()
               ${extra.dismissReason !== undefined ? sql`, dismiss_reason = ${extra.dismissReason}` : sql``}
               ${extra.procedureId !== undefined ? sql`, procedure_id = ${extra.procedureId}` : sql``}
               where county_code = ${countyCode} and id = ${id}`.execute(tx);
  }

  // ---- procedures ----------------------------------------------------------------------

  async insertProcedure(tx: Tx, p: {
    countyCode: string; householdId: number; villageCode: string; kind: string; state: unknown; step: string; startedOn: string; stepSince: string;
    dueOn: string; stepDueOn: string | null; year: number; clueId: number | null; factsStart: unknown; policy: unknown; quick: boolean; userId: number;
    userName: string;
  }): Promise<number> {
    const r = await sql<{ id: number }>`
      insert into procedures (county_code, household_id, village_code, kind, status, state, step, started_on, step_since, due_on, step_due_on, year,
                              clue_id, facts_start, policy, quick, created_by, created_by_name)
      values (${p.countyCode}, ${p.householdId}, ${p.villageCode}, ${p.kind}, 'active', ${json(p.state)}::jsonb, ${p.step}, ${p.startedOn},
              ${p.stepSince}, ${p.dueOn}, ${p.stepDueOn}, ${p.year}, ${p.clueId}, ${json(p.factsStart)}::jsonb, ${json(p.policy)}::jsonb, ${p.quick},
              ${p.userId}, ${p.userName})
      returning id`.execute(tx);
    return r.rows[0]!.id;
  }

  async procedure(tx: Tx, countyCode: string, id: number, forUpdate = false): Promise<ProcedureRow | undefined> {
    const r = await sql<ProcedureRow>`${procSelect(this.today())} where p.county_code = ${countyCode} and p.id = ${id} ${forUpdate ? sql`for update of p` : sql``}`.execute(tx);
    return r.rows[0];
  }

  async updateProcedure(tx: Tx, countyCode: string, id: number, p: {
    status: string; state: unknown; step: string | null; stepSince: string; dueOn: string; stepDueOn: string | null; snapshots: unknown; outcome: unknown;
    quick: boolean; pendingConfirmations: number[];
  }): Promise<void> {
    await sql`update procedures set status = ${p.status}, state = ${json(p.state)}::jsonb, step = ${p.step}, step_since = ${p.stepSince},
                pending_confirmations = ${p.pendingConfirmations}::bigint[],
                due_on = ${p.dueOn}, step_due_on = ${p.stepDueOn}, snapshots = ${json(p.snapshots)}::jsonb,
                outcome = ${p.outcome === null ? null : json(p.outcome)}::jsonb, quick = ${p.quick}, updated_at = now()
               where county_code = ${countyCode} and id = ${id}`.execute(tx);
  }

  async householdProcedures(tx: Tx, countyCode: string, householdId: number): Promise<ProcedureRow[]> {
    const r = await sql<ProcedureRow>`${procSelect(this.today())} where p.county_code = ${countyCode} and p.household_id = ${householdId} order by p.id desc`.execute(tx);
    return r.rows;
  }

  async procedureList(tx: Tx, f: ProcedureFilter, after: number | null, limit: number): Promise<ProcedureRow[]> {
    const conds: RawBuilder<unknown>[] = [sql`p.village_code like ${f.regionPrefix + '%'}`];
    if (f.kind) conds.push(sql`p.kind = ${f.kind}`);
    if (f.status) conds.push(sql`p.status = ${f.status}`);
    if (f.step) conds.push(sql`p.step = ${f.step}`);
    if (f.overdue === true) conds.push(sql`p.status = 'active' and (p.due_on < ${this.today()}::date or p.step_due_on < ${this.today()}::date)`);
    if (f.confirmingUserId) conds.push(sql`p.status = 'active' and p.pending_confirmations @> array[${f.confirmingUserId}]::bigint[]`);
    if (after) conds.push(sql`p.id < ${after}`);
    const r = await sql<ProcedureRow>`${procSelect(this.today())} where ${sql.join(conds, sql` and `)} order by p.id desc limit ${limit}`.execute(tx);
    return r.rows;
  }

  /** Active procedures at the publicity step of a region, with the household's size (no private fields selected). */
  async publicity(tx: Tx, regionPrefix: string): Promise<PublicityRow[]> {
    const r = await sql<PublicityRow>`
      select p.county_code, p.id, p.household_id, p.kind, p.state, p.started_on::text as started_on, p.step_since::text as step_since,
             r.name as village_name, t.name as township_name,
             (select m.name from members m where m.county_code = p.county_code and m.household_id = p.household_id and m.active and m.relation = 'head'
               order by m.id limit 1) as head_name,
             (select count(*)::int from members m where m.county_code = p.county_code and m.household_id = p.household_id and m.active) as size,
             mr.monitored_type, mr.risk_types
        from procedures p
        join regions r on r.code = p.village_code
        left join regions t on t.code = r.parent_code
        left join monitoring_records mr on mr.county_code = p.county_code and mr.household_id = p.household_id and mr.eliminated_on is null
       where p.village_code like ${regionPrefix + '%'} and p.status = 'active' and p.step = 'publicity'
       order by p.village_code, p.kind, p.id`.execute(tx);
    return r.rows;
  }

  // ---- monitoring records and yearly status ---------------------------------------------

  async records(tx: Tx, countyCode: string, householdId: number): Promise<MonitoringRecordRow[]> {
    const r = await sql<MonitoringRecordRow>`
      select id, identified_on::text as identified_on, monitored_type, risk_types, source, identification_id, import_id, eliminated_on::text as eliminated_on,
             elimination_type, elimination_id, quick_elimination
        from monitoring_records where county_code = ${countyCode} and household_id = ${householdId} order by identified_on desc, id desc`.execute(tx);
    return r.rows;
  }

  async openRecord(tx: Tx, countyCode: string, householdId: number): Promise<OpenRecordRow | undefined> {
    const r = await sql<OpenRecordRow>`
      select id, identified_on::text as identified_on, monitored_type, risk_types, source from monitoring_records
       where county_code = ${countyCode} and household_id = ${householdId} and eliminated_on is null`.execute(tx);
    return r.rows[0];
  }

  async insertRecord(tx: Tx, r: { countyCode: string; householdId: number; villageCode: string; identifiedOn: string; monitoredType: string; riskTypes: string[]; procedureId: number }): Promise<void> {
    await sql`insert into monitoring_records (county_code, household_id, village_code, identified_on, monitored_type, risk_types, identification_id)
              values (${r.countyCode}, ${r.householdId}, ${r.villageCode}, ${r.identifiedOn}, ${r.monitoredType}, ${r.riskTypes}::text[], ${r.procedureId})`.execute(tx);
  }

  async closeRecord(tx: Tx, countyCode: string, id: number, e: { eliminatedOn: string; eliminationType: string; procedureId: number; quick: boolean }): Promise<void> {
    await sql`update monitoring_records set eliminated_on = ${e.eliminatedOn}, elimination_type = ${e.eliminationType}, elimination_id = ${e.procedureId},
                quick_elimination = ${e.quick}, updated_at = now()
               where county_code = ${countyCode} and id = ${id}`.execute(tx);
  }

  /**
   * Sets the monitoring flag of a year's status. Without a status row for the year, one is created with the status
   * of the latest earlier year (or 一般农户).
   */
  async setYearMonitoring(tx: Tx, countyCode: string, householdId: number, villageCode: string, year: number,
    m: { monitored: boolean; monitoredType: string | null; riskTypes: string[] }): Promise<void> {
    await sql`
      insert into household_year_status (county_code, household_id, year, village_code, status, exit_year, monitored, monitored_type, risk_types)
      select ${countyCode}, ${householdId}, ${year}, ${villageCode}, coalesce(prev.status, 'ordinary'), prev.exit_year, ${m.monitored}, ${m.monitoredType},
             ${m.riskTypes}::text[]
        from (select 1) one
        left join lateral (select status, exit_year from household_year_status
                            where county_code = ${countyCode} and household_id = ${householdId} and year < ${year} order by year desc limit 1) prev on true
      on conflict (county_code, household_id, year) do update
        set monitored = excluded.monitored, monitored_type = excluded.monitored_type, risk_types = excluded.risk_types, updated_at = now()`.execute(tx);
  }

  // ---- users ---------------------------------------------------------------------------

  async userName(tx: Tx, id: number): Promise<string | null> {
    const r = await sql<{ display_name: string }>`select display_name from users where id = ${id}`.execute(tx);
    return r.rows[0]?.display_name ?? null;
  }

  /** Active users of the given roles (the domain's rolesWith('clues:verify')) in a region and below. */
  async verifiers(tx: Tx, regionPrefix: string, roles: readonly string[]): Promise<VerifierRow[]> {
    const r = await sql<VerifierRow>`
      select u.id, u.display_name, u.username, u.role, u.region_code, g.name as region_name from users u join regions g on g.code = u.region_code
       where u.region_code like ${regionPrefix + '%'} and u.role = any(${[...roles]}::text[]) and u.status = 'active'
       order by u.region_code, u.display_name`.execute(tx);
    return r.rows;
  }

  /** Officers who may verify a home visit in a village (its own and its township's; migration 0013's security-definer function). */
  async villageVerifiers(tx: Tx, villageCode: string): Promise<VerifierRow[]> {
    const r = await sql<VerifierRow>`select * from monitoring_verifiers(${villageCode})`.execute(tx);
    return r.rows;
  }

  async user(tx: Tx, id: number): Promise<MonitoringUserRow | undefined> {
    const r = await sql<MonitoringUserRow>`select id, display_name, role, region_code, status from users where id = ${id}`.execute(tx);
    return r.rows[0];
  }
}
