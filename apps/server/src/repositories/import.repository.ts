/**
 * SQL of the registry import: staging by COPY, set-based checks, counts, and the merge. Every function takes the
 * scoped transaction (`Database.scoped`; COPY through its client, `rawClient`), so row-level security applies throughout.
 */
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { Tx } from '../db/database';
import { rawClient } from '../db/raw';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { INCOME_ITEMS, maskIdsInParams, maskIdsInText, renderMessage, type ParamValue } from '@tuopin/domain';
import { HOUSEHOLD_DATA_COLUMNS, MEMBER_DATA_COLUMNS } from './registry.mapping';
import { migratedRecordsSql } from './monitoring.repository';

export const INCOME_DATA_COLUMNS = INCOME_ITEMS.map((i) => i.column);
export const STATUS_DATA_COLUMNS = ['status', 'exit_year', 'monitored', 'monitored_type', 'risk_types'];

export const STAGING = {
  households: {
    table: 'import_households',
    columns: ['import_id', 'row_no', 'county_code', 'household_no', 'village_code', ...HOUSEHOLD_DATA_COLUMNS, 'year', 'status', 'monitored', 'monitored_type', 'risk_types', 'identified_on'],
  },
  // county_code and village_code are filled while staging when the household is in the same file, else in checkStaged.
  members: { table: 'import_members', columns: ['import_id', 'row_no', 'household_no', 'county_code', 'village_code', ...MEMBER_DATA_COLUMNS] },
  income: { table: 'import_income', columns: ['import_id', 'row_no', 'household_no', 'county_code', 'village_code', 'year', ...INCOME_DATA_COLUMNS] },
} as const;
export type StagingName = keyof typeof STAGING;

/**
 * Streams COPY text (import/copy-text.ts) into a staging table. PostgreSQL refuses COPY FROM into a table with
 * row-level security for a role it applies to ("COPY FROM not supported with row-level security", migration 0016),
 * so the COPY alone runs as the session's own role, the tables' owner, and the request role is taken again at once;
 * the rows are the validation's own, all of this import (import_id), which the staging policy would admit anyway.
 */
export async function copyInto(tx: Tx, name: StagingName, chunks: AsyncIterable<string>): Promise<void> {
  const client = rawClient(tx);
  const { table, columns } = STAGING[name];
  const role = (await client.query<{ r: string }>('select current_user as r')).rows[0]!.r;
  await client.query('reset role');
  // On failure the transaction is aborted and rolled back by the caller; the role goes with it.
  await pipeline(
    Readable.from(
      (async function* () {
        for await (const text of chunks) if (text) yield text;
      })(),
    ),
    client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)),
  );
  await client.query(`set local role ${pgIdent(role)}`);
}

const pgIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface SqlProblem {
  sheet: 'households' | 'members' | 'income';
  row_no: number;
  column_name: string;
  message: string;
  /** the catalogue code of the message (messages/import.ts, import.check.*) and its params, built in the same SQL */
  code: string;
  params: Record<string, string | number>;
}

/**
 * Checks that need the whole file or the database. Returns problems (errors): of each check at most `limit`, its
 * first rows (a file that is wrong on every row must not be read into memory), and in `total` how many there are.
 * Each check's SQL gives its problem's catalogue code and params (`jsonb_build_object`); the text is rendered from them.
 */
