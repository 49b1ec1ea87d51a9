import { sql, type Kysely } from 'kysely';

/**
 * 1. One platform clue per household and period, listing every rule that fired (issue 10, item 5). The hits of
 *    the warning rules move to `clue_rules` (county code first in the key, village code for row-level security,
 *    the audit trigger with the bulk WHEN clause, as `clues`): one row per household, period and rule, which is
 *    the warning run's deduplication key (a rule recorded for a household in a period is never recorded again,
 *    whatever became of its clue). At most one open or assigned platform clue per household and period
 *    (`clues_platform_open_uq`): a later run of the period that fires another rule adds it to that clue. Existing
 *    per-rule clues are grouped here, set-based: the open and assigned clues of one household and period become
 *    one (an assigned one kept when there is one, else the oldest); clues already taken up or closed keep their
 *    own single rule. `clues.rule_id` / `rule_version` go (a clue has many rules now).
 * 2. Rules get a region (item 6): national (`000000000000`, system administrators) or a province, city or county
 *    (written by that region's administrators). Row-level security: a reader sees the rules of its chain above and
 *    of its subtree; a writer writes only inside its scope (so national rules only with the national scope).
 *    `rule_versions` follows the visibility of its rule.
 * 3. Warning runs are readable by the users of every region they covered (item 8): a township sees the runs of its
 *    county, city, province and nation, as well as its own; `tuopin_region_ref` gives it the names of those regions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- The significant prefix of a region code (the domain's regionPrefix): '' for the nation, 2/4/6/9/12 digits.
create or replace function tuopin_code_prefix(code text) returns text
language sql immutable parallel safe as $$
  select case when code = '000000000000' then ''
              when substr(code, 3) = '0000000000' then left(code, 2)
              when substr(code, 5) = '00000000' then left(code, 4)
              when substr(code, 7) = '000000' then left(code, 6)
              when substr(code, 10) = '000' then left(code, 9)
              else code end
$$;

-- ---- 1. grouped platform clues ------------------------------------------------------------

create table clue_rules (
  county_code   text not null,
  household_id  bigint not null,
  period        text not null,
  rule_id       text not null,
  clue_id       bigint not null,
  village_code  text not null,
  rule_version  integer not null,
  rule_name     text not null,
  severity      text not null check (severity in ('high', 'medium', 'low')),
  risk_type     text not null,
  -- exactly the facts the rule read (household fields and, when it looks at them, the members), as for a clue before
  facts         jsonb not null default '{}',
  found_on      date not null,
  created_at    timestamptz not null default now(),
  primary key (county_code, household_id, period, rule_id),
  foreign key (county_code, clue_id) references clues (county_code, id),
  check (county_code = left(village_code, 6))
);
create index clue_rules_clue_idx on clue_rules (county_code, clue_id);
create index clue_rules_rule_idx on clue_rules (rule_id, period);
alter table clue_rules enable row level security;
create policy clue_rules_scope on clue_rules to tuopin_app using (tuopin_visible(village_code)) with check (tuopin_visible(village_code));
grant select, insert on clue_rules to tuopin_app;
create trigger clue_rules_audit after insert or update or delete on clue_rules
  for each row when (current_setting('tuopin.bulk', true) is distinct from 'on') execute function audit_row('village_code', 'clue_id');

-- the clue each platform clue's hit goes to: open/assigned clues of one household and period are merged
create temp table clue_merge on commit drop as
select c.county_code, c.id,
       case when c.status in ('open', 'assigned')
            then first_value(c.id) over (partition by c.county_code, c.household_id, c.period, c.status in ('open', 'assigned')
                                         order by (c.status = 'assigned') desc, c.id)
            else c.id end as target
  from clues c
 where c.channel = 'platform';

insert into clue_rules (county_code, household_id, period, rule_id, clue_id, village_code, rule_version, rule_name, severity, risk_type, facts, found_on, created_at)
select c.county_code, c.household_id, c.period, c.rule_id, m.target, c.village_code, c.rule_version,
       coalesce(v.name, r.name, c.rule_id), coalesce(v.severity, r.severity, 'medium'), coalesce(v.risk_type, r.risk_type),
       c.facts, c.found_on, c.created_at
  from clues c
  join clue_merge m on m.county_code = c.county_code and m.id = c.id
  left join rules r on r.id = c.rule_id
  left join rule_versions v on v.rule_id = c.rule_id and v.version = c.rule_version
on conflict do nothing;

delete from clues c using clue_merge m where m.county_code = c.county_code and m.id = c.id and m.target <> m.id;

update clues c set
  summary = left(g.names || '（平台监测分析）', 2000),
  found_on = g.found_on
  from (select county_code, clue_id,
               string_agg(rule_name, '；' order by case severity when 'high' then 0 when 'medium' then 1 else 2 end, rule_id) as names,
               min(found_on) as found_on
          from clue_rules group by county_code, clue_id) g
 where g.county_code = c.county_code and g.clue_id = c.id;

alter table clues drop column rule_id, drop column rule_version;
alter table clues add constraint clues_platform_period check (channel <> 'platform' or period is not null);
-- a household's clues (the household page) and the one open platform clue of a household and period
create index clues_household_idx on clues (county_code, household_id);
create unique index clues_platform_open_uq on clues (county_code, household_id, period)
  where channel = 'platform' and status in ('open', 'assigned');

alter table rule_runs add column new_clues integer, add column extended_clues integer;
update rule_runs set results = (
  select coalesce(jsonb_agg((x - 'newClues') || jsonb_build_object('newHits', coalesce(x -> 'newClues', '0'::jsonb)) order by o), '[]'::jsonb)
    from jsonb_array_elements(results) with ordinality as e(x, o))
 where results is not null;

-- ---- 2. rules of a region ------------------------------------------------------------------

alter table rules drop constraint rules_region_code_check;
alter table rules add constraint rules_region_code_check check (region_code ~ '^[0-9]{6}000000$');
create index rules_region_idx on rules (region_code);
alter table rules enable row level security;
create policy rules_read on rules for select to tuopin_app
  using (tuopin_visible(region_code) or tuopin_chain_visible(tuopin_code_prefix(region_code)));
create policy rules_insert on rules for insert to tuopin_app with check (tuopin_visible(region_code));
create policy rules_update on rules for update to tuopin_app using (tuopin_visible(region_code)) with check (tuopin_visible(region_code));
-- rule ids are unique across regions: whether one is taken, without showing the rule (another county's)
create or replace function rule_id_taken(p_id text) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
  select exists (select 1 from rules where id = p_id)
$$;

alter table rule_versions enable row level security;
create policy rule_versions_read on rule_versions for select to tuopin_app
  using (exists (select 1 from rules r where r.id = rule_id));
create policy rule_versions_insert on rule_versions for insert to tuopin_app
  with check (exists (select 1 from rules r where r.id = rule_id and tuopin_visible(r.region_code)));

-- ---- 3. runs readable where they covered ---------------------------------------------------

-- the names of a region on the reader's chain or in its subtree (the regions table shows a reader its subtree only)
create or replace function tuopin_region_ref(p_code text) returns table (name text, full_name text, level smallint)
language sql stable security definer set search_path = public, pg_temp as $$
  select g.name, g.full_name, g.level from regions g
   where g.code = p_code and (tuopin_visible(p_code) or tuopin_chain_visible(tuopin_code_prefix(p_code)))
$$;

drop policy rule_runs_scope on rule_runs;
create policy rule_runs_read on rule_runs for select to tuopin_app
  using (tuopin_visible(region_code) or tuopin_chain_visible(tuopin_code_prefix(region_code)));
create policy rule_runs_insert on rule_runs for insert to tuopin_app with check (tuopin_visible(region_code));
create policy rule_runs_update on rule_runs for update to tuopin_app using (tuopin_visible(region_code)) with check (tuopin_visible(region_code));
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
