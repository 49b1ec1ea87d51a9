import { sql, type Kysely } from 'kysely';

/**
 * Data quality: runs of every check over a region and year, and what each run found.
 *
 * - `quality_runs`: one row per run (like `imports`): region, year, reference date, status and progress of the
 *   background job, the totals when done. Scoped by its region.
 * - `quality_findings`: one row per finding, kept per run; county code first in the primary key and the village
 *   code for row-level security, as the registry tables, so they distribute and co-locate by county with Citus.
 * - `quality_run_villages`: per village of a run, the households checked and the households with errors and
 *   warnings, so that counts per child region (at any level) are sums, and households without findings count.
 *
 * Findings are not audited: they are derived data, reproducible by running the checks again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table quality_runs (
  id              bigint generated always as identity primary key,
  region_code     text not null references regions(code),
  region_prefix   text not null,
  year            smallint not null,
  reference_date  date not null,
  status          text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  progress        real not null default 0,
  message         text,
  totals          jsonb,
  created_by      bigint references users(id),
  created_by_name text not null,
  created_at      timestamptz not null default now(),
  started_at      timestamptz,
  finished_at     timestamptz,
  check (region_code like region_prefix || '%')
);
create index quality_runs_region_idx on quality_runs (region_code, year, id desc);
create index quality_runs_prefix_idx on quality_runs (year, status, id desc);

create table quality_findings (
  county_code   text not null,
  run_id        bigint not null references quality_runs(id) on delete cascade,
  household_id  bigint not null,
  seq           smallint not null,
  village_code  text not null,
  member_id     bigint,
  check_id      text not null,
  severity      text not null check (severity in ('error', 'warning')),
  field         text not null,
  message       text not null,
  primary key (county_code, run_id, household_id, seq)
);
create index quality_findings_run_idx on quality_findings (run_id, village_code text_pattern_ops, household_id);
create index quality_findings_check_idx on quality_findings (run_id, check_id, severity);

create table quality_run_villages (
  county_code   text not null,
  run_id        bigint not null references quality_runs(id) on delete cascade,
  village_code  text not null,
  households    integer not null,
  with_errors   integer not null,
  with_warnings integer not null,
  errors        integer not null,
  warnings      integer not null,
  primary key (county_code, run_id, village_code)
);
create index quality_run_villages_run_idx on quality_run_villages (run_id, village_code text_pattern_ops);

alter table quality_runs enable row level security;
create policy quality_runs_scope on quality_runs to tuopin_app
  using (tuopin_visible(region_code)) with check (tuopin_visible(region_code));
grant select, insert, update, delete on quality_runs to tuopin_app;

do $$
declare t text;
begin
  foreach t in array array['quality_findings', 'quality_run_villages'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy %I on %I to tuopin_app using (tuopin_visible(village_code)) with check (tuopin_visible(village_code))', t || '_scope', t);
    execute format('grant select, insert, delete on %I to tuopin_app', t);
  end loop;
end $$;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