export async function checkStaged(tx: Tx, importId: number, limit = 50_000): Promise<SqlProblem[] & { total: number }> {
  const client = rawClient(tx);
  let total = 0;
  const q = async (text: string) => {
    const rows = (await client.query<SqlProblem & { total?: number }>(
      `select p.*, count(*) over ()::int as total from (${text}) p order by p.row_no limit ${Math.floor(limit)}`, [importId])).rows;
    total += rows[0]?.total ?? 0;
    // The checks give code and params; the Chinese text is the catalogue's (one wording, in the domain).
    for (const r of rows) {
      delete r.total;
      r.message = renderMessage(r, 'zh') ?? r.code;
    }
    return rows as SqlProblem[];
  };
  // Fresh staging rows have no statistics; without them the planner picks nested loops over thousands of rows.
  // (tuopin_analyze: the application role does not own the tables; see migration 0010.)
  // Only the columns the checks join and group on: all of them would cost more than the checks.
  const keys: Record<string, string[]> = {
    import_households: ['import_id', 'county_code', 'household_no', 'village_code'],
    import_members: ['import_id', 'county_code', 'household_no', 'id_number', 'relation'],
    import_income: ['import_id', 'county_code', 'household_no', 'year'],
  };
  for (const [t, cols] of Object.entries(keys)) await client.query('select tuopin_analyze($1, $2)', [t, cols]);
  await client.query(
    `insert into import_statuses (import_id, row_no, county_code, household_no, village_code, year, ${STATUS_DATA_COLUMNS.join(', ')})
     select import_id, row_no, county_code, household_no, village_code, year, ${STATUS_DATA_COLUMNS.join(', ')}
       from import_households where import_id = $1`,
    [importId],
  );
  // Members and income staged before their households (a workbook whose sheets come in another order): the village
  // of the file's household (its first row), as staging gives it when the households come first.
  for (const table of ['import_members', 'import_income']) {
    await client.query(
      `update ${table} m set county_code = h.county_code, village_code = h.village_code
         from (select distinct on (household_no) household_no, county_code, village_code from import_households
                where import_id = $1 order by household_no, row_no) h
        where m.import_id = $1 and m.county_code is null and h.household_no = m.household_no`,
      [importId],
    );
  }
  // Members and income of households that are not in this file belong to an existing household in scope.
  for (const table of ['import_members', 'import_income']) {
    await client.query(
      `update ${table} m set county_code = h.county_code, village_code = h.village_code
         from households h where m.import_id = $1 and m.county_code is null and h.household_no = m.household_no`,
      [importId],
    );
  }
  const found = [
    ...(await q(`
      select 'households' as sheet, row_no, '户编号' as column_name, 'import.check.householdDuplicate' as code, jsonb_build_object('householdNo', household_no, 'firstRow', first_row) as params
        from (select row_no, household_no, min(row_no) over (partition by household_no) as first_row from import_households where import_id = $1) d
       where row_no <> first_row`)),
    ...(await q(`
      select 'households' as sheet, s.row_no, '所在村代码' as column_name, 'import.check.villageUnknown' as code, jsonb_build_object('villageCode', s.village_code) as params
        from import_households s where s.import_id = $1
         and not exists (select 1 from regions r where r.code = s.village_code and r.level = 5)`)),
    // A household number of another township of the county: hidden by row-level security, it would look new here
    // and the commit would fail on it. Reported without saying where it is registered.
    ...(await q(`
      select 'households' as sheet, c.row_no, '户编号' as column_name, 'import.check.householdOtherTownship' as code, jsonb_build_object('householdNo', c.household_no) as params
        from import_household_conflicts($1) c`)),
    ...(await q(`
      select 'households' as sheet, row_no, '年度' as column_name, 'import.check.statusDuplicate' as code, jsonb_build_object('householdNo', household_no, 'year', year) as params
        from (select row_no, household_no, year, min(row_no) over (partition by household_no, year) as first_row from import_statuses where import_id = $1) d
       where row_no <> first_row`)),
    ...(await q(`
      select 'members' as sheet, row_no, '证件号码' as column_name, 'import.check.idDuplicate' as code, jsonb_build_object('idNumber', id_number, 'firstRow', first_row) as params
        from (select row_no, id_number, min(row_no) over (partition by id_number) as first_row from import_members where import_id = $1) d
       where row_no <> first_row`)),
    ...(await q(`
      select 'members' as sheet, row_no, '户编号' as column_name, 'import.check.householdUnknown' as code, jsonb_build_object('householdNo', household_no) as params
        from import_members where import_id = $1 and county_code is null`)),
    ...(await q(`
      select 'members' as sheet, c.row_no, '证件号码' as column_name, 'import.check.idTaken' as code, jsonb_build_object('idNumber', c.id_number) as params
        from import_id_conflicts($1) c`)),
    ...(await q(`
      select 'households' as sheet, h.row_no, '户编号' as column_name, 'import.check.noHead' as code, jsonb_build_object('householdNo', h.household_no) as params
        from import_households h
        -- heads of the file as one hashed set: a correlated probe per household flips into a nested loop on fresh staging stats
        left join (select distinct household_no from import_members where import_id = $1 and relation = 'head') fh on fh.household_no = h.household_no
       where h.import_id = $1 and fh.household_no is null
         and not exists (select 1 from households e join members m on m.county_code = e.county_code and m.household_id = e.id and m.active and m.relation = 'head'
                          where e.county_code = h.county_code and e.household_no = h.household_no)`)),
    ...(await q(`
      select 'income' as sheet, row_no, '户编号' as column_name, 'import.check.householdUnknown' as code, jsonb_build_object('householdNo', household_no) as params
        from import_income where import_id = $1 and county_code is null`)),
    ...(await q(`
      select 'income' as sheet, row_no, '年度' as column_name, 'import.check.incomeDuplicate' as code, jsonb_build_object('householdNo', household_no, 'year', year) as params
        from (select row_no, household_no, year, min(row_no) over (partition by household_no, year) as first_row from import_income where import_id = $1) d
       where row_no <> first_row`)),
    // The monitoring flag of a file must agree with the monitoring records (mergeMonitoredRecords): a file does not
    // end monitoring (risk elimination is a procedure) and does not reopen a risk eliminated since its year.
    ...(await q(`
      select 'households' as sheet, s.row_no, '是否监测对象' as column_name,
             'import.check.monitoredEnd' as code, jsonb_build_object('householdNo', s.household_no, 'identifiedOn', r.identified_on) as params
        from import_households s
        join households e on e.county_code = s.county_code and e.household_no = s.household_no
        join monitoring_records r on r.county_code = e.county_code and r.household_id = e.id and r.eliminated_on is null
       where s.import_id = $1 and not s.monitored and s.year >= extract(year from r.identified_on)`)),
    ...(await q(`
      select 'households' as sheet, s.row_no, '是否监测对象' as column_name,
             'import.check.eliminatedReimport' as code, jsonb_build_object('householdNo', s.household_no, 'eliminatedOn', max(r.eliminated_on), 'year', s.year) as params
        from import_households s
        join households e on e.county_code = s.county_code and e.household_no = s.household_no
        join monitoring_records r on r.county_code = e.county_code and r.household_id = e.id and r.eliminated_on >= make_date(s.year, 1, 1)
       where s.import_id = $1 and s.monitored
         and not exists (select 1 from monitoring_records o where o.county_code = e.county_code and o.household_id = e.id and o.eliminated_on is null)
       group by s.row_no, s.household_no, s.year`)),
  ];
  return Object.assign(found, { total });
}

