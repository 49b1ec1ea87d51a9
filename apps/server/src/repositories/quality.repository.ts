/**
 * SQL of the data-quality page: the runs, the registry reads of a run (households in keyset batches with their
 * members, income and status of the year: four set-based queries per batch), the findings and their counts.
 * Every function receives a transaction (scoped, except the job's state updates), so row-level security applies.
 */
import { sql } from 'kysely';
import type { ParamValue } from '@tuopin/domain';
import type { Tx } from '../db/database';
import { developmentMeasureInForceSql } from './assistance.repository';
import { incomeItemsSelect, type HouseholdRow, type KeyedIncomeRow, type KeyedYearStatusRow, type MemberRow } from './registry.mapping';

export interface QualityRunRow {
  id: number;
  region_code: string;
  region_prefix: string;
  region_name: string;
  region_full_name: string;
  region_level: number;
  year: number;
  reference_date: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  /** the state's Chinese text, and its catalogue code and params (migration 0022; null on older runs) */
  message: string | null;
  message_code: string | null;
  message_params: Record<string, ParamValue> | null;
  totals: { households: number; withErrors: number; withWarnings: number; errors: number; warnings: number } | null;
  created_by: number | null;
  created_by_name: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface HouseholdKey {
  county_code: string;
  id: number;
}

/** The open monitoring record of a household of a batch: since when, and whether a development measure is in force. */
export interface MonitoringOfRow {
  county_code: string;
  household_id: number;
  monitored_since: string;
  has_development_measure: boolean;
}

/** A finding as written by a run. */
export interface FindingInsert {
  countyCode: string;
  householdId: number;
  seq: number;
  villageCode: string;
  memberId: number | null;
  checkId: string;
  severity: 'error' | 'warning';
  field: string;
  message: string;
  /** the catalogue code of the message and its params (ID numbers masked) */
  code: string | null;
  params: Readonly<Record<string, ParamValue>> | null;
}

/** A state message of a run: the Chinese text with its catalogue code and params. */
export interface RunNote {
  message: string;
  code: string;
  params: Readonly<Record<string, ParamValue>>;
}

export interface VillageCounts {
  countyCode: string;
  villageCode: string;
  households: number;
  withErrors: number;
  withWarnings: number;
  errors: number;
  warnings: number;
}

export interface FindingFilter {
  runId: number;
  areaPrefix: string;
  checkId?: string;
  severity?: 'error' | 'warning';
}

export interface FindingRow {
  county_code: string;
  household_id: number;
  seq: number;
  village_code: string;
  member_id: number | null;
  member_name: string | null;
  check_id: string;
  severity: 'error' | 'warning';
  field: string;
  message: string;
  /** null for findings before migration 0022 */
  code: string | null;
  params: Record<string, ParamValue> | null;
}

export interface FindingHouseholdRow {
  county_code: string;
  household_id: number;
  household_no: string;
  village_code: string;
  village_name: string;
  village_full_name: string;
  head_name: string | null;
}

export interface CsvFindingRow extends FindingRow {
  household_no: string;
  village_full_name: string;
}

const RUN_SELECT = sql`
  q.id, q.region_code, q.region_prefix, r.name as region_name, r.full_name as region_full_name, r.level as region_level,
  q.year, to_char(q.reference_date, 'YYYY-MM-DD') as reference_date, q.status, q.progress, q.message, q.message_code, q.message_params, q.totals,
  q.created_by, q.created_by_name, q.created_at, q.started_at, q.finished_at`;

const INCOME_COLS = incomeItemsSelect('i');

/** Arrays of the keys, for `unnest` joins. */
const keyArrays = (keys: readonly HouseholdKey[]) => [keys.map((k) => k.county_code), keys.map((k) => k.id)] as const;

function filterSql(f: FindingFilter, alias: string) {
  const a = sql.raw(alias);
  return sql`${a}.run_id = ${f.runId} and ${a}.village_code like ${f.areaPrefix + '%'}
    ${f.checkId ? sql`and ${a}.check_id = ${f.checkId}` : sql``}
    ${f.severity ? sql`and ${a}.severity = ${f.severity}` : sql``}`;
}

export class QualityRepository {
  // ---- runs ---------------------------------------------------------------------------------

