import { sql, type Kysely } from 'kysely';

/**
 * Policy settings by region and year (packages/domain/src/policy/settings.ts). A value is never updated in
 * place: a change retires the current row and inserts a new one, so the history of every setting stays and
 * every evaluation can name the row it used. Values are readable along the reader's chain (a county officer
 * sees the province's lines) and in the reader's subtree; they are written only inside the writer's scope.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table policy_values (
  id            bigint generated always as identity primary key,
  region_code   text not null references regions(code),
  region_prefix text not null,
  region_name   text not null,
  year          smallint not null check (year between 2013 and 2100),
  key           text not null check (key ~ '^[a-zA-Z]{1,60}$'),
  value         numeric not null,
  note          text,
  set_by        bigint references users(id),
  set_by_name   text,
  set_at        timestamptz not null default now(),
  retired_at    timestamptz,
  retired_by_name text,
  retire_note   text,
  check (region_code like region_prefix || '%')
);
create unique index policy_values_current_uq on policy_values (region_code, year, key) where retired_at is null;
create index policy_values_prefix_idx on policy_values (region_prefix text_pattern_ops, year) where retired_at is null;

-- Visible: values set in the reader's subtree, and values set on the reader's chain above (inherited settings).
create or replace function tuopin_chain_visible(prefix text) returns boolean
language sql stable parallel safe as $$
  select coalesce(current_setting('tuopin.scope', true), '') <> ''
     and (current_setting('tuopin.scope', true) = 'ALL' or starts_with(current_setting('tuopin.scope', true), prefix))
$$;

alter table policy_values enable row level security;
create policy policy_values_read on policy_values for select to tuopin_app
  using (tuopin_visible(region_code) or tuopin_chain_visible(region_prefix));
create policy policy_values_insert on policy_values for insert to tuopin_app with check (tuopin_visible(region_code));
create policy policy_values_update on policy_values for update to tuopin_app
  using (tuopin_visible(region_code)) with check (tuopin_visible(region_code));
grant select, insert on policy_values to tuopin_app;
grant update (retired_at, retired_by_name, retire_note) on policy_values to tuopin_app;

create trigger policy_values_audit after insert or update or delete on policy_values
  for each row when (current_setting('tuopin.bulk', true) is distinct from 'on') execute function audit_row('region_code', 'id');
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
