import { sql, type Kysely } from 'kysely';

/**
 * Monitoring (防返贫监测): clues from the five channels, the signed identification and risk-elimination procedures,
 * and the monitoring records (one per episode: identified … eliminated) of a household.
 *
 * Distribution: county code first in every primary key and in the foreign keys to households, as the registry.
 * Scoping: the village code and the registry's row-level-security policy. Audit: the row trigger with the bulk
 * WHEN clause (a warning run inserting many platform clues sets tuopin.bulk and records one audit row).
 *
 * Reproducibility: a clue keeps the facts that raised it, the policy values with the ids of the stored setting
 * rows used (sources) and, for platform clues, the rule id and version. A procedure keeps the facts at its start,
 * a snapshot at every signed step, and the policy values and sources it runs on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table clues (
  county_code     text not null,
  id              bigint generated always as identity,
  household_id    bigint not null,
  village_code    text not null,
  channel         text not null check (channel in ('application', 'cadre', 'department', 'supervision', 'platform')),
  -- platform clues (warning run): the rule and its version, the period evaluated (e.g. '2026' or '2026-11')
  rule_id         text,
  rule_version    integer,
  period          text,
  summary         text not null check (length(summary) between 1 and 2000),
  facts           jsonb not null default '{}',
  policy          jsonb not null default '{}',
  -- the clue's date: the application date for 农户自主申报, the date found for the other channels
  found_on        date not null,
  applied_on      date,
  accept_due_on   date,
  source_note     text,
  status          text not null default 'open' check (status in ('open', 'assigned', 'verifying', 'identified', 'rejected', 'dismissed')),
  dismiss_reason  text,
  assignee_id     bigint references users(id),
  assignee_name   text,
  assigned_at     timestamptz,
  procedure_id    bigint,
  created_by      bigint references users(id),
  created_by_name text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, household_id) references households (county_code, id),
  check (county_code = left(village_code, 6)),
  check (channel <> 'platform' or (rule_id is not null and rule_version is not null and period is not null)),
  check (channel <> 'application' or (applied_on is not null and accept_due_on is not null)),
  check (status <> 'dismissed' or dismiss_reason is not null)
);
-- The warning run's dedup key: insert … on conflict (county_code, household_id, rule_id, period) where rule_id is not null do nothing
create unique index clues_rule_period_uq on clues (county_code, household_id, rule_id, period) where rule_id is not null;
create index clues_inbox_idx on clues (village_code text_pattern_ops, id desc);
create index clues_household_idx on clues (county_code, household_id);

create table procedures (
  county_code     text not null,
  id              bigint generated always as identity,
  household_id    bigint not null,
  village_code    text not null,
  kind            text not null check (kind in ('identification', 'elimination')),
  status          text not null check (status in ('active', 'completed', 'rejected', 'withdrawn')),
  -- the domain's ProcedureState (packages/domain/src/monitoring/procedure.ts), the source of truth
  state           jsonb not null,
  -- denormalised from the state and its clock for inbox and overdue queries
  step            text,
  started_on      date not null,
  step_since      date not null,
  due_on          date not null,
  step_due_on     date,
  year            smallint not null,
  clue_id         bigint,
  facts_start     jsonb not null,
  snapshots       jsonb not null default '[]',
  policy          jsonb not null,
  outcome         jsonb,
  quick           boolean not null default false,
  created_by      bigint references users(id),
  created_by_name text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, household_id) references households (county_code, id),
  check (county_code = left(village_code, 6))
);
create unique index procedures_one_active_uq on procedures (county_code, household_id, kind) where status = 'active';
create index procedures_village_idx on procedures (village_code text_pattern_ops, id desc);
create index procedures_active_due_idx on procedures (due_on, step_due_on) where status = 'active';

create table monitoring_records (
  county_code       text not null,
  id                bigint generated always as identity,
  household_id      bigint not null,
  village_code      text not null,
  identified_on     date not null,
  monitored_type    text not null check (monitored_type in ('unstable_exited', 'marginal', 'sudden_hardship')),
  risk_types        text[] not null check (cardinality(risk_types) between 1 and 5),
  identification_id bigint not null,
  eliminated_on     date,
  elimination_type  text check (elimination_type in ('assisted', 'natural')),
  elimination_id    bigint,
  quick_elimination boolean not null default false,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, household_id) references households (county_code, id),
  foreign key (county_code, identification_id) references procedures (county_code, id),
  check ((eliminated_on is null) = (elimination_type is null))
);
-- at most one open episode per household
create unique index monitoring_records_open_uq on monitoring_records (county_code, household_id) where eliminated_on is null;

do $$
declare t text;
begin
  foreach t in array array['clues', 'procedures', 'monitoring_records'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy %I on %I to tuopin_app using (tuopin_visible(village_code)) with check (tuopin_visible(village_code))', t || '_scope', t);
    execute format('grant select, insert, update on %I to tuopin_app', t);
    execute format('create trigger %I after insert or update or delete on %I
      for each row when (current_setting(''tuopin.bulk'', true) is distinct from ''on'') execute function audit_row(''village_code'', ''id'')', t || '_audit', t);
  end loop;
end $$;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