const tuple = (alias: string, cols: readonly string[]) => `(${cols.map((c) => `${alias}.${c}`).join(', ')})`;

export interface ImportCounts {
  households: { new: number; changed: number; unchanged: number };
  members: { new: number; changed: number; unchanged: number };
  income: { new: number; changed: number; unchanged: number };
}

/** New / changed / unchanged rows, comparing the staged file with the registry. */
export async function countChanges(tx: Tx, importId: number): Promise<ImportCounts> {
  const client = rawClient(tx);
  const hc = ['village_code', ...HOUSEHOLD_DATA_COLUMNS];
  const h = await client.query(
    `select count(*) filter (where e.id is null)::int as new,
            count(*) filter (where e.id is not null and (${tuple('e', hc)} is distinct from ${tuple('s', hc)}
                 or exists (select 1 from import_statuses st left join household_year_status ys
                              on ys.county_code = e.county_code and ys.household_id = e.id and ys.year = st.year
                             where st.import_id = $1 and st.household_no = s.household_no
                               and (ys.household_id is null or ${tuple('ys', STATUS_DATA_COLUMNS)} is distinct from ${tuple('st', STATUS_DATA_COLUMNS)}))))::int as changed,
            count(*)::int as total
       from import_households s left join households e on e.county_code = s.county_code and e.household_no = s.household_no
      where s.import_id = $1`,
    [importId],
  );
  const m = await client.query(
    `select count(*) filter (where e.id is null)::int as new,
            count(*) filter (where e.id is not null and ${tuple('e', MEMBER_DATA_COLUMNS)} is distinct from ${tuple('s', MEMBER_DATA_COLUMNS)})::int as changed,
            count(*)::int as total
       from import_members s
       left join households hh on hh.county_code = s.county_code and hh.household_no = s.household_no
       left join members e on e.county_code = hh.county_code and e.household_id = hh.id and e.id_number = s.id_number and e.active
      where s.import_id = $1`,
    [importId],
  );
  const i = await client.query(
    `select count(*) filter (where e.household_id is null)::int as new,
            count(*) filter (where e.household_id is not null and ${tuple('e', INCOME_DATA_COLUMNS)} is distinct from ${tuple('s', INCOME_DATA_COLUMNS)})::int as changed,
            count(*)::int as total
       from import_income s
       left join households hh on hh.county_code = s.county_code and hh.household_no = s.household_no
       left join income_records e on e.county_code = hh.county_code and e.household_id = hh.id and e.year = s.year
      where s.import_id = $1`,
    [importId],
  );
  const c = (r: { new: number; changed: number; total: number }) => ({ new: r.new, changed: r.changed, unchanged: r.total - r.new - r.changed });
  return { households: c(h.rows[0]), members: c(m.rows[0]), income: c(i.rows[0]) };
}