  async insertRun(
    tx: Tx,
    v: { regionCode: string; regionPrefix: string; year: number; referenceDate: string; userId: number; username: string },
  ): Promise<number | null> {
    // One waiting or running run per region and year (unique index, migration 0015): of two simultaneous starts
    // the second inserts nothing and gets null (it then returns the first's run).
    const r = await sql<{ id: number }>`
      insert into quality_runs (region_code, region_prefix, year, reference_date, created_by, created_by_name)
      values (${v.regionCode}, ${v.regionPrefix}, ${v.year}, ${v.referenceDate}::date, ${v.userId}, ${v.username})
      on conflict (region_code, year) where status in ('queued', 'running') do nothing
      returning id`.execute(tx);
    return r.rows[0]?.id ?? null;
  }

  /** Takes a queued run for the job that executes it (one conditional update: a redelivered job finds it taken). */
  async claim(tx: Tx, id: number, note: RunNote): Promise<boolean> {
    const r = await sql`update quality_runs set status = 'running', progress = 0, message = ${note.message}, message_code = ${note.code},
        message_params = ${JSON.stringify(note.params)}::jsonb, started_at = now()
      where id = ${id} and status = 'queued'`.execute(tx);
    return Number(r.numAffectedRows ?? 0) === 1;
  }

  async run(tx: Tx, id: number): Promise<QualityRunRow | undefined> {
    const r = await sql<QualityRunRow>`select ${RUN_SELECT} from quality_runs q join regions r on r.code = q.region_code where q.id = ${id}`.execute(tx);
    return r.rows[0];
  }

  /** A run of exactly this region and year that is queued or running. */
  async activeRun(tx: Tx, regionCode: string, year: number): Promise<QualityRunRow | undefined> {
    const r = await sql<QualityRunRow>`
      select ${RUN_SELECT} from quality_runs q join regions r on r.code = q.region_code
       where q.region_code = ${regionCode} and q.year = ${year} and q.status in ('queued', 'running')
       order by q.id desc limit 1`.execute(tx);
    return r.rows[0];
  }

  /** The newest finished run (visible to the caller) whose region contains the region. */
  async latestDone(tx: Tx, regionCode: string, year: number): Promise<QualityRunRow | undefined> {
    const r = await sql<QualityRunRow>`
      select ${RUN_SELECT} from quality_runs q join regions r on r.code = q.region_code
       where q.year = ${year} and q.status = 'done' and starts_with(${regionCode}, q.region_prefix)
       order by q.finished_at desc, q.id desc limit 1`.execute(tx);
    return r.rows[0];
  }

  async setState(
    tx: Tx, id: number,
    f: {
      status?: QualityRunRow['status']; progress?: number; message?: string; messageCode?: string | null; messageParams?: Readonly<Record<string, ParamValue>> | null;
      started?: boolean; finished?: boolean; totals?: QualityRunRow['totals'];
    },
  ): Promise<void> {
    // a message always with its code: a message without one clears the code
    await sql`update quality_runs set
        status = coalesce(${f.status ?? null}, status),
        progress = coalesce(${f.progress ?? null}, progress),
        message = coalesce(${f.message ?? null}, message),
        message_code = case when ${f.message ?? null}::text is null then message_code else ${f.messageCode ?? null} end,
        message_params = case when ${f.message ?? null}::text is null then message_params else ${f.messageParams ? JSON.stringify(f.messageParams) : null}::jsonb end,
        totals = coalesce(${f.totals ? JSON.stringify(f.totals) : null}::jsonb, totals),
        started_at = case when ${f.started ?? false} then now() else started_at end,
        finished_at = case when ${f.finished ?? false} then now() else finished_at end
      where id = ${id}`.execute(tx);
  }

  /**
   * After a failed or interrupted run (services/runs.ts cleanup): a run still queued or running becomes failed, and
   * whatever it wrote is deleted (its one transaction normally leaves nothing); it no longer blocks a new run of its
   * region and year.
   */
  async failRun(tx: Tx, id: number, note: RunNote): Promise<void> {
    await sql`with moved as (
        update quality_runs set status = 'failed', progress = 1, finished_at = now(), message = ${note.message}, message_code = ${note.code},
               message_params = ${JSON.stringify(note.params)}::jsonb
         where id = ${id} and status in ('queued', 'running') returning id
      ), f as (delete from quality_findings where run_id in (select id from moved))
      delete from quality_run_villages where run_id in (select id from moved)`.execute(tx);
  }

