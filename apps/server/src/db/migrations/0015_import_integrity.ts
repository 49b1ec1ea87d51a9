import { sql, type Kysely } from 'kysely';

/**
 * Integrity of imports and runs:
 * - `import_household_conflicts()`: household numbers of an import that the registry already holds in a
 *   household the caller cannot see (another township of the county). Row-level security hides that household,
 *   so the staged row looks new and the commit's upsert would then fail on it; the validation reports the row
 *   instead. Like import_id_conflicts(), it runs as owner only for an import the caller can see and tells only
 *   the row, never where the household is registered.
 * - One waiting or running data-quality run per region and year, as a unique index: two simultaneous starts
 *   cannot both queue a run (the second finds the first).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create or replace function import_household_conflicts(p_import bigint)
returns table (row_no integer, household_no text)
language sql stable security definer set search_path = public, pg_temp as $$
  select s.row_no, s.household_no
    from import_households s
    join households h on h.county_code = s.county_code and h.household_no = s.household_no
   where s.import_id = p_import
     and exists (select 1 from imports i where i.id = p_import and tuopin_visible(i.region_code))
     and not tuopin_visible(h.village_code)
$$;
revoke all on function import_household_conflicts(bigint) from public;
grant execute on function import_household_conflicts(bigint) to tuopin_app;

-- Runs queued twice by a race before this index: all but the newest of a region and year fail.
update quality_runs q set status = 'failed', message = '与同时启动的另一次检查重复', finished_at = now()
 where status in ('queued', 'running')
   and exists (select 1 from quality_runs o where o.region_code = q.region_code and o.year = q.year
                 and o.status in ('queued', 'running') and o.id > q.id);
create unique index quality_runs_one_active_idx on quality_runs (region_code, year) where status in ('queued', 'running');
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
