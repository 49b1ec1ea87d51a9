import { sql, type Kysely } from 'kysely';

/**
 * Registry imports: one row per uploaded file (or CSV bundle), its problems, and unlogged staging tables with
 * the target tables' columns, filled by COPY, checked in SQL and merged in one transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table imports (
  id            bigint generated always as identity primary key,
  region_code   text not null references regions(code),
  created_by    bigint references users(id),
  created_by_name text,
  created_at    timestamptz not null default now(),
  file_names    text[] not null,
  file_sha256   text not null,
  file_bytes    bigint not null,
  status        text not null default 'queued'
                check (status in ('queued', 'validating', 'validated', 'invalid', 'committing', 'committed', 'failed')),
  progress      real not null default 0,
  message       text,
  counts        jsonb not null default '{}',
  error_count   integer not null default 0,
  warning_count integer not null default 0,
  committed_at  timestamptz
);
create index imports_region_idx on imports (region_code text_pattern_ops, id desc);
alter table imports enable row level security;
create policy imports_scope on imports to tuopin_app using (tuopin_visible(region_code)) with check (tuopin_visible(region_code));
grant select, insert, update on imports to tuopin_app;

create table import_problems (
  import_id   bigint not null references imports(id) on delete cascade,
  seq         integer not null,
  sheet       text not null,
  row_no      integer,
  column_name text,
  severity    text not null check (severity in ('error', 'warning')),
  message     text not null,
  primary key (import_id, seq)
);
grant select, insert, delete on import_problems to tuopin_app;

create unlogged table import_households (like households including defaults);
alter table import_households drop column id, drop column created_at, drop column updated_at,
  add column import_id bigint not null, add column row_no integer not null,
  -- the status columns of the sheet (户状态 of 年度), copied into import_statuses after the COPY
  add column year smallint not null, add column status text not null, add column monitored boolean not null default false,
  add column monitored_type text, add column risk_types text[] not null default '{}';
create index on import_households (import_id, county_code, household_no);

create unlogged table import_statuses (like household_year_status including defaults);
alter table import_statuses drop column household_id, drop column updated_at,
  add column household_no text not null, add column import_id bigint not null, add column row_no integer not null;

create unlogged table import_members (like members including defaults);
alter table import_members drop column id, drop column household_id, drop column active, drop column left_on, drop column left_reason,
  drop column created_at, drop column updated_at,
  add column household_no text not null, add column import_id bigint not null, add column row_no integer not null,
  alter column county_code drop not null, alter column village_code drop not null;
create index on import_members (import_id, id_number);
create index on import_members (import_id, household_no);

create unlogged table import_income (like income_records including defaults);
alter table import_income drop column household_id, drop column updated_at,
  add column household_no text not null, add column import_id bigint not null, add column row_no integer not null,
  alter column county_code drop not null, alter column village_code drop not null;
create index on import_income (import_id, household_no, year);
create index on import_statuses (import_id, household_no);

grant select, insert, update, delete on import_households, import_statuses, import_members, import_income to tuopin_app;

-- ID numbers of an import that the registry already holds in a household this import does not write.
-- Runs as owner (persons of other regions are invisible to the caller) but only for an import the caller can see,
-- and reveals only the row, not where the person is registered.
create or replace function import_id_conflicts(p_import bigint)
returns table (row_no integer, id_number text)
language sql stable security definer set search_path = public, pg_temp as $$
  select m.row_no, m.id_number
    from import_members m
    join persons p on p.id_number = m.id_number
    join households h on h.county_code = p.county_code and h.id = p.household_id
   where m.import_id = p_import
     and exists (select 1 from imports i where i.id = p_import and tuopin_visible(i.region_code))
     and not (h.county_code = m.county_code and h.household_no = m.household_no)
$$;
revoke all on function import_id_conflicts(bigint) from public;
grant execute on function import_id_conflicts(bigint) to tuopin_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
