import { sql, type Kysely } from 'kysely';

/**
 * Row-level security for the import's staging tables and its problems (issue 10, item 14). They hold a whole
 * uploaded file — full ID numbers, names, phones — and had no policy, so any request role could read the staging
 * rows of every region's imports.
 *
 * The policy follows the import the rows belong to (`imports`, scoped by its region), not the rows' own village
 * code: a staged row may carry a village code outside the uploader's region (validation reports it as a problem),
 * and members and income of households already registered get their village code only after the COPY. The
 * `import_id in (select …)` form is planned as one hashed set per statement, so a COPY of a million rows checks
 * each row by a hash probe rather than a query.
 *
 * Audit: none of these tables gets the row trigger. They are scratch copies of a file, emptied after the commit,
 * and the commit writes one audit row for the whole import; a row trigger would copy every ID number of every
 * uploaded file into the append-only log.
 *
 * Also `login_failures` (item 20): failed logins of user names that are not accounts, counted and locked exactly
 * like an account's (users.failed_attempts / locked_until), so that the answers to an unknown name — the lock-out
 * warning included — are the same as to a known one. Keyed by the normalised name; used by the authentication
 * service as owner only (the request role has no access); names without a failure for 30 days are removed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
do $$
declare t text;
begin
  foreach t in array array['import_households', 'import_statuses', 'import_members', 'import_income', 'import_problems'] loop
    execute format('alter table %I enable row level security', t);
    execute format(
      'create policy %I on %I to tuopin_app
         using (import_id in (select i.id from imports i where tuopin_visible(i.region_code)))
         with check (import_id in (select i.id from imports i where tuopin_visible(i.region_code)))', t || '_scope', t);
  end loop;
end $$;

create table login_failures (
  name            text primary key,
  failed_attempts integer not null default 0,
  locked_until    timestamptz,
  last_failed_at  timestamptz not null default now()
);
create index login_failures_last_idx on login_failures (last_failed_at);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