/** Staged households from which on the merge refreshes the planner's statistics of the tables it has just written. */
const ANALYZE_FROM = 1000;

/** Writes the staged file into the registry: upserts, set-based, inside the caller's transaction. */
export async function mergeStaged(tx: Tx, importId: number): Promise<void> {
  const client = rawClient(tx);
  const hc = ['village_code', ...HOUSEHOLD_DATA_COLUMNS];
  const staged = await client.query(
    `insert into households (county_code, household_no, ${hc.join(', ')})
     select county_code, household_no, ${hc.join(', ')} from import_households where import_id = $1
     on conflict (county_code, household_no) do update set ${hc.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()
      where ${tuple('households', hc)} is distinct from ${tuple('excluded', hc)}`,
    [importId],
  );
  // The statements below join the staged rows with the households just written. Statistics from before the
  // import (an empty table, or a table emptied by a rolled-back import) make the planner probe row by row
  // through tens of thousands of rows; ANALYZE inside the transaction counts the rows it has written.
  if ((staged.rowCount ?? 0) >= ANALYZE_FROM) await client.query(`select tuopin_analyze('households', array['county_code', 'household_no', 'id'])`);
  await client.query(
    `insert into household_year_status (county_code, household_id, year, village_code, ${STATUS_DATA_COLUMNS.join(', ')})
     select s.county_code, h.id, s.year, h.village_code, ${STATUS_DATA_COLUMNS.map((c) => `s.${c}`).join(', ')}
       from import_statuses s join households h on h.county_code = s.county_code and h.household_no = s.household_no
      where s.import_id = $1
     on conflict (county_code, household_id, year) do update set village_code = excluded.village_code,
        ${STATUS_DATA_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()
      where ${tuple('household_year_status', STATUS_DATA_COLUMNS)} is distinct from ${tuple('excluded', STATUS_DATA_COLUMNS)}`,
    [importId],
  );
  // The staged members with their household's id and whether they are in the registry already — read here, by a
  // statement that does not write members: an INSERT … SELECT that probes the table it fills can be planned as a
  // scan of the growing table per row when the statistics say it is empty (quadratic on a first import).
  await client.query(
    `create temp table im on commit drop as
     select s.*, h.id as household_id, t.id is not null as present
       from import_members s
       join households h on h.county_code = s.county_code and h.household_no = s.household_no
       left join members t on t.county_code = h.county_code and t.household_id = h.id and t.id_number = s.id_number and t.active
      where s.import_id = $1`,
    [importId],
  );
  // Without statistics the planner guesses the temporary table's size.
  await client.query('analyze im (county_code, household_id, id_number, present)');
  await client.query(
    `update members t set ${MEMBER_DATA_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')}, updated_at = now()
       from im s
      where s.present and t.county_code = s.county_code and t.household_id = s.household_id and t.id_number = s.id_number and t.active
        and ${tuple('t', MEMBER_DATA_COLUMNS)} is distinct from ${tuple('s', MEMBER_DATA_COLUMNS)}`,
  );
  // New members and their entry in the registry-wide ID index, in one statement (members already in the
  // registry keep theirs: an ID number of another household was refused by the checks).
  await client.query(
    `with added as (
       insert into members (county_code, household_id, village_code, ${MEMBER_DATA_COLUMNS.join(', ')})
       select s.county_code, s.household_id, s.village_code, ${MEMBER_DATA_COLUMNS.map((c) => `s.${c}`).join(', ')} from im s where not s.present
       returning id_number, county_code, village_code, household_id, id
     )
     insert into persons (id_number, county_code, village_code, household_id, member_id)
     select id_number, county_code, village_code, household_id, id from added
     on conflict (id_number) do nothing`,
  );
  await client.query(
    `insert into income_records (county_code, household_id, year, village_code, ${INCOME_DATA_COLUMNS.join(', ')})
     select s.county_code, h.id, s.year, h.village_code, ${INCOME_DATA_COLUMNS.map((c) => `s.${c}`).join(', ')}
       from import_income s join households h on h.county_code = s.county_code and h.household_no = s.household_no
      where s.import_id = $1
     on conflict (county_code, household_id, year) do update set ${INCOME_DATA_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()
      where ${tuple('income_records', INCOME_DATA_COLUMNS)} is distinct from ${tuple('excluded', INCOME_DATA_COLUMNS)}`,
    [importId],
  );
}

