import { sql, type Kysely } from 'kysely';

/**
 * ANALYZE for the application role. Bulk work (the import's staging tables, the registry tables an import has
 * just filled) needs fresh planner statistics inside its transaction, but tuopin_app does not own the tables, and
 * PostgreSQL then skips ANALYZE with only a warning — the import's joins were planned on stale statistics. The
 * function runs as the owner, for the registry and staging tables only; it reads no data for the caller.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create or replace function tuopin_analyze(tbl text, cols text[] default null) returns void
       language plpgsql security definer set search_path = public, pg_temp as $$
       begin
         if tbl not in ('households', 'members', 'persons', 'income_records', 'household_year_status', 'member_moves', 'clues',
                        'import_households', 'import_members', 'import_income', 'import_statuses') then
           raise exception 'tuopin_analyze: % is not a registry or staging table', tbl;
         end if;
         if cols is null or cardinality(cols) = 0 then
           execute format('analyze public.%I', tbl);
         else
           execute format('analyze public.%I (%s)', tbl, (select string_agg(format('%I', c), ', ') from unnest(cols) c));
         end if;
       end $$;
       revoke all on function tuopin_analyze(text, text[]) from public;
       grant execute on function tuopin_analyze(text, text[]) to tuopin_app;`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
