import { sql, type Kysely } from 'kysely';

/**
 * One record per background run (issue 11, item 3): imports' validations and commits, data-quality runs and
 * warning runs — and every kind built later (department batches, monthly freezes) — keep their generic state here:
 * kind, region, status, progress, message, who started it, timings, attempts, the error, and the server process
 * executing it (`worker`, the process's presence is a connection with application_name `tuopin-runs:<worker>`).
 * The kind's own record (`imports`, `quality_runs`, `rule_runs`) keeps its kind-specific data and is `subject_id`.
 *
 * County code first in the primary key, as every business table: the county of the run's region, or the region's
 * own first six digits above a county (`000000` for a national run, `210000` for Liaoning). Row-level security as
 * `rule_runs` (readable in the region and from below it, written inside the scope); audited on creation and on
 * every change of status (not on progress and heartbeats, which change every few seconds).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table runs (
  county_code     text not null,
  id              bigint generated always as identity,
  region_code     text not null references regions(code),
  kind            text not null,
  subject_id      bigint,
  payload         jsonb not null default '{}',
  status          text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress        real not null default 0 check (progress >= 0 and progress <= 1),
  progress_done   bigint,
  progress_total  bigint,
  message_code    text,
  message_params  jsonb not null default '{}',
  message         text,
  created_by      bigint references users(id),
  created_by_name text not null,
  created_at      timestamptz not null default now(),
  started_at      timestamptz,
  heartbeat_at    timestamptz,
  finished_at     timestamptz,
  attempt         integer not null default 0,
  error           text,
  worker          text,
  primary key (county_code, id),
  unique (id),
  check (county_code = left(region_code, 6))
);
create index runs_subject_idx on runs (kind, subject_id, id desc);
create index runs_active_idx on runs (status, id) where status in ('queued', 'running');
create index runs_region_idx on runs (region_code text_pattern_ops, id desc);

alter table runs enable row level security;
create policy runs_read on runs for select to tuopin_app
  using (tuopin_visible(region_code) or tuopin_chain_visible(tuopin_code_prefix(region_code)));
create policy runs_insert on runs for insert to tuopin_app with check (tuopin_visible(region_code));
create policy runs_update on runs for update to tuopin_app using (tuopin_visible(region_code)) with check (tuopin_visible(region_code));
grant select, insert, update on runs to tuopin_app;

create trigger runs_audit after insert or delete on runs
  for each row when (current_setting('tuopin.bulk', true) is distinct from 'on') execute function audit_row('region_code', 'id');
create trigger runs_audit_status after update on runs
  for each row when (old.status is distinct from new.status and current_setting('tuopin.bulk', true) is distinct from 'on')
  execute function audit_row('region_code', 'id');
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
