import { sql, type Kysely } from 'kysely';

/**
 * Warning rules (预警规则) in CEL and their runs. A rule is never edited in place: saving a changed expression
 * (or severity, risk type) adds a version, and a clue names the rule id and version that raised it, so every
 * decision can be traced to the exact expression. Rules are national (set by system administrators); the
 * thresholds they use are policy settings, overridable per province, city and county.
 * A run evaluates every active rule over a region's households for a year and period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table rules (
  id          text primary key check (id ~ '^[a-z][a-z0-9_]{2,60}$'),
  name        text not null check (length(name) between 1 and 100),
  name_en     text,
  description text,
  severity    text not null check (severity in ('high', 'medium', 'low')),
  risk_type   text not null,
  channel     text not null default 'platform' check (channel = 'platform'),
  expression  text not null,
  version     integer not null default 1,
  active      boolean not null default true,
  -- rules are national; the column gives the audit log its region
  region_code text not null default '000000000000' check (region_code = '000000000000'),
  builtin     boolean not null default false,
  updated_by_name text,
  updated_at  timestamptz not null default now()
);

create table rule_versions (
  rule_id     text not null references rules(id),
  version     integer not null,
  name        text not null,
  severity    text not null,
  risk_type   text not null,
  expression  text not null,
  note        text,
  created_by_name text,
  created_at  timestamptz not null default now(),
  primary key (rule_id, version)
);

create table rule_runs (
  id            bigint generated always as identity primary key,
  region_code   text not null references regions(code),
  year          smallint not null,
  period        text not null check (period ~ '^\\d{4}-\\d{2}$'),
  status        text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  progress      real not null default 0,
  message       text,
  results       jsonb,
  households    integer,
  created_by    bigint references users(id),
  created_by_name text,
  created_at    timestamptz not null default now(),
  started_at    timestamptz,
  finished_at   timestamptz
);
create index rule_runs_region_idx on rule_runs (region_code text_pattern_ops, id desc);

grant select on rules, rule_versions to tuopin_app;
grant insert, update on rules to tuopin_app;
grant insert on rule_versions to tuopin_app;
alter table rule_runs enable row level security;
create policy rule_runs_scope on rule_runs to tuopin_app using (tuopin_visible(region_code)) with check (tuopin_visible(region_code));
grant select, insert, update on rule_runs to tuopin_app;

create trigger rules_audit after insert or update or delete on rules
  for each row when (current_setting('tuopin.bulk', true) is distinct from 'on') execute function audit_row('region_code', 'id');
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