/**
 * Households of the file whose latest status says monitored get their monitoring record, marked as migrated
 * (monitored before the platform), with the file's 纳入监测日期 when given (migratedRecordsSql). Set-based, in the
 * commit's transaction, after mergeStaged.
 */
export async function mergeMonitoredRecords(tx: Tx, importId: number, today: string): Promise<void> {
  const client = rawClient(tx);
  await client.query(
    migratedRecordsSql(
      `select h.county_code, h.id as household_id, s.identified_on, s.import_id
         from import_households s join households h on h.county_code = s.county_code and h.household_no = s.household_no
        where s.import_id = $1`,
      '$2::date',
    ),
    [importId, today],
  );
}

export async function clearStaged(tx: Tx, importId: number): Promise<void> {
  const client = rawClient(tx);
  for (const table of ['import_households', 'import_statuses', 'import_members', 'import_income']) {
    await client.query(`delete from ${table} where import_id = $1`, [importId]);
  }
}

// ---- the imports table (Kysely transactions) -------------------------------------------------


export type ImportStatus = 'queued' | 'validating' | 'validated' | 'invalid' | 'committing' | 'committed' | 'failed';

export interface ImportRow {
  id: number;
  region_code: string;
  created_by: number;
  created_by_name: string;
  created_at: Date;
  file_names: string[];
  file_bytes: number;
  status: string;
  progress: number;
  /** the state's Chinese text, and its catalogue code and params (migration 0022; null on older rows) */
  message: string | null;
  message_code: string | null;
  message_params: Record<string, ParamValue> | null;
  counts: Partial<ImportCounts> & { rows?: { households: number; members: number; income: number }; timingsMs?: Record<string, number> };
  error_count: number;
  warning_count: number;
  committed_at: Date | null;
  /** The newest run of the import (validation or commit), added by the service for its answers. */
  run_id?: number | null;
}

export interface ProblemRow {
  sheet: string;
  row_no: number | null;
  column_name: string | null;
  severity: string;
  message: string;
  /** null for problems stored before migration 0022 */
  code: string | null;
  params: Record<string, ParamValue> | null;
}

/** An import's state message: the Chinese text with its catalogue code and params. */
export interface StateNote {
  message: string;
  message_code: string | null;
  message_params: Readonly<Record<string, ParamValue>> | null;
}

/** The state fields an update may set (a message always with its code: a message without one clears the code). */
type StateFields = Partial<Pick<ImportRow, 'status' | 'progress' | 'counts' | 'error_count' | 'warning_count'>> & Partial<StateNote>;

const noteSql = (f: Partial<StateNote>) => sql`
        message = coalesce(${f.message ?? null}, message),
        message_code = case when ${f.message ?? null}::text is null then message_code else ${f.message_code ?? null} end,
        message_params = case when ${f.message ?? null}::text is null then message_params else ${f.message_params ? JSON.stringify(f.message_params) : null}::jsonb end`;

