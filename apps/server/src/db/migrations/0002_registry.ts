import { sql, type Kysely } from 'kysely';

/**
 * The household registry (建档立卡): households, members, yearly income, yearly status, member moves.
 *
 * Distribution: every table carries the 6-digit county code and has it first in its primary key, and every
 * foreign key between these tables includes it, so they can be distributed by county with Citus and co-located.
 * Global uniqueness of a person's ID number cannot be a constraint on the distributed members table, so it
 * lives in `persons` (one row per ID number, primary key = the ID number; distributable by id_number).
 *
 * Scoping: every table carries the village code and has the same row-level-security policy as the
 * foundation tables. Audit: row triggers record interactive changes; bulk imports set `tuopin.bulk` and
 * write one audit row per import instead (with the file's hash and the counts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table households (
  county_code          text not null check (county_code ~ '^\\d{6}$'),
  id                   bigint generated always as identity,
  household_no         text not null check (household_no ~ '^[0-9A-Za-z-]{1,30}$'),
  village_code         text not null references regions(code),
  address              text,
  phone                text,
  attribute            text,
  is_military_family   boolean not null default false,
  identified_year      smallint,
  exit_year            smallint,
  main_cause           text,
  other_causes         text[] not null default '{}',
  land_cultivated      numeric(10,2),
  land_forest          numeric(10,2),
  land_returned_forest numeric(10,2),
  land_orchard         numeric(10,2),
  land_pasture         numeric(10,2),
  land_water_surface   numeric(10,2),
  housing_rating       text check (housing_rating in ('A','B','C','D')),
  housing_area         numeric(8,2),
  relocated            boolean not null default false,
  relocation_keys_received boolean,
  safe_water           boolean,
  water_problem        text,
  road_type            text,
  road_distance_km     numeric(6,2),
  electricity          boolean,
  sanitary_toilet      boolean,
  fuel                 text,
  dibao                text not null default 'none',
  tekun                text not null default 'none',
  whole_no_labour      boolean not null default false,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  primary key (county_code, id),
  unique (county_code, household_no),
  check (county_code = left(village_code, 6))
);
create index households_village_idx on households (village_code text_pattern_ops, id);

create table members (
  county_code          text not null,
  id                   bigint generated always as identity,
  household_id         bigint not null,
  village_code         text not null,
  id_type              text not null default 'resident_id',
  id_number            text not null,
  name                 text not null,
  relation             text not null,
  sex                  text,
  birth_date           date,
  ethnicity            text,
  education            text,
  school_status        text,
  dropout_reason       text,
  health               text[] not null default '{}',
  disability_category  smallint,
  disability_grade     smallint,
  labour               text,
  work_months          smallint,
  work_place           text,
  employer             text,
  public_welfare_months smallint,
  monthly_work_income  numeric(10,2),
  medical_insurance    text,
  critical_illness_insurance boolean not null default false,
  commercial_medical_insurance boolean not null default false,
  pension_insurance    boolean not null default false,
  medical_aid          boolean not null default false,
  dibao                text not null default 'none',
  tekun                text not null default 'none',
  phone                text,
  -- membership ends with a recorded move (marriage, split, death …); the row and its history stay
  active               boolean not null default true,
  left_on              date,
  left_reason          text,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, household_id) references households (county_code, id)
);
create index members_household_idx on members (county_code, household_id) where active;
create index members_id_number_idx on members (id_number);
create index members_village_idx on members (village_code text_pattern_ops);

-- One row per ID number: the household the person belongs to now. Enforces "an ID number belongs to at most
-- one household in the whole registry" (primary key), distributable by id_number.
create table persons (
  id_number    text primary key,
  county_code  text not null,
  village_code text not null,
  household_id bigint not null,
  member_id    bigint not null
);

create table income_records (
  county_code          text not null,
  household_id         bigint not null,
  year                 smallint not null,
  village_code         text not null,
  public_welfare_wage  numeric(12,2),
  other_wage           numeric(12,2),
  operating_income     numeric(12,2),
  asset_dividend       numeric(12,2),
  other_property_income numeric(12,2),
  pension              numeric(12,2),
  family_planning      numeric(12,2),
  eco_compensation     numeric(12,2),
  dibao_payment        numeric(12,2),
  tekun_payment        numeric(12,2),
  other_transfer       numeric(12,2),
  operating_expense    numeric(12,2),
  compliant_out_of_pocket numeric(12,2),
  updated_at           timestamptz not null default now(),
  primary key (county_code, household_id, year),
  foreign key (county_code, household_id) references households (county_code, id)
);

create table household_year_status (
  county_code     text not null,
  household_id    bigint not null,
  year            smallint not null,
  village_code    text not null,
  status          text not null,
  exit_year       smallint,
  monitored       boolean not null default false,
  monitored_type  text,
  risk_types      text[] not null default '{}',
  updated_at      timestamptz not null default now(),
  primary key (county_code, household_id, year),
  foreign key (county_code, household_id) references households (county_code, id),
  check (cardinality(risk_types) <= 5)
);

create table member_moves (
  county_code       text not null,
  id                bigint generated always as identity,
  village_code      text not null,
  member_id         bigint not null,
  id_number         text not null,
  kind              text not null,
  from_household_id bigint,
  to_county_code    text,
  to_household_id   bigint,
  moved_on          date not null,
  reason            text not null,
  created_at        timestamptz not null default now(),
  primary key (county_code, id)
);
create index member_moves_id_number_idx on member_moves (id_number);

do $$
declare t text;
begin
  foreach t in array array['households','members','persons','income_records','household_year_status','member_moves'] loop
    execute format('alter table %I enable row level security', t);
    execute format('create policy %I on %I to tuopin_app using (tuopin_visible(village_code)) with check (tuopin_visible(village_code))', t || '_scope', t);
    execute format('grant select, insert, update on %I to tuopin_app', t);
  end loop;
end $$;
grant delete on persons, income_records, household_year_status to tuopin_app;

-- Row triggers skip rows written by a bulk import (which records one audit row for the whole file).
create or replace function audit_row() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
declare
  region_col text := TG_ARGV[0];
  id_col     text := TG_ARGV[1];
  ignored    text[] := array['updated_at', 'last_login_at', 'failed_attempts'];
  redacted   text[] := coalesce(TG_ARGV[2:], array[]::text[]);
  o jsonb; n jsonb; b jsonb := '{}'; a jsonb := '{}'; k text;
begin
  if current_setting('tuopin.bulk', true) = 'on' then return null; end if;
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

create trigger households_audit after insert or update or delete on households
  for each row execute function audit_row('village_code', 'id');
create trigger members_audit after insert or update or delete on members
  for each row execute function audit_row('village_code', 'id');
create trigger income_records_audit after insert or update or delete on income_records
  for each row execute function audit_row('village_code', 'household_id');
create trigger household_year_status_audit after insert or update or delete on household_year_status
  for each row execute function audit_row('village_code', 'household_id');
create trigger member_moves_audit after insert on member_moves
  for each row execute function audit_row('village_code', 'member_id');
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
