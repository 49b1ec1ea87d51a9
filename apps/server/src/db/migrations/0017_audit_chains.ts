import { sql, type Kysely } from 'kysely';

/**
 * Audit without a global lock (issue 11, item 4).
 *
 * One hash chain per county instead of one for the whole database. `audit_log.chain` is the county code (the first
 * six digits of the row's region code, when that is a county or below) or '000000' for national and system events
 * (no region, a province or a city). `audit_append` locks only the chain it appends to
 * (`pg_advisory_xact_lock(7361001, <chain as integer>)`, held until commit, as before), so an import commit in one
 * county no longer makes every audited transaction of the country wait.
 *
 * Existing rows: they keep their hashes and their order and form the frozen chain 'legacy' (its canonical text is
 * the one they were hashed with; recomputing them would also have blessed any tampering done before the upgrade).
 * Nothing is appended to 'legacy' after this migration. The first row of every new chain links to the last legacy
 * row (its prev_hash is that row's hash; all zeros on a database without legacy rows), so cutting the legacy
 * chain's tail is still found. A new chain row's canonical text ends with its chain.
 *
 * Bulk mode: one summary row instead of row triggers. It is entered only through `audit_bulk_begin(...)`, a security
 * definer function that records the summary row and sets the flag in the same step (the row is appended to its chain
 * by a deferred trigger at commit, so a long import holds its county's chain lock only while it commits). The flag `tuopin.bulk` alone is
 * not trusted any more (any session may set a custom setting): the row triggers skip a row only when the flag is on
 * AND this session's `currval('audit_bulk_xact')` is the id of the current transaction. Only the function (owner)
 * may `setval` that sequence; the application role has SELECT on it (which allows currval, not nextval or setval).
 * Transaction ids are never reused, so a value left in a pooled session by an earlier bulk transaction does not
 * count. A statement-level guard trigger on every audited table clears a flag that is on without that proof before
 * the statement's rows are written, so a forged `set_config('tuopin.bulk', 'on', true)` still gets row audit rows.
 * `audit_secure_triggers()` rewrites every audit trigger still written the old way (idempotent; run by this migration
 * and after every migration by Database.migrate, so a later migration cannot bring the forgeable form back).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Existing rows form the chain 'legacy' (a fast default: no rewrite, no row update).
alter table audit_log add column chain text not null default 'legacy';
alter table audit_log alter column chain drop default;
create index audit_chain_idx on audit_log (chain, id);

-- The chain of a region code: its county, or '000000' (national and system events).
create or replace function audit_chain_of(p_region text) returns text
language sql immutable parallel safe as $$
  select case when p_region ~ '^[0-9]{6}' and substr(p_region, 5, 2) <> '00' then left(p_region, 6) else '000000' end
$$;

-- The text that is hashed for a row. Used by audit_append and by \`npm run audit:verify\`.
-- Legacy rows keep the text they were hashed with; chained rows end with their chain.
create or replace function audit_canonical(a audit_log) returns text
language sql stable as $$
  select concat_ws('|',
    a.id::text,
    to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(a.actor_id::text, ''), coalesce(a.actor_name, ''), coalesce(a.ip, ''),
    a.action, a.entity, coalesce(a.entity_id, ''), coalesce(a.region_code, ''),
    coalesce(a.before::text, ''), coalesce(a.after::text, ''), coalesce(a.reason, ''),
    a.prev_hash) || case when a.chain = 'legacy' then '' else '|' || a.chain end
$$;

-- Where every new chain starts: the hash of the last legacy row, or all zeros.
create or replace function audit_genesis() returns text
language sql stable security definer set search_path = public, pg_temp as $$
  select coalesce((select hash from audit_log where chain = 'legacy' order by id desc limit 1), repeat('0', 64))
$$;
revoke all on function audit_genesis() from public;

-- Appends one audit row to the chain of its region; actor, address and reason come from the transaction settings
-- written by Database.scoped / Database.system. Serialised per chain by an advisory lock held until commit.
create or replace function audit_append(p_action text, p_entity text, p_entity_id text, p_region text,
                                        p_before jsonb, p_after jsonb, p_reason text default null)
returns bigint language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r audit_log;
begin
  r.chain := audit_chain_of(p_region);
  perform pg_advisory_xact_lock(7361001, r.chain::int);
  select hash into r.prev_hash from audit_log where chain = r.chain order by id desc limit 1;
  r.prev_hash  := coalesce(r.prev_hash, audit_genesis());
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

-- Proof of bulk mode: this session's currval is the id of the transaction that entered it.
create sequence audit_bulk_xact as bigint minvalue 0 start 0;
revoke all on sequence audit_bulk_xact from public;
grant select on sequence audit_bulk_xact to tuopin_app;

-- The summary row of a bulk transaction, appended to its chain at commit (a deferred constraint trigger), so that
-- the chain's lock is taken for the last moment of the transaction only, not for the whole bulk operation.
create table audit_bulk_pending (
  xact      xid8 not null,
  action    text not null,
  entity    text not null,
  entity_id text,
  region    text,
  summary   jsonb,
  reason    text
);
revoke all on audit_bulk_pending from public;

create or replace function audit_bulk_append() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  perform audit_append(NEW.action, NEW.entity, NEW.entity_id, NEW.region, null, NEW.summary, NEW.reason);
  delete from audit_bulk_pending where xact = NEW.xact;
  return null;
end $$;
create constraint trigger audit_bulk_pending_append after insert on audit_bulk_pending
  deferrable initially deferred for each row execute function audit_bulk_append();

-- The only way into bulk mode: records the summary row (appended at commit, in the same transaction, so it is
-- there exactly when the bulk rows are) and sets the flag, in one step. Once per transaction.
create or replace function audit_bulk_begin(p_action text, p_entity text, p_entity_id text, p_region text,
                                            p_summary jsonb, p_reason text default null)
returns void language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if exists (select 1 from audit_bulk_pending where xact = pg_current_xact_id()) then
    raise exception 'this transaction is in bulk mode already' using errcode = '55000';
  end if;
  insert into audit_bulk_pending values (pg_current_xact_id(), p_action, p_entity, p_entity_id, p_region, p_summary, p_reason);
  perform setval('audit_bulk_xact', pg_current_xact_id()::text::bigint, true);
  perform set_config('tuopin.bulk', 'on', true);
end $$;
revoke all on function audit_bulk_begin(text, text, text, text, jsonb, text) from public;
grant execute on function audit_bulk_begin(text, text, text, text, jsonb, text) to tuopin_app;

-- Whether a row is to be audited: not in bulk mode, or in a bulk mode this transaction did not enter through
-- audit_bulk_begin. Plain SQL (inlined into the triggers' WHEN clause: no function call per bulk row).
create or replace function audit_row_wanted() returns boolean
language sql volatile as $$
  select case when current_setting('tuopin.bulk', true) is distinct from 'on' then true
              else currval('audit_bulk_xact') is distinct from pg_current_xact_id()::text::bigint end
$$;

-- Statement guard: a flag that is on without the proof is cleared before the statement writes its rows.
create or replace function audit_bulk_guard() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  ok boolean;
begin
  begin
    ok := currval('audit_bulk_xact') = pg_current_xact_id()::text::bigint;
  exception when object_not_in_prerequisite_state then
    ok := false;
  end;
  if not ok then
    raise warning 'tuopin.bulk was set without audit_bulk_begin(): ignored, rows are audited';
    perform set_config('tuopin.bulk', '', true);
  end if;
  return null;
end $$;

-- Row triggers: the flag alone no longer skips them.
create or replace function audit_row() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
declare
  region_col text := TG_ARGV[0];
  id_col     text := TG_ARGV[1];
  ignored    text[] := array['updated_at', 'last_login_at', 'failed_attempts'];
  redacted   text[] := coalesce(TG_ARGV[2:], array[]::text[]);
  o jsonb; n jsonb; b jsonb := '{}'; a jsonb := '{}'; k text;
begin
  if not audit_row_wanted() then return null; end if;
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

-- Rewrites every audit_row trigger whose WHEN clause trusts the flag alone, and gives every table with such a
-- trigger the statement guard. Idempotent; returns the number of triggers rewritten.
create or replace function audit_secure_triggers() returns integer
language plpgsql set search_path = public, pg_temp as $$
declare
  t record; def text; n integer := 0;
begin
  for t in
    select tg.oid, tg.tgname, tg.tgrelid::regclass as rel, pg_get_triggerdef(tg.oid) as def
      from pg_trigger tg
     where tg.tgfoid = 'audit_row'::regproc and not tg.tgisinternal
       and pg_get_triggerdef(tg.oid) ~ 'tuopin\\.bulk'
  loop
    def := regexp_replace(t.def,
      '\\(?current_setting\\(''tuopin\\.bulk''(::text)?, true\\) IS DISTINCT FROM ''on''(::text)?\\)?', 'audit_row_wanted()', 'g');
    if def ~ 'tuopin\\.bulk' then
      raise exception 'audit trigger % on % trusts tuopin.bulk in a form not understood: %', t.tgname, t.rel, t.def;
    end if;
    execute format('drop trigger %I on %s', t.tgname, t.rel);
    execute def;
    n := n + 1;
  end loop;
  for t in
    select distinct tg.tgrelid::regclass as rel, c.relname
      from pg_trigger tg join pg_class c on c.oid = tg.tgrelid
     where tg.tgfoid = 'audit_row'::regproc and not tg.tgisinternal and tg.tgqual is not null
       and not exists (select 1 from pg_trigger g where g.tgrelid = tg.tgrelid and g.tgfoid = 'audit_bulk_guard'::regproc)
  loop
    execute format('create trigger %I before insert or update or delete on %s for each statement
                      when (current_setting(''tuopin.bulk'', true) = ''on'') execute function audit_bulk_guard()',
                   t.relname || '_audit_guard', t.rel);
  end loop;
  return n;
end $$;
revoke all on function audit_secure_triggers() from public;

select audit_secure_triggers();
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