export class ImportsRepository {
  async insert(tx: Tx, v: { regionCode: string; userId: number; username: string; fileNames: string[]; sha256: string; bytes: number }): Promise<number> {
    const r = await sql<{ id: number }>`
      insert into imports (region_code, created_by, created_by_name, file_names, file_sha256, file_bytes)
      values (${v.regionCode}, ${v.userId}, ${v.username}, ${v.fileNames}, ${v.sha256}, ${v.bytes}) returning id`.execute(tx);
    return r.rows[0]!.id;
  }

  async get(tx: Tx, id: number): Promise<ImportRow | undefined> {
    return (await sql<ImportRow>`select * from imports where id = ${id}`.execute(tx)).rows[0];
  }

  async list(tx: Tx, prefix: string): Promise<ImportRow[]> {
    return (await sql<ImportRow>`select * from imports where region_code like ${prefix + '%'} order by id desc limit 50`.execute(tx)).rows;
  }

  async setState(tx: Tx, id: number, f: StateFields): Promise<void> {
    await sql`update imports set
        status = coalesce(${f.status ?? null}, status),
        progress = coalesce(${f.progress ?? null}, progress),
        ${noteSql(f)},
        counts = coalesce(${f.counts ? JSON.stringify(f.counts) : null}::jsonb, counts),
        error_count = coalesce(${f.error_count ?? null}, error_count),
        warning_count = coalesce(${f.warning_count ?? null}, warning_count)
      where id = ${id}`.execute(tx);
  }

  /**
   * One state transition as one conditional update: the import moves only if it is in one of the `from` states
   * (two simultaneous requests cannot both move it); the row afterwards, or undefined when it was not in them.
   */
  async transition(
    tx: Tx, id: number, from: readonly ImportStatus[],
    f: { status: ImportStatus } & Omit<StateFields, 'status'>,
    opts: { withoutErrors?: boolean } = {},
  ): Promise<ImportRow | undefined> {
    const r = await sql<ImportRow>`update imports set
        status = ${f.status},
        progress = coalesce(${f.progress ?? null}, progress),
        ${noteSql(f)},
        counts = coalesce(${f.counts ? JSON.stringify(f.counts) : null}::jsonb, counts),
        error_count = coalesce(${f.error_count ?? null}, error_count),
        warning_count = coalesce(${f.warning_count ?? null}, warning_count)
      where id = ${id} and status = any(${from as string[]}::text[]) and (${!opts.withoutErrors} or error_count = 0)
      returning *`.execute(tx);
    return r.rows[0];
  }

  async problems(tx: Tx, id: number, limit: number): Promise<ProblemRow[]> {
    const r = await sql<ProblemRow>`
      select sheet, row_no, column_name, severity, message, code, params from import_problems where import_id = ${id} order by severity, seq limit ${limit}`.execute(tx);
    return r.rows;
  }
}

/**
 * Stores problems with their code and params; ID numbers quoted in a message or its params are masked as in the
 * data-quality findings (the row and column locate them).
 */
export async function storeProblems(
  tx: Tx, id: number,
  problems: { sheet: string; row: number | null; column: string | null; severity: string; message: string; code?: string; params?: Readonly<Record<string, ParamValue>> }[],
  offset = 0,
): Promise<void> {
  const client = rawClient(tx);
  for (let i = 0; i < problems.length; i += 5000) {
    const chunk = problems.slice(i, i + 5000);
    await client.query(
      `insert into import_problems (import_id, seq, sheet, row_no, column_name, severity, message, code, params)
       select $1, * from unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])`,
      [id, chunk.map((_, k) => offset + i + k + 1), chunk.map((p) => p.sheet), chunk.map((p) => p.row || null), chunk.map((p) => p.column), chunk.map((p) => p.severity), chunk.map((p) => maskIdsInText(p.message)),
        chunk.map((p) => p.code ?? null), chunk.map((p) => (p.code ? JSON.stringify(maskIdsInParams(p.params ?? {})) : null))],
    );
  }
}