  /** failed → queued (a retry); false when it is not failed, or another run of its region and year waits or runs. */
  async requeueRun(tx: Tx, id: number): Promise<'queued' | 'busy' | 'not_failed'> {
    const r = await sql<{ id: number }>`
      update quality_runs q set status = 'queued', progress = 0, message = null, message_code = null, message_params = null, totals = null, started_at = null, finished_at = null
       where q.id = ${id} and q.status = 'failed'
         and not exists (select 1 from quality_runs o where o.region_code = q.region_code and o.year = q.year and o.status in ('queued', 'running'))
       returning id`.execute(tx);
    if (r.rows.length === 1) return 'queued';
    const cur = (await sql<{ status: string }>`select status from quality_runs where id = ${id}`.execute(tx)).rows[0];
    return cur?.status === 'failed' ? 'busy' : 'not_failed';
  }

  /** Deletes the older runs of a region and year (their findings go with them), keeping the newest `keep`. */
  async prune(tx: Tx, regionCode: string, year: number, keep: number): Promise<void> {
    await sql`delete from quality_runs where id in (
        select id from quality_runs where region_code = ${regionCode} and year = ${year} and status in ('done', 'failed')
         order by id desc offset ${keep})`.execute(tx);
  }

  // ---- registry reads of a run --------------------------------------------------------------

