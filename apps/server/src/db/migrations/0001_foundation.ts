import { sql, type Kysely } from 'kysely';

/**
 * Foundation: the application role, row-level security driven by per-transaction settings,
 * regions, users, sessions and the append-only, hash-chained audit log.
 *
 * Scoping: every table with business data has a region column and a policy
 * `tuopin_visible(region_column)` for the role `tuopin_app`. Requests run as that role inside
 * a transaction that sets `tuopin.scope` (see src/db/database.ts, `Database.scoped`).
 * A transaction without the setting sees nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create extension if not exists pg_trgm;

do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'tuopin_app') then
    create role tuopin_app nologin;
  end if;
end $$;
grant tuopin_app to current_user;
grant usage on schema public to tuopin_app;

-- The one scoping predicate. 'ALL' = nation; a prefix = that region and below; unset/empty = nothing.
create or replace function tuopin_visible(code text) returns boolean
language sql stable parallel safe as $$
  select case
    when current_setting('tuopin.scope', true) = 'ALL' then true
    when coalesce(current_setting('tuopin.scope', true), '') = '' then false
    else coalesce(starts_with(code, current_setting('tuopin.scope', true)), false)
  end
$$;

create table regions (
  code        text primary key check (code ~ '^\\d{12}$'),
  parent_code text references regions(code),
  level       smallint not null check (level between 0 and 5),
  name        text not null,
  full_name   text not null,
  child_count integer not null default 0
);
create index regions_parent_idx on regions (parent_code, code);
create index regions_name_trgm_idx on regions using gin (name gin_trgm_ops);
create index regions_code_pattern_idx on regions (code text_pattern_ops);
alter table regions enable row level security;
create policy regions_scope on regions for select to tuopin_app using (tuopin_visible(code));
grant select on regions to tuopin_app;
insert into regions (code, parent_code, level, name, full_name) values ('000000000000', null, 0, '全国', '全国');

create table users (
  id                   bigint generated always as identity primary key,
  username             text not null,
  display_name         text not null,
  role                 text not null check (role in ('system_admin','county_admin','township_officer','village_officer','helper','department_officer','inspector')),
  region_code          text not null references regions(code),
  phone                text,
  password_hash        text not null,
  status               text not null default 'active' check (status in ('active','disabled')),
  must_change_password boolean not null default false,
  failed_attempts      integer not null default 0,
  locked_until         timestamptz,
  last_login_at        timestamptz,
  password_changed_at  timestamptz not null default now(),
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
create unique index users_username_uq on users (lower(username));
create index users_region_idx on users (region_code text_pattern_ops);
alter table users enable row level security;
create policy users_scope on users to tuopin_app
  using (tuopin_visible(region_code)) with check (tuopin_visible(region_code));
grant select, insert, update on users to tuopin_app;

create table sessions (
  id           text primary key,
  user_id      bigint not null references users(id),
  csrf_token   text not null,
  ip           text,
  user_agent   text,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
-- sessions are handled by the authentication service only; the request role has no access.

-- ---------------------------------------------------------------- audit
create table audit_log (
  id          bigint primary key,
  at          timestamptz not null,
  actor_id    bigint,
  actor_name  text,
  ip          text,
  action      text not null,
  entity      text not null,
  entity_id   text,
  region_code text,
  before      jsonb,
  after       jsonb,
  reason      text,
  prev_hash   text not null,
  hash        text not null
);
create sequence audit_log_id_seq as bigint owned by audit_log.id;
create index audit_entity_idx on audit_log (entity, entity_id, id desc);
create index audit_region_idx on audit_log (region_code text_pattern_ops, id desc);
alter table audit_log enable row level security;
create policy audit_scope on audit_log for select to tuopin_app using (tuopin_visible(coalesce(region_code, '000000000000')));
revoke all on audit_log from public;
grant select on audit_log to tuopin_app;

-- The text that is hashed for a row. Used by audit_append and by \`npm run audit:verify\`.
create or replace function audit_canonical(a audit_log) returns text
language sql stable as $$
  select concat_ws('|',
    a.id::text,
    to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(a.actor_id::text, ''), coalesce(a.actor_name, ''), coalesce(a.ip, ''),
    a.action, a.entity, coalesce(a.entity_id, ''), coalesce(a.region_code, ''),
    coalesce(a.before::text, ''), coalesce(a.after::text, ''), coalesce(a.reason, ''),
    a.prev_hash)
$$;

-- Appends one audit row; actor, address and reason come from the transaction settings
-- written by Database.scoped / Database.system. Serialised by an advisory lock so the chain is linear.
create or replace function audit_append(p_action text, p_entity text, p_entity_id text, p_region text,
                                        p_before jsonb, p_after jsonb, p_reason text default null)
returns bigint language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r audit_log;
begin
  perform pg_advisory_xact_lock(7361001);
  select hash into r.prev_hash from audit_log order by id desc limit 1;
  r.prev_hash  := coalesce(r.prev_hash, repeat('0', 64));
  r.id         := nextval('audit_log_id_seq');
  r.at         := clock_timestamp();
  r.actor_id   := nullif(current_setting('tuopin.actor_id', true), '')::bigint;
  r.actor_name := nullif(current_setting('tuopin.actor_name', true), '');
  r.ip         := nullif(current_setting('tuopin.ip', true), '');
  r.action     := p_action;
  r.entity     := p_entity;
  r.entity_id  := p_entity_id;
  r.region_code := p_region;
  r.before     := p_before;
  r.after      := p_after;
  r.reason     := coalesce(p_reason, nullif(current_setting('tuopin.reason', true), ''));
  r.hash       := encode(sha256(convert_to(audit_canonical(r), 'UTF8')), 'hex');
  insert into audit_log values (r.*);
  return r.id;
end $$;
revoke all on function audit_append(text, text, text, text, jsonb, jsonb, text) from public;
grant execute on function audit_append(text, text, text, text, jsonb, jsonb, text) to tuopin_app;

create or replace function audit_log_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end $$;
create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_immutable();
create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_immutable();

-- Generic row trigger: records inserts, updates (changed fields only) and deletes of an audited table.
-- Arguments: region column, id column, then columns whose values are never written (shown as "***").
create or replace function audit_row() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
declare
  region_col text := TG_ARGV[0];
  id_col     text := TG_ARGV[1];
  ignored    text[] := array['updated_at', 'last_login_at', 'failed_attempts'];
  redacted   text[] := coalesce(TG_ARGV[2:], array[]::text[]);
  o jsonb; n jsonb; b jsonb := '{}'; a jsonb := '{}'; k text;
begin
  if TG_OP in ('UPDATE', 'DELETE') then o := to_jsonb(OLD); end if;
  if TG_OP in ('UPDATE', 'INSERT') then n := to_jsonb(NEW); end if;
  if TG_OP = 'UPDATE' then
    for k in select key from jsonb_each(n) loop
      if k = any(ignored) then continue; end if;
      if (o -> k) is distinct from (n -> k) then
        b := b || jsonb_build_object(k, case when k = any(redacted) then '"***"'::jsonb else o -> k end);
        a := a || jsonb_build_object(k, case when k = any(redacted) then '"***"'::jsonb else n -> k end);
      end if;
    end loop;
    if a = '{}'::jsonb then return null; end if;
  elsif TG_OP = 'INSERT' then
    a := n - ignored - redacted; b := null;
  else
    b := o - ignored - redacted; a := null;
  end if;
  perform audit_append(lower(TG_OP), TG_TABLE_NAME, coalesce(n, o) ->> id_col, coalesce(n, o) ->> region_col, b, a);
  return null;
end $$;

create trigger users_audit after insert or update or delete on users
  for each row execute function audit_row('region_code', 'id', 'password_hash');
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