export async function finishCommit(tx: Tx, row: ImportRow, note: StateNote): Promise<void> {
  const client = rawClient(tx);
  // Only the commit that holds the import in 'committing' finishes it (the update is the transition).
  const done = await client.query(
    `update imports set status = 'committed', progress = 1, committed_at = now(), message = $2, message_code = $3, message_params = $4::jsonb
      where id = $1 and status = 'committing'`,
    [row.id, note.message, note.message_code, JSON.stringify(note.message_params ?? {})],
  );
  if (done.rowCount !== 1) throw new Error(`import ${row.id} is not being committed`);
  // The import's audit rows are appended at commit: the commit entered bulk mode (AuditRepository.beginBulk, audit_bulk_begin).
}

export interface StagedCounts {
  households: number;
  statuses: number;
  members: number;
  income: number;
}

/** Rows of an import in the staging tables now. */
export async function stagedCounts(tx: Tx, importId: number): Promise<StagedCounts> {
  return (await sql<StagedCounts>`select (select count(*) from import_households where import_id = ${importId})::int as households,
      (select count(*) from import_statuses where import_id = ${importId})::int as statuses,
      (select count(*) from import_members where import_id = ${importId})::int as members,
      (select count(*) from import_income where import_id = ${importId})::int as income`.execute(tx)).rows[0]!;
}

/** The counties of an import's staged rows (its commit writes these): the chains its bulk audit summary goes on. */
export async function stagedCounties(tx: Tx, importId: number): Promise<string[]> {
  return (await sql<{ c: string }>`select county_code as c from import_households where import_id = ${importId} and county_code is not null
      union select county_code from import_members where import_id = ${importId} and county_code is not null
      union select county_code from import_income where import_id = ${importId} and county_code is not null
      order by 1`.execute(tx)).rows.map((r) => r.c);
}

/**
 * What the validation counted (new + changed + unchanged of each sheet, the staged rows), against what is staged
 * now. The staging tables are unlogged: crash recovery empties them, and a commit from them would write nothing
 * (or part of the file) and report success. Returns the figures when they differ (the params of
 * import.state.staleStaging), else null.
 */
export function stagedMismatch(
  counts: ImportRow['counts'], now: StagedCounts,
): { households: number; members: number; income: number; nowHouseholds: number; nowMembers: number; nowIncome: number } | null {
  const total = (c: { new: number; changed: number; unchanged: number } | undefined) => (c ? c.new + c.changed + c.unchanged : 0);
  const expected = { households: total(counts.households), members: total(counts.members), income: total(counts.income) };
  if (expected.households === now.households && expected.households === now.statuses && expected.members === now.members && expected.income === now.income) {
    return null;
  }
  return { ...expected, nowHouseholds: now.households, nowMembers: now.members, nowIncome: now.income };
}

export async function clearProblems(tx: Tx, id: number): Promise<void> {
  const client = rawClient(tx);
  await client.query('delete from import_problems where import_id = $1', [id]);
}

/**
 * After a failed or interrupted run of an import (services/runs.ts cleanup): when the import is still in one of the
 * `from` states, it becomes 'failed' with the message, and its staging rows (and, for a validation, its problems)
 * are deleted — in one statement. An import that has moved on (validated, committed) is left alone.
 */
export async function resetInterruptedImport(
  tx: Tx, id: number, v: { from: readonly ImportStatus[]; note: StateNote; problems: boolean },
): Promise<boolean> {
  const r = await sql<{ id: number }>`
    with moved as (
      update imports set status = 'failed', progress = 1, message = ${v.note.message}, message_code = ${v.note.message_code},
             message_params = ${JSON.stringify(v.note.message_params ?? {})}::jsonb
       where id = ${id} and status = any(${v.from as string[]}::text[]) returning id
    ), h as (delete from import_households where import_id in (select id from moved)),
       s as (delete from import_statuses where import_id in (select id from moved)),
       m as (delete from import_members where import_id in (select id from moved)),
       i as (delete from import_income where import_id in (select id from moved)),
       p as (delete from import_problems where ${v.problems} and import_id in (select id from moved))
    select id from moved`.execute(tx);
  return r.rows.length === 1;
}