  async countHouseholds(tx: Tx, prefix: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from households where village_code like ${prefix + '%'}`.execute(tx);
    return r.rows[0]!.n;
  }

  /** The next batch of households of the region in (village_code, id) order. */
  async householdBatch(tx: Tx, prefix: string, after: { villageCode: string; id: number } | null, limit: number): Promise<HouseholdRow[]> {
    const r = await sql<HouseholdRow>`
      select h.* from households h
       where h.village_code like ${prefix + '%'}
         ${after ? sql`and (h.village_code, h.id) > (${after.villageCode}, ${after.id})` : sql``}
       order by h.village_code, h.id limit ${limit}`.execute(tx);
    return r.rows;
  }

  /** The current members of the households, the head first, then by birth date. */
  async membersOf(tx: Tx, keys: readonly HouseholdKey[]): Promise<MemberRow[]> {
    if (keys.length === 0) return [];
    const [counties, ids] = keyArrays(keys);
    const r = await sql<MemberRow>`
      select m.*, to_char(m.birth_date, 'YYYY-MM-DD') as birth_date_text
        from unnest(${counties}::text[], ${ids}::bigint[]) as k(county_code, household_id)
        join members m on m.county_code = k.county_code and m.household_id = k.household_id and m.active
       order by m.county_code, m.household_id, (m.relation = 'head') desc, m.birth_date nulls last, m.id`.execute(tx);
    return r.rows;
  }

  async incomesOf(tx: Tx, keys: readonly HouseholdKey[], year: number): Promise<KeyedIncomeRow[]> {
    if (keys.length === 0) return [];
    const [counties, ids] = keyArrays(keys);
    const r = await sql<KeyedIncomeRow>`
      select i.county_code, i.household_id, i.year, ${INCOME_COLS}
        from unnest(${counties}::text[], ${ids}::bigint[]) as k(county_code, household_id)
        join income_records i on i.county_code = k.county_code and i.household_id = k.household_id and i.year = ${year}`.execute(tx);
    return r.rows;
  }

  async statusesOf(tx: Tx, keys: readonly HouseholdKey[], year: number): Promise<KeyedYearStatusRow[]> {
    if (keys.length === 0) return [];
    const [counties, ids] = keyArrays(keys);
    const r = await sql<KeyedYearStatusRow>`
      select s.county_code, s.household_id, s.year, s.status, s.exit_year, s.monitored, s.monitored_type, s.risk_types
        from unnest(${counties}::text[], ${ids}::bigint[]) as k(county_code, household_id)
        join household_year_status s on s.county_code = k.county_code and s.household_id = k.household_id and s.year = ${year}`.execute(tx);
    return r.rows;
  }

  /**
   * For the households that are monitored now (an open monitoring record): since when, and whether an industry or
   * employment measure is in force at the reference date (the development-measure check).
   */
  async monitoringOf(tx: Tx, keys: readonly HouseholdKey[], referenceDate: string): Promise<MonitoringOfRow[]> {
    if (keys.length === 0) return [];
    const [counties, ids] = keyArrays(keys);
    const r = await sql<MonitoringOfRow>`
      select mr.county_code, mr.household_id, to_char(mr.identified_on, 'YYYY-MM-DD') as monitored_since,
             exists (select 1 from assistance_measures am where am.county_code = mr.county_code and am.household_id = mr.household_id
                        and ${sql.raw(developmentMeasureInForceSql('am', referenceDate))}) as has_development_measure
        from unnest(${counties}::text[], ${ids}::bigint[]) as k(county_code, household_id)
        join monitoring_records mr on mr.county_code = k.county_code and mr.household_id = k.household_id and mr.eliminated_on is null`.execute(tx);
    return r.rows;
  }

  // ---- writes of a run ----------------------------------------------------------------------

  /** One multi-row insert (unnest of arrays) for a batch of findings. */
  async insertFindings(tx: Tx, runId: number, rows: readonly FindingInsert[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 10_000) {
      const c = rows.slice(i, i + 10_000);
      await sql`
        insert into quality_findings (run_id, county_code, household_id, seq, village_code, member_id, check_id, severity, field, message, code, params)
        select ${runId}, * from unnest(${c.map((f) => f.countyCode)}::text[], ${c.map((f) => f.householdId)}::bigint[],
          ${c.map((f) => f.seq)}::smallint[], ${c.map((f) => f.villageCode)}::text[], ${c.map((f) => f.memberId)}::bigint[],
          ${c.map((f) => f.checkId)}::text[], ${c.map((f) => f.severity)}::text[], ${c.map((f) => f.field)}::text[],
          ${c.map((f) => f.message)}::text[], ${c.map((f) => f.code)}::text[], ${c.map((f) => (f.params ? JSON.stringify(f.params) : null))}::jsonb[])`.execute(tx);
    }
  }

  async insertVillageCounts(tx: Tx, runId: number, rows: readonly VillageCounts[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 10_000) {
      const c = rows.slice(i, i + 10_000);
      await sql`
        insert into quality_run_villages (run_id, county_code, village_code, households, with_errors, with_warnings, errors, warnings)
        select ${runId}, * from unnest(${c.map((v) => v.countyCode)}::text[], ${c.map((v) => v.villageCode)}::text[],
          ${c.map((v) => v.households)}::int[], ${c.map((v) => v.withErrors)}::int[], ${c.map((v) => v.withWarnings)}::int[],
          ${c.map((v) => v.errors)}::int[], ${c.map((v) => v.warnings)}::int[])`.execute(tx);
    }
  }

  // ---- counts -------------------------------------------------------------------------------

  async totals(tx: Tx, runId: number, areaPrefix: string) {
    const r = await sql<{ households: number; withErrors: number; withWarnings: number; errors: number; warnings: number }>`
      select coalesce(sum(households), 0)::int as households, coalesce(sum(with_errors), 0)::int as "withErrors",
             coalesce(sum(with_warnings), 0)::int as "withWarnings", coalesce(sum(errors), 0)::int as errors,
             coalesce(sum(warnings), 0)::int as warnings
        from quality_run_villages where run_id = ${runId} and village_code like ${areaPrefix + '%'}`.execute(tx);
    return r.rows[0]!;
  }

  async checkCounts(tx: Tx, runId: number, areaPrefix: string): Promise<{ check_id: string; severity: 'error' | 'warning'; households: number; findings: number }[]> {
    const r = await sql<{ check_id: string; severity: 'error' | 'warning'; households: number; findings: number }>`
      select check_id, severity, count(distinct (county_code, household_id))::int as households, count(*)::int as findings
        from quality_findings where run_id = ${runId} and village_code like ${areaPrefix + '%'}
       group by check_id, severity`.execute(tx);
    return r.rows;
  }

  /** Counts per child region: the villages' counts summed by the first `childLength` digits of their code. */
  async childCounts(tx: Tx, runId: number, areaPrefix: string, childLength: number) {
    const r = await sql<{ code: string; name: string | null; full_name: string | null; level: number | null; households: number; with_errors: number; with_warnings: number; errors: number; warnings: number }>`
      select c.code, r.name, r.full_name, r.level, c.households, c.with_errors, c.with_warnings, c.errors, c.warnings
        from (select rpad(left(village_code, ${childLength}), 12, '0') as code, sum(households)::int as households,
                     sum(with_errors)::int as with_errors, sum(with_warnings)::int as with_warnings,
                     sum(errors)::int as errors, sum(warnings)::int as warnings
                from quality_run_villages where run_id = ${runId} and village_code like ${areaPrefix + '%'}
               group by 1) c
        left join regions r on r.code = c.code
       order by c.code`.execute(tx);
    return r.rows;
  }

  // ---- findings -----------------------------------------------------------------------------

  /** Households with matching findings, one page in (village_code, household_id) order. */
  async findingHouseholds(tx: Tx, f: FindingFilter, after: { villageCode: string; id: number } | null, limit: number): Promise<FindingHouseholdRow[]> {
    const r = await sql<FindingHouseholdRow>`
      with page as (
        select f.village_code, f.county_code, f.household_id from quality_findings f
         where ${filterSql(f, 'f')}
           ${after ? sql`and (f.village_code, f.household_id) > (${after.villageCode}, ${after.id})` : sql``}
         group by f.village_code, f.county_code, f.household_id
         order by f.village_code, f.household_id limit ${limit})
      select p.county_code, p.household_id, coalesce(h.household_no, '') as household_no, p.village_code,
             r.name as village_name, r.full_name as village_full_name,
             (select min(m.name) from members m where m.county_code = p.county_code and m.household_id = p.household_id
                 and m.active and m.relation = 'head') as head_name
        from page p
        left join households h on h.county_code = p.county_code and h.id = p.household_id
        join regions r on r.code = p.village_code
       order by p.village_code, p.household_id`.execute(tx);
    return r.rows;
  }

  async countFindingHouseholds(tx: Tx, f: FindingFilter): Promise<number> {
    const r = await sql<{ n: number }>`
      select count(distinct (f.county_code, f.household_id))::int as n from quality_findings f where ${filterSql(f, 'f')}`.execute(tx);
    return r.rows[0]!.n;
  }

  /** The matching findings of the given households, with the member's current name. */
  async findingsOf(tx: Tx, f: FindingFilter, keys: readonly HouseholdKey[]): Promise<FindingRow[]> {
    if (keys.length === 0) return [];
    const [counties, ids] = keyArrays(keys);
    const r = await sql<FindingRow>`
      select f.county_code, f.household_id, f.seq, f.village_code, f.member_id, m.name as member_name, f.check_id, f.severity, f.field, f.message, f.code, f.params
        from unnest(${counties}::text[], ${ids}::bigint[]) as k(county_code, household_id)
        join quality_findings f on f.county_code = k.county_code and f.household_id = k.household_id
        left join members m on m.county_code = f.county_code and m.id = f.member_id
       where ${filterSql(f, 'f')}
       order by f.county_code, f.household_id, f.seq`.execute(tx);
    return r.rows;
  }

  /** A batch of matching findings for the CSV, in (village_code, household_id, seq) order. */
  async csvBatch(tx: Tx, f: FindingFilter, after: { villageCode: string; id: number; seq: number } | null, limit: number): Promise<CsvFindingRow[]> {
    const r = await sql<CsvFindingRow>`
      select f.county_code, f.household_id, f.seq, f.village_code, f.member_id, m.name as member_name, f.check_id, f.severity, f.field, f.message,
             f.code, f.params, coalesce(h.household_no, '') as household_no, r.full_name as village_full_name
        from quality_findings f
        left join households h on h.county_code = f.county_code and h.id = f.household_id
        left join members m on m.county_code = f.county_code and m.id = f.member_id
        join regions r on r.code = f.village_code
       where ${filterSql(f, 'f')}
         ${after ? sql`and (f.village_code, f.household_id, f.seq) > (${after.villageCode}, ${after.id}, ${after.seq})` : sql``}
       order by f.village_code, f.household_id, f.seq limit ${limit}`.execute(tx);
    return r.rows;
  }
}
