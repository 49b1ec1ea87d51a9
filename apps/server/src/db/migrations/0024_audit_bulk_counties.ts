import { sql, type Kysely } from 'kysely';

/**
 * Bulk summaries on every county's chain, and chain locks in a fixed order (issue 11 review, items 1 and 7).
 *
 * A bulk operation (import commit, warning run, generator) of a region above a county wrote its one summary row on
 * the chain of that region ('000000'), so the chain of a county whose households and clues it changed had no row of
 * it. `audit_bulk_begin` now takes the counties the operation writes (`p_counties`, county codes or any region codes
 * of them); at commit `audit_bulk_append` appends the summary once on the chain of the operation's region and once
 * on the chain of every other county given (its region code the county's, its summary naming the operation's region),
 * locking the chains in sorted order (one `audit_append` after the other, in chain order).
 *
 * `audit_lock_chains(text[])`: takes the chain locks of the given regions (their chains, deduplicated) in sorted
 * order, for a transaction that will write audited rows of several counties (a member moved between counties): two
 * such transactions then queue instead of deadlocking. The locks are the ones `audit_append` takes (transaction-level,
 * re-entrant), so taking them first changes nothing else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create or replace function audit_lock_chains(p_regions text[]) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  c text;
begin
  for c in select distinct audit_chain_of(r) from unnest(p_regions) r where r is not null order by 1 loop
    perform pg_advisory_xact_lock(7361001, c::int);
  end loop;
end $$;
revoke all on function audit_lock_chains(text[]) from public;
grant execute on function audit_lock_chains(text[]) to tuopin_app;

alter table audit_bulk_pending add column counties text[];

create or replace function audit_bulk_append() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  own text := audit_chain_of(NEW.region);
  others boolean := exists (select 1 from unnest(NEW.counties) x where audit_chain_of(x) <> own);
  c text;
begin
  -- chains in sorted order ('000000' first); the operation's own row on its region's chain, one on each other county's
  for c in select own union select audit_chain_of(x) from unnest(coalesce(NEW.counties, '{}')) x order by 1 loop
    if c = own then
      perform audit_append(NEW.action, NEW.entity, NEW.entity_id, NEW.region, null,
        case when not others or jsonb_typeof(NEW.summary) is distinct from 'object' then NEW.summary
             else NEW.summary || jsonb_build_object('counties', to_jsonb(NEW.counties)) end, NEW.reason);
    else
      perform audit_append(NEW.action, NEW.entity, NEW.entity_id, rpad(c, 12, '0'), null,
        case when jsonb_typeof(NEW.summary) = 'object' then NEW.summary || jsonb_build_object('operationRegion', NEW.region)
             else jsonb_build_object('summary', NEW.summary, 'operationRegion', NEW.region) end, NEW.reason);
    end if;
  end loop;
  delete from audit_bulk_pending where xact = NEW.xact;
  return null;
end $$;

drop function audit_bulk_begin(text, text, text, text, jsonb, text);
create function audit_bulk_begin(p_action text, p_entity text, p_entity_id text, p_region text,
                                 p_summary jsonb, p_reason text default null, p_counties text[] default null)
returns void language plpgsql security definer set search_path = public, pg_temp as $$
declare
  counties text[];
begin
  if exists (select 1 from audit_bulk_pending where xact = pg_current_xact_id()) then
    raise exception 'this transaction is in bulk mode already' using errcode = '55000';
  end if;
  if exists (select 1 from unnest(p_counties) x where x is null or audit_chain_of(x) = '000000') then
    raise exception 'audit_bulk_begin: counties must be county codes or codes below a county' using errcode = '22023';
  end if;
  counties := array(select distinct left(x, 6) from unnest(p_counties) x order by 1);
  insert into audit_bulk_pending (xact, action, entity, entity_id, region, summary, reason, counties)
  values (pg_current_xact_id(), p_action, p_entity, p_entity_id, p_region, p_summary, p_reason,
          case when p_counties is null then null else counties end);
  perform setval('audit_bulk_xact', pg_current_xact_id()::text::bigint, true);
  perform set_config('tuopin.bulk', 'on', true);
end $$;
revoke all on function audit_bulk_begin(text, text, text, text, jsonb, text, text[]) from public;
grant execute on function audit_bulk_begin(text, text, text, text, jsonb, text, text[]) to tuopin_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
