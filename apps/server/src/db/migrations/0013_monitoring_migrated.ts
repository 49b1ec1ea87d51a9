import { sql, type Kysely } from 'kysely';

/**
 * Monitoring records of households that were monitored before the platform (issue 10, items 1 and 4).
 *
 * - `monitoring_records.source`: 'signed' (identified through the procedure here, `identification_id` names it) or
 *   'migrated' (taken over from an import, the demo generator or an existing database: no identification procedure
 *   here; `import_id` names the import when there is one). Everything downstream (elimination, rule facts, the
 *   household's panel) reads the record the same way.
 * - `import_households.identified_on`: the 纳入监测日期 column of the import file (optional).
 * - `monitoring_verifiers(village)`: the officers who may verify a home visit there (security definer: a village
 *   officer names township officers it cannot otherwise see).
 * - `procedures.pending_confirmations`: users who were named as verifiers of the home verification and have not yet
 *   confirmed it in the product (the domain's `pendingConfirmations(state)`, denormalised for "waiting for me").
 *
 * Repair: every household whose latest yearly status says monitored (with a type and risk types) but that has no open
 * record gets a migrated record, set-based. Its identification date is the reference date of the first year of the
 * unbroken monitored run ending at that status (31 December of a past year, today in China for the current year) —
 * the latest date the data shows it monitored from, so the months monitored are never overstated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table monitoring_records
  add column source text not null default 'signed' check (source in ('signed', 'migrated')),
  add column import_id bigint,
  alter column identification_id drop not null,
  add constraint monitoring_records_source_ck check ((source = 'signed') = (identification_id is not null));

alter table import_households add column identified_on date;

alter table procedures add column pending_confirmations bigint[] not null default '{}';
create index procedures_pending_confirmations_idx on procedures using gin (pending_confirmations) where status = 'active';

-- The officers who may be named as verifiers of a home visit in a village: the active township and village officers
-- of the village and of its township. A village officer does not see the township's users (row-level security on
-- users), yet goes on the visit with them: this function answers for a village the caller can see, with names only.
create or replace function monitoring_verifiers(p_village text)
returns table (id bigint, display_name text, username text, role text, region_code text, region_name text)
language sql stable security definer set search_path = public, pg_temp as $$
  select u.id, u.display_name, u.username, u.role, u.region_code, g.name
    from users u join regions g on g.code = u.region_code
   where tuopin_visible(p_village) and length(p_village) = 12
     and u.status = 'active' and u.role in ('township_officer', 'village_officer')
     and (u.region_code = p_village or u.region_code = left(p_village, 9) || '000')
   order by u.region_code, u.display_name
$$;
revoke all on function monitoring_verifiers(text) from public;
grant execute on function monitoring_verifiers(text) to tuopin_app;
`,
    )
    .execute(db);
  await repairMigratedRecords(db);
}

/** The repair of up(): migrated records for monitored households without an open record (exported for its test). */
export async function repairMigratedRecords(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
select set_config('tuopin.bulk', 'on', true), set_config('tuopin.actor_name', 'migration 0013', true);

with runs as (
  select county_code, household_id,
         coalesce(max(year) filter (where not monitored) + 1, min(year)) as first_year
    from household_year_status group by county_code, household_id
), latest as (
  select distinct on (county_code, household_id) county_code, household_id, village_code, year, monitored, monitored_type, risk_types
    from household_year_status order by county_code, household_id, year desc
), added as (
  insert into monitoring_records (county_code, household_id, village_code, identified_on, monitored_type, risk_types, source)
  select l.county_code, l.household_id, l.village_code,
         least(make_date(r.first_year, 12, 31), (now() at time zone 'Asia/Shanghai')::date), l.monitored_type, l.risk_types, 'migrated'
    from latest l join runs r using (county_code, household_id)
   where l.monitored and l.monitored_type is not null and cardinality(l.risk_types) between 1 and 5
     and not exists (select 1 from monitoring_records m where m.county_code = l.county_code and m.household_id = l.household_id
                      and (m.eliminated_on is null or m.eliminated_on >= make_date(l.year, 1, 1)))
  returning county_code
)
select audit_append('migrate', 'monitoring_records', null, rpad(county_code, 12, '0'), null, jsonb_build_object('migrated', count(*)), '迁移已有监测对象（升级 0013）')
  from added group by county_code;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
